// Makes tests/fixtures/jws-vectors.json: tokens signed by jose (npm) with freshly generated RSA,
// EC and Ed25519 keys for every JWS algorithm the core verifies with a public key, the public
// keys in every form the core reads (JWK, a JWK Set with kids, SPKI PEM, PKCS#1 PEM, an X.509
// certificate), the mistakes people make (a rotated kid, a key of the wrong type, an HS256 token
// against a public key, a DER ECDSA signature, a 1024-bit RSA key), and what jose's own
// jwtVerify says of each token with each key. tests/jws_keys.rs checks the Rust core against it.
//
//   npm ci --prefix tests && node tests/jws/make-vectors.mjs
//
// The certificates are made by the openssl command line (self-signed, ten years). Tokens carry
// iat/exp from the moment the script runs, recorded as `generatedAt`: the Rust test analyses
// every token "as of" then. Every key here is a throwaway test key.

import { createHmac, generateKeyPairSync, sign as nodeSign, constants } from "node:crypto";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const testsDir = path.join(here, "..");
const require = createRequire(path.join(testsDir, "package.json"));
const jose = await import("jose");
const joseVersion = require(path.join(testsDir, "node_modules/jose/package.json")).version;

const now = Math.floor(Date.now() / 1000);
const claims = { sub: "user-42", iss: "https://issuer.example", aud: "api" };
const b64u = (data) => Buffer.from(data).toString("base64url");

// ---- Keys ----

const generate = {
  rsa: () => generateKeyPairSync("rsa", { modulusLength: 2048 }),
  rsa3072: () => generateKeyPairSync("rsa", { modulusLength: 3072 }),
  rsa1024: () => generateKeyPairSync("rsa", { modulusLength: 1024 }),
  p256: () => generateKeyPairSync("ec", { namedCurve: "P-256" }),
  p384: () => generateKeyPairSync("ec", { namedCurve: "P-384" }),
  p521: () => generateKeyPairSync("ec", { namedCurve: "P-521" }),
  ed25519: () => generateKeyPairSync("ed25519"),
};

/** name → [generator, kid in the JWK Set (null: not published)] */
const keySpecs = {
  rsa: ["rsa", "rsa-2026"],
  "rsa-3072": ["rsa3072", "rsa-3072"],
  p256: ["p256", "ec-p256"],
  p384: ["p384", "ec-p384"],
  p521: ["p521", "ec-p521"],
  ed25519: ["ed25519", "ed-2026"],
  // Same types, never published: "another key".
  "rsa-other": ["rsa", null],
  "p256-other": ["p256", null],
  "p384-other": ["p384", null],
  "p521-other": ["p521", null],
  "ed25519-other": ["ed25519", null],
  // The key the issuer signed with before a rotation: its kid is gone from the JWK Set.
  "rsa-rotated": ["rsa", null],
  "rsa-1024": ["rsa1024", null],
};

const pairs = {};
const keys = {};
for (const [name, [gen, kid]] of Object.entries(keySpecs)) {
  const pair = generate[gen]();
  pairs[name] = pair;
  const jwk = await jose.exportJWK(pair.publicKey);
  keys[name] = {
    kid,
    jwk: kid ? { kid, use: "sig", ...jwk } : jwk,
    spki: pair.publicKey.export({ type: "spki", format: "pem" }),
    ...(jwk.kty === "RSA" ? { pkcs1: pair.publicKey.export({ type: "pkcs1", format: "pem" }) } : {}),
  };
}

// Self-signed certificates for two keys (openssl req -x509).
const dir = mkdtempSync(path.join(tmpdir(), "jws-vectors-"));
try {
  for (const name of ["rsa", "p256"]) {
    const keyFile = path.join(dir, `${name}.pem`);
    const certFile = path.join(dir, `${name}.crt`);
    writeFileSync(keyFile, pairs[name].privateKey.export({ type: "pkcs8", format: "pem" }));
    execFileSync("openssl", ["req", "-new", "-x509", "-key", keyFile, "-subj", "/CN=issuer.example", "-days", "3650", "-out", certFile], { stdio: "ignore" });
    keys[name].certificate = readFileSync(certFile, "utf8");
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const jwks = { keys: Object.values(keys).filter((k) => k.kid).map((k) => k.jwk) };
/** The published RSA key declared for RS256 only (its JWK `alg`). */
const rsaRs256Only = { keys: [{ ...keys.rsa.jwk, alg: "RS256" }] };
/** Two P-256 keys with kids: a token without a kid cannot say which one signed it. */
const twoP256 = { keys: [{ ...keys["p256-other"].jwk, kid: "ec-old" }, keys.p256.jwk] };
const octKey = { kty: "oct", kid: "hmac-1", k: b64u("a-shared-hmac-secret-of-32-bytes!") };
const octOther = { kty: "oct", kid: "hmac-2", k: b64u("another-shared-secret-32-bytes!!") };

/** A public-key reference ("form:name") as the text a user pastes, for the Rust test too. */
function keyText(ref) {
  if (ref === "jwks") return JSON.stringify(jwks);
  if (ref === "jwks:rs256-only") return JSON.stringify(rsaRs256Only);
  if (ref === "jwks:two-p256") return JSON.stringify(twoP256);
  if (ref === "jwk:oct") return JSON.stringify(octKey);
  if (ref === "jwk:oct-other") return JSON.stringify(octOther);
  const [form, name] = ref.split(":");
  const key = keys[name];
  switch (form) {
    case "jwk": return JSON.stringify(key.jwk);
    case "spki": return key.spki;
    case "pkcs1": return key.pkcs1;
    case "cert": return key.certificate;
    default: throw new Error(`unknown key reference ${ref}`);
  }
}

/** The key jose's jwtVerify is given for a reference. */
async function joseKey(ref, alg) {
  const text = keyText(ref);
  if (ref.startsWith("jwks")) return jose.createLocalJWKSet(JSON.parse(text));
  const [form, name] = ref.split(":");
  if (form === "jwk") return jose.importJWK(JSON.parse(text), alg);
  if (form === "spki") return jose.importSPKI(text, alg);
  if (form === "cert") return jose.importX509(text, alg);
  return pairs[name].publicKey; // PKCS#1: jose has no importer; Node reads it into a KeyObject.
}

/** jose's verdict: "valid", or the error's code (or its name: TypeError, WebCrypto's DataError). */
async function joseVerdict(token, refs, alg) {
  const verdicts = [];
  for (const ref of refs) {
    try {
      const key = await joseKey(ref, alg);
      await jose.jwtVerify(token, key, { currentDate: new Date(now * 1000) });
      verdicts.push("valid");
    } catch (e) {
      verdicts.push(typeof e.code === "string" ? e.code : e.name);
    }
  }
  return verdicts.includes("valid") ? "valid" : verdicts[0];
}

// ---- Tokens ----

const sign = (alg, name, kid = keys[name]?.kid) =>
  new jose.SignJWT(claims)
    .setProtectedHeader(kid ? { alg, typ: "JWT", kid } : { alg, typ: "JWT" })
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(pairs[name].privateKey);

/** A token signed by hand (what jose refuses to make). */
function handSigned(header, signer) {
  const input = `${b64u(JSON.stringify(header))}.${b64u(JSON.stringify({ ...claims, iat: now, exp: now + 3600 }))}`;
  return `${input}.${b64u(signer(Buffer.from(input)))}`;
}

const cases = [];
async function add(kind, alg, token, refs, note) {
  cases.push({ kind, alg, token, publicKeys: refs, jose: await joseVerdict(token, refs, alg), note });
}

const algKeys = {
  RS256: ["rsa", "rsa-other"], RS384: ["rsa-3072", "rsa-other"], RS512: ["rsa", "rsa-other"],
  PS256: ["rsa", "rsa-other"], PS384: ["rsa-3072", "rsa-other"], PS512: ["rsa", "rsa-other"],
  ES256: ["p256", "p256-other"], ES384: ["p384", "p384-other"], ES512: ["p521", "p521-other"],
  EdDSA: ["ed25519", "ed25519-other"],
  Ed25519: ["ed25519", "ed25519-other"], // RFC 9864's fully-specified name for EdDSA on Ed25519
};

for (const [alg, [name, other]] of Object.entries(algKeys)) {
  const token = await sign(alg, name);
  await add("valid", alg, token, [`jwk:${name}`], "the JWK");
  await add("valid", alg, token, ["jwks"], "the JWK Set, by kid");
  await add("valid", alg, token, [`spki:${name}`], "SPKI PEM");
  if (keys[name].pkcs1) await add("valid", alg, token, [`pkcs1:${name}`], "PKCS#1 PEM");
  if (keys[name].certificate) await add("valid", alg, token, [`cert:${name}`], "X.509 certificate");
  await add("invalid", alg, token, [`jwk:${other}`], "another key of the same type");
  await add("invalid", alg, token, [`spki:${other}`], "another key of the same type, PEM");
  const noKid = await sign(alg, name, null);
  await add("valid", alg, noKid, [`spki:${other}`, `jwk:${name}`], "no kid: each key that fits is tried");
}

// The signing key was rotated: the token's kid is not in the JWK Set.
await add("kid-not-found", "RS256", await sign("RS256", "rsa-rotated", "rsa-2025"), ["jwks"], "kid rsa-2025 is not in the JWKS");
// The right key, under another kid: a verifier looking up by kid rejects it.
await add("kid-not-found-but-verifies", "RS256", await sign("RS256", "rsa", "rsa-renamed"), ["jwks"], "signed by rsa-2026 but labelled rsa-renamed");
// No kid and several keys of the type: jose refuses to choose.
await add("no-kid-several-fit", "ES256", await sign("ES256", "p256", null), ["jwks:two-p256"], "no kid, two P-256 keys in the JWKS");
// Key of the wrong type or curve.
await add("key-mismatch", "RS256", await sign("RS256", "rsa"), ["jwk:p256"], "an EC key for RS256");
await add("key-mismatch", "ES384", await sign("ES384", "p384"), ["spki:p256"], "a P-256 key for ES384");
await add("key-mismatch", "EdDSA", await sign("EdDSA", "ed25519"), ["pkcs1:rsa"], "an RSA key for EdDSA");
await add("key-mismatch", "ES256", await sign("ES256", "p256", "rsa-2026"), ["jwks"], "the kid names the RSA key");
await add("key-mismatch", "PS256", await sign("PS256", "rsa"), ["jwks:rs256-only"], "the JWK says alg RS256");
// An RS256 signature under a PS256 header.
await add("rs-ps-swapped", "PS256", handSigned({ alg: "PS256", kid: "rsa-2026" }, (input) => nodeSign("sha256", input, { key: pairs.rsa.privateKey, padding: constants.RSA_PKCS1_PADDING })), ["jwks"], "PKCS#1 v1.5 padding under a PS256 header");
// Algorithm confusion: HS256 signed with the public key's PEM text as the HMAC secret …
const pemSecret = keys.rsa.spki;
await add("alg-key-confusion-forged", "HS256", handSigned({ alg: "HS256", typ: "JWT" }, (input) => createHmac("sha256", pemSecret).update(input).digest()), ["spki:rsa"], "HMAC with the SPKI PEM as the secret");
// … and an HS256 token from somewhere else.
await add("alg-key-confusion", "HS256", await new jose.SignJWT(claims).setProtectedHeader({ alg: "HS256" }).setIssuedAt(now).setExpirationTime(now + 3600).sign(new TextEncoder().encode("an-app-secret-with-32-characters")), ["jwks"], "an HS256 token against the JWKS");
// HS256 with a symmetric JWK.
const hsToken = await new jose.SignJWT(claims).setProtectedHeader({ alg: "HS256", kid: "hmac-1" }).setIssuedAt(now).setExpirationTime(now + 3600).sign(Buffer.from(JSON.parse(keyText("jwk:oct")).k, "base64url"));
await add("valid", "HS256", hsToken, ["jwk:oct"], "an oct JWK");
await add("invalid", "HS256", hsToken, ["jwk:oct-other"], "another oct JWK");
// DER ECDSA signatures (Node's crypto.sign default), right key and wrong key.
for (const [alg, hash, name, other] of [["ES256", "sha256", "p256", "p256-other"], ["ES384", "sha384", "p384", "p384-other"], ["ES512", "sha512", "p521", "p521-other"]]) {
  const der = handSigned({ alg, kid: keys[name].kid }, (input) => nodeSign(hash, input, pairs[name].privateKey));
  await add("ecdsa-der", alg, der, ["jwks"], "DER signature, right key");
  await add("ecdsa-der-wrong-key", alg, der, [`jwk:${other}`], "DER signature, another key");
}
// A 1024-bit RSA key (jose refuses to sign or verify with it).
const rsa1024 = handSigned({ alg: "RS256" }, (input) => nodeSign("sha256", input, pairs["rsa-1024"].privateKey));
await add("weak-key", "RS256", rsa1024, ["jwk:rsa-1024"], "1024-bit RSA");
// Never valid, whatever the keys: unsigned, alg none, a cut signature.
const [h, p] = (await sign("RS256", "rsa")).split(".");
await add("signature-missing", "RS256", `${h}.${p}.`, ["jwks"], "the signature part is empty");
await add("alg-none", "none", `${b64u(JSON.stringify({ alg: "none" }))}.${p}.`, ["jwks", "jwk:oct"], "alg none");

const out = {
  description: "JWS tokens signed by jose with generated keys, the public keys in every form, and jose's own verdicts. Made by tests/jws/make-vectors.mjs.",
  generatedAt: now,
  packages: { jose: joseVersion, openssl: execFileSync("openssl", ["version"], { encoding: "utf8" }).trim() },
  keyTexts: Object.fromEntries(
    [...new Set(cases.flatMap((c) => c.publicKeys))].sort().map((ref) => [ref, keyText(ref)]),
  ),
  cases,
};

const file = path.join(testsDir, "fixtures/jws-vectors.json");
writeFileSync(file, JSON.stringify(out, null, 1) + "\n");
const verdicts = {};
for (const c of cases) verdicts[c.jose] = (verdicts[c.jose] ?? 0) + 1;
console.log(`${path.relative(process.cwd(), file)}: ${cases.length} cases; jose says ${JSON.stringify(verdicts)}`);
