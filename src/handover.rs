//! How a report reaches JavaScript: written as a short program of construction steps, which a
//! small loop in JS runs to build the plain object (`build_value` in `wasm.rs`; `tests::build`
//! below is the same loop in Rust).
//!
//! The object is the one `JSON.parse` would give for serde_json's text of the same value: the
//! same keys in the same order, the same strings and the same numbers (a non-finite `f64` is
//! `null`, as serde_json writes it; an exact number text from a token is read as `JSON.parse`
//! reads it). Through JSON, the report was written as escaped text, decoded and then scanned
//! again by the engine character by character; on the 10,000-entry benchmark flow that handover
//! was a third of `analyzeHar`. Here strings are copied as they are, and objects are built
//! from "shapes" (the keys of a struct, sent once).
//!
//! The program is six buffers, handed to JS as views of the module's memory:
//! - `ops`: the steps (see [`Op`]) and their operands;
//! - `floats`: the numbers that are not 32-bit integers, in the order used;
//! - `ascii` and `unicode`: the text of every new string, ASCII ones apart, so that a single
//!   non-ASCII character does not make the engine hold every string at two bytes per character;
//!   lengths are in UTF-16 units, as JS slices strings;
//! - `shapes`: for each shape, its key count and each key's length, the keys' text in `keys`.
//!
//! A string seen again (a cookie name on every entry, a reason, an enum's name) is sent once and
//! then referred to by number. Shared texts are recognised by address, and their bytes are
//! compared before one is reused, so a temporary string freed and replaced at the same address
//! can never be mistaken for the old one.

use crate::cookie::parse::same_bytes;
use serde::ser::{self, Serialize};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// One construction step. The operands follow it in `ops`.
#[derive(Clone, Copy)]
#[repr(i32)]
enum Op {
    Null = 0,
    False = 1,
    True = 2,
    /// `[value]`: a number that fits in an `i32`.
    Int = 3,
    /// The next number of `floats`.
    Float = 4,
    /// `[length]`: a string, the next `length` UTF-16 units of the ASCII text.
    Ascii = 5,
    /// `[length]`: a string, the next `length` UTF-16 units of the other text.
    Unicode = 6,
    /// `[number]`: a string kept before (kept strings are numbered as they are sent, from 0).
    Again = 7,
    /// `[count]`, then that many values: an array.
    Array = 8,
    /// `[shape]`, then one value per key of the shape: an object.
    Object = 9,
    /// `[count]`, then that many key (a string step) and value pairs: an object whose keys are
    /// data (a token's claims), not a struct's fields.
    Map = 10,
    /// A string step follows: JSON text to parse (serde_json's `RawValue`).
    Raw = 11,
    /// [`Op::Ascii`] and [`Op::Unicode`] for a string that may be sent again: kept by number.
    KeptAscii = 12,
    KeptUnicode = 13,
}

/// serde_json's private struct names for an exact number (`arbitrary_precision`) and for raw
/// JSON text (`raw_value`): serde_json writes their one field's string as it is.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";
const RAW_TOKEN: &str = "$serde_json::private::RawValue";

/// Strings up to this length are looked up before being sent again; longer ones (URLs,
/// Set-Cookie lines, tokens) are rarely repeated and would cost a comparison as long as a copy.
const SHARED_MAX_BYTES: usize = 64;
const SHARED_SLOTS: usize = 512;

/// A string sent in this program: where its bytes are, for the comparison before reuse.
#[derive(Clone, Copy, Default)]
struct Sent {
    address: usize,
    length: usize,
    ascii: bool,
    at: usize,
    number: u32,
}

/// What `serialize_str` writes: a string, or (inside serde_json's private structs) a number's
/// exact text or raw JSON.
#[derive(Clone, Copy, Default, PartialEq)]
enum StrMode {
    #[default]
    Text,
    Number,
    Raw,
}

/// The program being written. Kept between calls by `wasm.rs`, so its buffers are not grown
/// from nothing for every report.
#[derive(Default)]
pub(crate) struct Handover {
    pub ops: Vec<i32>,
    pub floats: Vec<f64>,
    pub ascii: Vec<u8>,
    pub unicode: Vec<u8>,
    pub shapes: Vec<i32>,
    pub keys: Vec<u8>,
    /// How many strings are kept so far: the next one's number.
    strings: u32,
    /// The kept strings, in slots chosen by their address and length.
    shared: Vec<Sent>,
    mode: StrMode,
    /// The keys of the objects being written, innermost last.
    open_keys: Vec<&'static str>,
    /// Each shape's keys, as ranges of `shape_keys`.
    shape_ranges: Vec<(usize, usize)>,
    shape_keys: Vec<&'static str>,
    /// A hash of a shape's keys → its number (checked against the keys: a collision only costs a
    /// scan).
    shape_by_hash: HashMap<u64, u32, BuildHasherDefault<Unmixed>>,
}

/// The hash map's hasher for keys that are already hashes.
#[derive(Default)]
struct Unmixed(u64);

impl Hasher for Unmixed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// Why a value could not be handed over (serde_json refuses the same values).
#[derive(Debug)]
pub(crate) struct HandoverError(String);

impl std::fmt::Display for HandoverError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for HandoverError {}

impl ser::Error for HandoverError {
    fn custom<T: std::fmt::Display>(message: T) -> Self {
        HandoverError(message.to_string())
    }
}

type Result<T> = std::result::Result<T, HandoverError>;

fn operand(n: usize) -> Result<i32> {
    i32::try_from(n).map_err(|_| HandoverError("report too large to hand over".into()))
}

/// The length of `s` in UTF-16 units, as JS counts it.
fn utf16_length(s: &str, ascii: bool) -> usize {
    if ascii {
        s.len()
    } else {
        s.chars().map(char::len_utf16).sum()
    }
}

fn mix(hash: u64, key: &'static str) -> u64 {
    (hash ^ key.as_ptr() as u64 ^ (key.len() as u64) << 40).wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(23)
}

/// An object being written: where its shape's number goes, and its keys so far.
struct Frame {
    at: usize,
    keys_from: usize,
    hash: u64,
}

impl Handover {
    /// Writes `value`'s program, replacing the last one.
    pub fn write<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.ops.clear();
        self.floats.clear();
        self.ascii.clear();
        self.unicode.clear();
        self.shapes.clear();
        self.keys.clear();
        self.strings = 0;
        self.shared.clear();
        self.shared.resize(SHARED_SLOTS, Sent::default());
        self.mode = StrMode::Text;
        self.open_keys.clear();
        self.shape_ranges.clear();
        self.shape_keys.clear();
        self.shape_by_hash.clear();
        value.serialize(&mut *self)
    }

    fn op(&mut self, op: Op) {
        self.ops.push(op as i32);
    }

    fn int(&mut self, n: i64) {
        match i32::try_from(n) {
            Ok(small) => self.ops.extend_from_slice(&[Op::Int as i32, small]),
            // Rounded to the nearest double, as JS reads the integer's text.
            Err(_) => self.float(n as f64),
        }
    }

    /// A number as `JSON.parse` reads serde_json's text of it: serde_json writes a non-finite
    /// one as `null`.
    fn float(&mut self, n: f64) {
        if n.is_finite() {
            self.op(Op::Float);
            self.floats.push(n);
        } else {
            self.op(Op::Null);
        }
    }

    fn string(&mut self, s: &str) -> Result<()> {
        let slot = if s.len() <= SHARED_MAX_BYTES {
            let address = s.as_ptr() as usize;
            // Fibonacci hashing: the product's top bits depend on every bit of the address (its
            // low bits only on the address's low bits, so strings 64 KiB apart would always meet).
            let key = address as u64 ^ (s.len() as u64) << 40;
            let slot = (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - SHARED_SLOTS.trailing_zeros())) as usize;
            if let Some(sent) = self.shared.get(slot).copied() {
                if sent.address == address && sent.length == s.len() {
                    let text = if sent.ascii { &self.ascii } else { &self.unicode };
                    if text.get(sent.at..sent.at + sent.length).is_some_and(|t| same_bytes(t, s.as_bytes())) {
                        self.ops.extend_from_slice(&[Op::Again as i32, operand(sent.number as usize)?]);
                        return Ok(());
                    }
                }
            }
            Some((slot, address))
        } else {
            None
        };
        let ascii = s.is_ascii();
        let text = if ascii { &mut self.ascii } else { &mut self.unicode };
        let at = text.len();
        text.extend_from_slice(s.as_bytes());
        let op = match (ascii, slot.is_some()) {
            (true, false) => Op::Ascii,
            (false, false) => Op::Unicode,
            (true, true) => Op::KeptAscii,
            (false, true) => Op::KeptUnicode,
        };
        self.ops.extend_from_slice(&[op as i32, operand(utf16_length(s, ascii))?]);
        if let Some((slot, address)) = slot {
            let number = self.strings;
            self.strings = self.strings.saturating_add(1);
            if let Some(entry) = self.shared.get_mut(slot) {
                *entry = Sent { address, length: s.len(), ascii, at, number };
            }
        }
        Ok(())
    }

    /// Opens an array or map: its count is filled in when it closes.
    fn open_counted(&mut self, op: Op) -> usize {
        self.ops.extend_from_slice(&[op as i32, 0]);
        self.ops.len() - 1
    }

    fn close_counted(&mut self, at: usize, count: usize) -> Result<()> {
        let count = operand(count)?;
        if let Some(slot) = self.ops.get_mut(at) {
            *slot = count;
        }
        Ok(())
    }

    fn open_object(&mut self) -> Frame {
        self.ops.extend_from_slice(&[Op::Object as i32, 0]);
        Frame { at: self.ops.len() - 1, keys_from: self.open_keys.len(), hash: 0 }
    }

    fn key(&mut self, frame: &mut Frame, key: &'static str) {
        self.open_keys.push(key);
        frame.hash = mix(frame.hash, key);
    }

    /// Closes an object: its keys name a shape, sent the first time it is used.
    fn close_object(&mut self, frame: Frame) -> Result<()> {
        let keys = self.open_keys.get(frame.keys_from..).unwrap_or_default();
        // The same keys are the same `&'static str`s: compared by address, not text.
        let same = |range: &(usize, usize)| {
            self.shape_keys.get(range.0..range.1).is_some_and(|known| {
                known.len() == keys.len() && known.iter().zip(keys).all(|(a, b)| std::ptr::eq(*a, *b))
            })
        };
        let known = match self.shape_by_hash.get(&frame.hash) {
            Some(&n) if self.shape_ranges.get(n as usize).is_some_and(same) => Some(n as usize),
            // Two shapes with one hash: rare enough for a scan.
            Some(_) => self.shape_ranges.iter().position(same),
            None => None,
        };
        let number = match known {
            Some(n) => n,
            None => {
                let n = self.shape_ranges.len();
                let from = self.shape_keys.len();
                self.shape_keys.extend_from_slice(keys);
                self.shape_ranges.push((from, self.shape_keys.len()));
                self.shape_by_hash.entry(frame.hash).or_insert(n as u32);
                self.shapes.push(operand(keys.len())?);
                for key in keys {
                    self.keys.extend_from_slice(key.as_bytes());
                    self.shapes.push(operand(utf16_length(key, key.is_ascii()))?);
                }
                n
            }
        };
        let number = operand(number)?;
        if let Some(slot) = self.ops.get_mut(frame.at) {
            *slot = number;
        }
        self.open_keys.truncate(frame.keys_from);
        Ok(())
    }

    /// `{ variant: … }`, serde_json's form of an enum variant with data.
    fn open_variant(&mut self, variant: &'static str) -> Frame {
        let mut frame = self.open_object();
        self.key(&mut frame, variant);
        frame
    }
}

/// An array, map or object being written.
pub(crate) struct Compound<'a> {
    out: &'a mut Handover,
    kind: Kind,
    /// The `{ variant: … }` object around it, for an enum variant with data.
    variant: Option<Frame>,
}

enum Kind {
    Array { at: usize, count: usize },
    Map { at: usize, count: usize },
    Object(Frame),
    /// serde_json's private number or raw-JSON struct: its one field is written specially.
    Token(StrMode),
}

impl Compound<'_> {
    fn end(self) -> Result<()> {
        match self.kind {
            Kind::Array { at, count } | Kind::Map { at, count } => self.out.close_counted(at, count)?,
            Kind::Object(frame) => self.out.close_object(frame)?,
            Kind::Token(_) => {}
        }
        match self.variant {
            Some(frame) => self.out.close_object(frame),
            None => Ok(()),
        }
    }

    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        if let Kind::Array { count, .. } = &mut self.kind {
            *count += 1;
        }
        value.serialize(&mut *self.out)
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<()> {
        match &mut self.kind {
            Kind::Object(frame) => {
                self.out.key(frame, key);
                value.serialize(&mut *self.out)
            }
            Kind::Token(mode) => {
                let before = std::mem::replace(&mut self.out.mode, *mode);
                let written = value.serialize(&mut *self.out);
                self.out.mode = before;
                written
            }
            _ => Err(HandoverError("a field outside an object".into())),
        }
    }
}

impl<'a> ser::Serializer for &'a mut Handover {
    type Ok = ();
    type Error = HandoverError;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    fn serialize_bool(self, v: bool) -> Result<()> {
        self.op(if v { Op::True } else { Op::False });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<()> {
        self.int(i64::from(v));
        Ok(())
    }
    fn serialize_i16(self, v: i16) -> Result<()> {
        self.int(i64::from(v));
        Ok(())
    }
    fn serialize_i32(self, v: i32) -> Result<()> {
        self.int(i64::from(v));
        Ok(())
    }
    fn serialize_i64(self, v: i64) -> Result<()> {
        self.int(v);
        Ok(())
    }
    fn serialize_i128(self, v: i128) -> Result<()> {
        match i64::try_from(v) {
            Ok(v) => self.int(v),
            Err(_) => self.float(v as f64),
        }
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result<()> {
        self.int(i64::from(v));
        Ok(())
    }
    fn serialize_u16(self, v: u16) -> Result<()> {
        self.int(i64::from(v));
        Ok(())
    }
    fn serialize_u32(self, v: u32) -> Result<()> {
        self.int(i64::from(v));
        Ok(())
    }
    fn serialize_u64(self, v: u64) -> Result<()> {
        match i64::try_from(v) {
            Ok(v) => self.int(v),
            Err(_) => self.float(v as f64),
        }
        Ok(())
    }
    fn serialize_u128(self, v: u128) -> Result<()> {
        match i64::try_from(v) {
            Ok(v) => self.int(v),
            Err(_) => self.float(v as f64),
        }
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Result<()> {
        // serde_json writes an f32's shortest text, which JS reads as the nearest double: not
        // the f32's own value widened (0.1f32 is written "0.1").
        if v.is_finite() {
            self.float(v.to_string().parse::<f64>().unwrap_or(f64::from(v)));
        } else {
            self.op(Op::Null);
        }
        Ok(())
    }
    fn serialize_f64(self, v: f64) -> Result<()> {
        self.float(v);
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<()> {
        self.string(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<()> {
        match self.mode {
            StrMode::Text => self.string(v),
            StrMode::Number => {
                // An exact number's JSON text, read as JS reads it (correctly rounded; past the
                // largest double, ±Infinity).
                let n: f64 = v.parse().map_err(|_| HandoverError(format!("not a JSON number: {v}")))?;
                self.op(Op::Float);
                self.floats.push(n);
                Ok(())
            }
            StrMode::Raw => {
                self.op(Op::Raw);
                self.mode = StrMode::Text;
                let written = self.string(v);
                self.mode = StrMode::Raw;
                written
            }
        }
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<()> {
        // serde_json writes bytes as an array of numbers.
        self.ops.extend_from_slice(&[Op::Array as i32, operand(v.len())?]);
        for &b in v {
            self.int(i64::from(b));
        }
        Ok(())
    }
    fn serialize_none(self) -> Result<()> {
        self.op(Op::Null);
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<()> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<()> {
        self.op(Op::Null);
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<()> {
        self.op(Op::Null);
        Ok(())
    }
    fn serialize_unit_variant(self, _name: &'static str, _index: u32, variant: &'static str) -> Result<()> {
        self.string(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _name: &'static str, value: &T) -> Result<()> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<()> {
        let frame = self.open_variant(variant);
        value.serialize(&mut *self)?;
        self.close_object(frame)
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'a>> {
        let at = self.open_counted(Op::Array);
        Ok(Compound { out: self, kind: Kind::Array { at, count: 0 }, variant: None })
    }
    fn serialize_tuple(self, len: usize) -> Result<Compound<'a>> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Compound<'a>> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(self, _name: &'static str, _index: u32, variant: &'static str, _len: usize) -> Result<Compound<'a>> {
        let frame = self.open_variant(variant);
        let at = self.open_counted(Op::Array);
        Ok(Compound { out: self, kind: Kind::Array { at, count: 0 }, variant: Some(frame) })
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'a>> {
        let at = self.open_counted(Op::Map);
        Ok(Compound { out: self, kind: Kind::Map { at, count: 0 }, variant: None })
    }
    fn serialize_struct(self, name: &'static str, _len: usize) -> Result<Compound<'a>> {
        let kind = match name {
            NUMBER_TOKEN => Kind::Token(StrMode::Number),
            RAW_TOKEN => Kind::Token(StrMode::Raw),
            _ => Kind::Object(self.open_object()),
        };
        Ok(Compound { out: self, kind, variant: None })
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>> {
        let frame = self.open_variant(variant);
        let object = self.open_object();
        Ok(Compound { out: self, kind: Kind::Object(object), variant: Some(frame) })
    }
}

/// serde's traits for arrays (sequences, tuples, tuple structs and variants): each a door onto
/// [`Compound::element`].
macro_rules! elements {
    ($($trait:ident: $method:ident),*) => {
        $(impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = HandoverError;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
                self.element(value)
            }
            fn end(self) -> Result<()> {
                Compound::end(self)
            }
        })*
    };
}

elements!(SerializeSeq: serialize_element, SerializeTuple: serialize_element, SerializeTupleStruct: serialize_field, SerializeTupleVariant: serialize_field);

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = HandoverError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<()> {
        if let Kind::Map { count, .. } = &mut self.kind {
            *count += 1;
        }
        key.serialize(MapKey(&mut *self.out))
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        value.serialize(&mut *self.out)
    }
    fn end(self) -> Result<()> {
        Compound::end(self)
    }
}

/// serde's traits for structs and struct variants: doors onto [`Compound::field`].
macro_rules! fields {
    ($($trait:ident),*) => {
        $(impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = HandoverError;
            fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<()> {
                self.field(key, value)
            }
            fn end(self) -> Result<()> {
                Compound::end(self)
            }
        })*
    };
}

fields!(SerializeStruct, SerializeStructVariant);

/// A map key, written as serde_json writes keys: a string as it is, a number or `bool` as its
/// text; anything else is refused, as serde_json refuses it.
struct MapKey<'a>(&'a mut Handover);

fn key_must_be_a_string() -> HandoverError {
    HandoverError("key must be a string".into())
}

/// Map-key methods for integers: the key is the number's text, as serde_json writes it.
macro_rules! integer_keys {
    ($($method:ident: $type:ty),*) => {
        $(fn $method(self, v: $type) -> Result<()> {
            self.0.string(&v.to_string())
        })*
    };
}

/// Map-key methods for values that cannot be keys.
macro_rules! refused_keys {
    ($($method:ident: $type:ty),*) => {
        $(fn $method(self, _: $type) -> Result<()> {
            Err(key_must_be_a_string())
        })*
    };
}

impl ser::Serializer for MapKey<'_> {
    type Ok = ();
    type Error = HandoverError;
    type SerializeSeq = ser::Impossible<(), HandoverError>;
    type SerializeTuple = ser::Impossible<(), HandoverError>;
    type SerializeTupleStruct = ser::Impossible<(), HandoverError>;
    type SerializeTupleVariant = ser::Impossible<(), HandoverError>;
    type SerializeMap = ser::Impossible<(), HandoverError>;
    type SerializeStruct = ser::Impossible<(), HandoverError>;
    type SerializeStructVariant = ser::Impossible<(), HandoverError>;

    fn serialize_str(self, v: &str) -> Result<()> {
        self.0.string(v)
    }
    fn serialize_char(self, v: char) -> Result<()> {
        self.0.string(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_bool(self, v: bool) -> Result<()> {
        self.0.string(if v { "true" } else { "false" })
    }
    integer_keys!(serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64, serialize_i128: i128);
    integer_keys!(serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64, serialize_u128: u128);
    fn serialize_unit_variant(self, _name: &'static str, _index: u32, variant: &'static str) -> Result<()> {
        self.0.string(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _name: &'static str, value: &T) -> Result<()> {
        value.serialize(self)
    }
    refused_keys!(serialize_f32: f32, serialize_f64: f64, serialize_bytes: &[u8], serialize_unit_struct: &'static str);
    fn serialize_none(self) -> Result<()> {
        Err(key_must_be_a_string())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result<()> {
        Err(key_must_be_a_string())
    }
    fn serialize_unit(self) -> Result<()> {
        Err(key_must_be_a_string())
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<()> {
        Err(key_must_be_a_string())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple_struct(self, _name: &'static str, _len: usize) -> Result<Self::SerializeTupleStruct> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Err(key_must_be_a_string())
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap> {
        Err(key_must_be_a_string())
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Self::SerializeStruct> {
        Err(key_must_be_a_string())
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Err(key_must_be_a_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;
    use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
    use std::collections::{BTreeMap, HashMap};

    /// A JS value as `build_value` makes it and as `JSON.parse` reads text: objects keep their
    /// keys' order (a key set twice keeps its first place and its last value); numbers compare
    /// by their bits, so `-0` is not `0`.
    #[derive(Debug, Clone)]
    enum Js {
        Null,
        Bool(bool),
        Num(f64),
        Str(String),
        Arr(Vec<Js>),
        Obj(Vec<(String, Js)>),
    }

    impl PartialEq for Js {
        fn eq(&self, other: &Js) -> bool {
            match (self, other) {
                (Js::Null, Js::Null) => true,
                (Js::Bool(a), Js::Bool(b)) => a == b,
                (Js::Num(a), Js::Num(b)) => a.to_bits() == b.to_bits(),
                (Js::Str(a), Js::Str(b)) => a == b,
                (Js::Arr(a), Js::Arr(b)) => a == b,
                (Js::Obj(a), Js::Obj(b)) => a == b,
                _ => false,
            }
        }
    }

    fn put(object: &mut Vec<(String, Js)>, key: String, value: Js) {
        match object.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => object.push((key, value)),
        }
    }

    /// `JSON.parse`: serde_json's reader, with JS's number reading and object semantics.
    impl<'de> Deserialize<'de> for Js {
        fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Js, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = Js;
                fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str("JSON")
                }
                fn visit_unit<E>(self) -> std::result::Result<Js, E> {
                    Ok(Js::Null)
                }
                fn visit_bool<E>(self, v: bool) -> std::result::Result<Js, E> {
                    Ok(Js::Bool(v))
                }
                fn visit_str<E>(self, v: &str) -> std::result::Result<Js, E> {
                    Ok(Js::Str(v.to_string()))
                }
                fn visit_i64<E>(self, v: i64) -> std::result::Result<Js, E> {
                    Ok(Js::Num(v as f64))
                }
                fn visit_u64<E>(self, v: u64) -> std::result::Result<Js, E> {
                    Ok(Js::Num(v as f64))
                }
                fn visit_f64<E>(self, v: f64) -> std::result::Result<Js, E> {
                    Ok(Js::Num(v))
                }
                fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Js, A::Error> {
                    let mut items = Vec::new();
                    while let Some(item) = seq.next_element()? {
                        items.push(item);
                    }
                    Ok(Js::Arr(items))
                }
                fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Js, A::Error> {
                    let mut object = Vec::new();
                    while let Some(key) = map.next_key::<String>()? {
                        if key == NUMBER_TOKEN {
                            // serde_json's `arbitrary_precision` number: its text, read as JS does.
                            let text: String = map.next_value()?;
                            return text.parse().map(Js::Num).map_err(de::Error::custom);
                        }
                        let value = map.next_value()?;
                        put(&mut object, key, value);
                    }
                    Ok(Js::Obj(object))
                }
            }
            d.deserialize_any(V)
        }
    }

    fn json_parse(text: &str) -> Js {
        serde_json::from_str(text).expect("serde_json reads its own text")
    }

    /// Takes `n` UTF-16 units from the front of `text`.
    fn take_units<'t>(text: &mut &'t str, n: i32) -> &'t str {
        let mut units = 0;
        let mut end = 0;
        for c in text.chars() {
            if units >= n as usize {
                break;
            }
            units += c.len_utf16();
            end += c.len_utf8();
        }
        let (head, tail) = text.split_at(end);
        *text = tail;
        head
    }

    /// `build_value` of wasm.rs, step for step.
    fn build(h: &Handover) -> Js {
        struct Run<'a> {
            ops: &'a [i32],
            at: usize,
            floats: std::slice::Iter<'a, f64>,
            ascii: &'a str,
            unicode: &'a str,
            kept: Vec<String>,
            shapes: Vec<Vec<String>>,
        }
        impl Run<'_> {
            fn next(&mut self) -> i32 {
                self.at += 1;
                self.ops[self.at - 1]
            }
            fn value(&mut self) -> Js {
                match self.next() {
                    0 => Js::Null,
                    1 => Js::Bool(false),
                    2 => Js::Bool(true),
                    3 => Js::Num(f64::from(self.next())),
                    4 => Js::Num(*self.floats.next().unwrap()),
                    op @ (5 | 12) => {
                        let n = self.next();
                        let s = take_units(&mut self.ascii, n).to_string();
                        if op == 12 {
                            self.kept.push(s.clone());
                        }
                        Js::Str(s)
                    }
                    op @ (6 | 13) => {
                        let n = self.next();
                        let s = take_units(&mut self.unicode, n).to_string();
                        if op == 13 {
                            self.kept.push(s.clone());
                        }
                        Js::Str(s)
                    }
                    7 => {
                        let n = self.next() as usize;
                        Js::Str(self.kept[n].clone())
                    }
                    8 => {
                        let n = self.next();
                        Js::Arr((0..n).map(|_| self.value()).collect())
                    }
                    9 => {
                        let shape = self.next() as usize;
                        let names = self.shapes[shape].clone();
                        let mut object = Vec::new();
                        for name in names {
                            let value = self.value();
                            put(&mut object, name, value);
                        }
                        Js::Obj(object)
                    }
                    10 => {
                        let n = self.next();
                        let mut object = Vec::new();
                        for _ in 0..n {
                            let Js::Str(key) = self.value() else { panic!("a map key that is not a string") };
                            let value = self.value();
                            put(&mut object, key, value);
                        }
                        Js::Obj(object)
                    }
                    11 => {
                        let Js::Str(text) = self.value() else { panic!("raw JSON that is not a string") };
                        json_parse(&text)
                    }
                    op => panic!("unknown op {op}"),
                }
            }
        }
        let mut keys = std::str::from_utf8(&h.keys).unwrap();
        let mut shapes = Vec::new();
        let mut defs = h.shapes.iter();
        while let Some(&n) = defs.next() {
            shapes.push((0..n).map(|_| take_units(&mut keys, *defs.next().unwrap()).to_string()).collect());
        }
        let mut run = Run {
            ops: &h.ops,
            at: 0,
            floats: h.floats.iter(),
            ascii: std::str::from_utf8(&h.ascii).unwrap(),
            unicode: std::str::from_utf8(&h.unicode).unwrap(),
            kept: Vec::new(),
            shapes,
        };
        let value = run.value();
        assert_eq!(run.at, h.ops.len(), "the whole program is used");
        assert!(run.floats.next().is_none() && run.ascii.is_empty() && run.unicode.is_empty());
        value
    }

    /// The program builds what `JSON.parse` makes of serde_json's text, and refuses what
    /// serde_json refuses.
    #[track_caller]
    fn check<T: Serialize + ?Sized>(value: &T) -> Js {
        let mut h = Handover::default();
        match (serde_json::to_string(value), h.write(value)) {
            (Ok(text), Ok(())) => {
                let want = json_parse(&text);
                assert_eq!(build(&h), want, "for {text}");
                // The same buffers, reused for a second value, give the same again.
                h.write(value).unwrap();
                assert_eq!(build(&h), want, "written again: {text}");
                want
            }
            (Err(_), Err(_)) => Js::Null,
            (json, ours) => panic!("serde_json {json:?}, handover {ours:?}"),
        }
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    enum Variant {
        Unit,
        Newtype(u8),
        Tuple(u8, String),
        Struct { a: i32, b: Option<String> },
    }

    #[derive(Serialize)]
    struct Sparse {
        always: u8,
        #[serde(skip_serializing_if = "Option::is_none")]
        sometimes: Option<&'static str>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        list: Vec<u8>,
        last: bool,
    }

    mod one {
        #[derive(serde::Serialize)]
        pub struct Same {
            pub x: u8,
        }
    }
    mod two {
        #[derive(serde::Serialize)]
        pub struct Same {
            pub y: &'static str,
            pub z: bool,
        }
    }

    #[derive(Serialize)]
    struct NewtypeStruct(String);
    #[derive(Serialize)]
    struct TupleStruct(u8, bool);
    #[derive(Serialize)]
    struct UnitStruct;

    #[test]
    fn every_kind_of_serde_value() {
        check(&vec![Variant::Unit, Variant::Newtype(7), Variant::Tuple(1, "t".into()), Variant::Struct { a: -1, b: None }]);
        check(&vec![
            Sparse { always: 1, sometimes: None, list: vec![], last: true },
            Sparse { always: 2, sometimes: Some("s"), list: vec![], last: false },
            Sparse { always: 3, sometimes: None, list: vec![1, 2], last: true },
            Sparse { always: 4, sometimes: Some("s"), list: vec![3], last: false },
        ]);
        check(&(one::Same { x: 1 }, two::Same { y: "y", z: true }, one::Same { x: 2 }, two::Same { y: "w", z: false }));
        check(&(NewtypeStruct("n".into()), TupleStruct(1, true), UnitStruct, (), Some(5u8), None::<u8>, 'é', '😀'));
        check(&BTreeMap::from([(3, "c"), (-1, "a"), (20, "b")]));
        check(&BTreeMap::from([(true, 1), (false, 0)]));
        check(&BTreeMap::from([('k', 1)]));
        check(&HashMap::from([((1, 2), 3)])); // refused by both: a key must be a string
        check(&BTreeMap::from([(vec![1u8], 1)]));
        check(&Vec::<Vec<u8>>::new());
        check(&[[[[[[1u8]]]]]]);
    }

    #[test]
    fn numbers_as_js_reads_them() {
        check(&(u64::MAX, i64::MIN, i64::MAX, u32::MAX, i32::MIN, i128::MAX, i128::MIN, u128::MAX, 1i128 << 70));
        check(&(0.1f32, f32::MAX, f32::MIN_POSITIVE, 1e-45f32, f32::NAN, f32::INFINITY));
        check(&(0.1, -0.0, 1e300, 5e-324, f64::MAX, f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 9007199254740993.0));
        let Js::Arr(items) = check(&(-0.0, 0.0)) else { panic!() };
        assert!(items[0] == Js::Num(-0.0) && items[0] != Js::Num(0.0), "-0 stays -0");
        // A token's claims keep their exact number texts (`arbitrary_precision`).
        for text in ["1e400", "-1e400", "18446744073709551615", "-0", "0.1", "1E5", "1.5e+10", "123456789012345678901234567890", "4.9e-324", "1e-400"] {
            let value: serde_json::Value = serde_json::from_str(&format!("{{\"n\": {text}, \"a\": [{text}]}}")).unwrap();
            let Js::Obj(fields) = check(&value) else { panic!() };
            assert_eq!(fields[1].1, Js::Num(text.parse().unwrap()), "{text}");
        }
    }

    #[test]
    fn strings_sent_once_and_referred_to() {
        let long = "x".repeat(SHARED_MAX_BYTES + 1);
        let shared = String::from("session");
        // Each repeat right after its first: nothing written in between can take its slot, so
        // every short repeat is a reference, whatever the addresses.
        let words = vec![shared.as_str(), shared.as_str(), "é", "é", "", "", &long, &long, "😀"];
        check(&words);
        let mut h = Handover::default();
        h.write(&words).unwrap();
        let again = h.ops.chunks(2).filter(|op| op[0] == Op::Again as i32).count();
        assert_eq!(again, 3, "repeated short strings are referred to, not sent again; long ones are sent");
        assert_eq!(h.unicode, "é😀".as_bytes(), "non-ASCII text apart, each string once");
        // Repeats far apart may lose their slot to a string in between (a cache, not a map):
        // they are then sent again, and come out the same.
        check(&[shared.as_str(), "", "é", shared.as_str(), "😀", "", &long, &long, "é", "\u{0}\n\"\\", shared.as_str()]);
    }

    /// Strings made, serialised and freed one after another usually share an address: each
    /// must still come out as itself.
    #[test]
    fn temporary_strings_at_one_address_are_not_confused() {
        struct Temporaries;
        impl Serialize for Temporaries {
            fn serialize<S: ser::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
                use ser::SerializeSeq;
                let mut seq = s.serialize_seq(Some(300))?;
                for i in 0..300 {
                    seq.serialize_element(&format!("{:03}", i % 7 * 100 + i % 5))?;
                }
                seq.end()
            }
        }
        check(&Temporaries);
        struct Bytes;
        impl Serialize for Bytes {
            fn serialize<S: ser::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
                s.serialize_bytes(&[0, 1, 255])
            }
        }
        check(&Bytes);
    }

    #[test]
    fn raw_json_and_proto_keys() {
        let raw = serde_json::value::RawValue::from_string("{\"a\": [1, 2.5, \"é\"], \"__proto__\": {}}".into()).unwrap();
        check(&raw);
        let value: serde_json::Value = serde_json::from_str(r#"{"__proto__": {"x": 1}, "": "", "é": ["__proto__"]}"#).unwrap();
        check(&value);
    }

    /// Made-up JSON values of every shape, from a fixed seed.
    #[test]
    fn generated_values() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        const KEYS: [&str; 8] = ["a", "b", "__proto__", "", "é", "toString", "0", "long key with spaces"];
        fn make(next: &mut dyn FnMut(u64) -> u64, depth: u32) -> serde_json::Value {
            use serde_json::Value;
            match next(if depth > 5 { 6 } else { 8 }) {
                0 => Value::Null,
                1 => Value::Bool(next(2) == 0),
                2 => Value::from(next(u64::MAX) as i64 >> next(64)),
                3 => Value::from(f64::from_bits(next(u64::MAX)) * 0.0 + (next(1000) as f64) / 7.0),
                4 => Value::from(["", "x", "é", "😀 ok", "\u{7f}", "same"][next(6) as usize]),
                5 => Value::from(KEYS[next(8) as usize].repeat(next(30) as usize)),
                6 => Value::Array((0..next(5)).map(|_| make(next, depth + 1)).collect()),
                _ => Value::Object((0..next(5)).map(|_| (KEYS[next(8) as usize].to_string(), make(next, depth + 1))).collect()),
            }
        }
        for _ in 0..400 {
            check(&make(&mut next, 0));
        }
    }
}
