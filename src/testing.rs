//! Helpers shared by the unit tests.

/// Marsaglia's xorshift64: a fixed stream of generated test inputs without a dependency, seeded
/// per test so every run checks the same cases.
pub(crate) struct XorShift(pub u64);

impl XorShift {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}
