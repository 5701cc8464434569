// Makes tests/fixtures/jwe-vectors.json: session cookies written by the real libraries, and what
// the libraries' own readers make of them. tests/jwe.rs checks the Rust core against this file.
//
//   npm ci --prefix tests && node tests/jwe/make-vectors.mjs
//
// - NextAuth.js v4 (`next-auth/jwt` encode/decode/getToken, and its SessionStore chunking);
// - Auth.js (`@auth/core/jwt` encode/decode/getToken with the cookie name as salt, secret
//   rotation with `secret: [new, old]`, and its SessionStore chunking);
// - Supabase (`@supabase/ssr`'s own cookie storage: `base64-` + base64url(session JSON), split
//   into `.0`, `.1`, … chunks) with an access token signed by jose.
//
// Tokens carry iat/exp from the moment the script runs, so the file records that moment
// (`generatedAt`) and the Rust test analyses every token "as of" it. The secrets are test secrets.

import { createRequire } from "node:module";
import { hkdfSync } from "node:crypto";
import { writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const testsDir = path.join(here, "..");
const modules = path.join(testsDir, "node_modules");
const require = createRequire(path.join(testsDir, "package.json"));

const nextAuthJwt = require("next-auth/jwt");
// The SessionStore classes are internal (not in the packages' export maps): load them by file.
const { SessionStore: NextAuthSessionStore } = require(path.join(modules, "next-auth/core/lib/cookie.js"));
const authJwt = await import("@auth/core/jwt");
const { SessionStore: AuthSessionStore } = await import(pathToFileURL(path.join(modules, "@auth/core/lib/utils/cookie.js")).href);
const supabaseCookies = require(path.join(modules, "@supabase/ssr/dist/main/cookies.js"));
const jose = await import("jose");

const version = (name) => require(path.join(modules, name, "package.json")).version;
const quietLogger = { debug() {}, warn() {}, error() {} };

const SECRET = "an-app-secret-shared-by-every-instance-0001";
const OLD_SECRET = "the-secret-before-the-rotation-of-march-0002";
const OTHER_SECRET = "a-fallback-secret-generated-by-one-instance";
const SUPABASE_JWT_SECRET = "super-secret-jwt-token-with-at-least-32-characters-long";

const user = { name: "Ada Lovelace", email: "ada@example.com", picture: "https://example.com/ada.png", sub: "user-1815" };
/** A payload big enough that the encrypted cookie is split into chunks (three chunks of ~3.9 KB). */
const bigUser = { ...user, groups: Array.from({ length: 330 }, (_, i) => `group-${String(i).padStart(3, "0")}-engineering`) };

const cookieHeader = (cookies) => cookies.map(({ name, value }) => `${name}=${value}`).join("; ");

const out = {
  description: "Session cookies written by next-auth, @auth/core and @supabase/ssr, with what their own readers return. Made by tests/jwe/make-vectors.mjs.",
  generatedAt: Math.floor(Date.now() / 1000),
  packages: { "next-auth": version("next-auth"), "@auth/core": version("@auth/core"), "@supabase/ssr": version("@supabase/ssr"), jose: version("jose") },
  secrets: { current: SECRET, old: OLD_SECRET, other: OTHER_SECRET },
  tokens: [],
  chunked: [],
  supabase: [],
};

// ---- Single tokens: encode, then the library's decode. ----

async function nextAuthToken(name, cookieName, token, secret) {
  const jwt = await nextAuthJwt.encode({ token, secret });
  const payload = await nextAuthJwt.decode({ token: jwt, secret });
  let wrong = "decoded";
  await nextAuthJwt.decode({ token: jwt, secret: OTHER_SECRET }).catch(() => (wrong = "rejected"));
  out.tokens.push({
    name, library: "next-auth", cookieName, token: jwt, payload,
    decodeWithOtherSecret: wrong,
    expect: { secretIndex: 0, derivation: "nextauth-v4", salt: "" },
  });
}

async function authJsToken(name, cookieName, token, encodeSecret, decodeSecrets, expectIndex) {
  const jwt = await authJwt.encode({ token, secret: encodeSecret, salt: cookieName });
  const payload = await authJwt.decode({ token: jwt, secret: decodeSecrets, salt: cookieName });
  let wrong = "decoded";
  await authJwt.decode({ token: jwt, secret: OTHER_SECRET, salt: cookieName }).catch(() => (wrong = "rejected"));
  let wrongSalt = "decoded";
  await authJwt.decode({ token: jwt, secret: decodeSecrets, salt: "some-other.session-token" }).catch(() => (wrongSalt = "rejected"));
  out.tokens.push({
    name, library: "@auth/core", cookieName, token: jwt, payload, secrets: decodeSecrets,
    decodeWithOtherSecret: wrong, decodeWithOtherSalt: wrongSalt,
    expect: { secretIndex: expectIndex, derivation: "authjs", salt: cookieName },
  });
}

await nextAuthToken("next-auth v4, default cookie", "next-auth.session-token", user, SECRET);
await nextAuthToken("next-auth v4, __Secure- cookie, no sub", "__Secure-next-auth.session-token", { name: "Guest", email: "guest@example.com" }, SECRET);
await authJsToken("Auth.js, default cookie", "authjs.session-token", user, SECRET, [SECRET], 0);
await authJsToken("Auth.js, __Secure- cookie", "__Secure-authjs.session-token", user, SECRET, [SECRET], 0);
await authJsToken("Auth.js, custom cookie name", "my-app.session", user, SECRET, [SECRET], 0);
await authJsToken("Auth.js, rotated: made with the old secret, read with [new, old]", "authjs.session-token", user, OLD_SECRET, [SECRET, OLD_SECRET], 1);

// Auth.js's decode also accepts A256GCM (its encode writes A256CBC-HS512): a token made with
// jose and Auth.js's key derivation for A256GCM, checked by @auth/core's decode.
{
  const cookieName = "authjs.session-token";
  const key = new Uint8Array(hkdfSync("sha256", SECRET, cookieName, `Auth.js Generated Encryption Key (${cookieName})`, 32));
  const kid = await jose.calculateJwkThumbprint({ kty: "oct", k: jose.base64url.encode(key) }, "sha256");
  const now = Math.floor(Date.now() / 1000);
  const jwt = await new jose.EncryptJWT(user).setProtectedHeader({ alg: "dir", enc: "A256GCM", kid })
    .setIssuedAt(now).setExpirationTime(now + 3600).setJti("a256gcm-vector").encrypt(key);
  const payload = await authJwt.decode({ token: jwt, secret: SECRET, salt: cookieName });
  out.tokens.push({
    name: "Auth.js derivation, A256GCM (made with jose, read by @auth/core decode)", library: "@auth/core", cookieName,
    token: jwt, payload, secrets: [SECRET], expect: { secretIndex: 0, derivation: "authjs", salt: cookieName },
  });
}

// ---- Chunked cookies: the libraries' SessionStore cuts, their getToken reassembles. ----

{
  const cookieName = "next-auth.session-token";
  const jwt = await nextAuthJwt.encode({ token: bigUser, secret: SECRET });
  const store = new NextAuthSessionStore({ name: cookieName, options: {} }, { cookies: {}, headers: {} }, quietLogger);
  const cookies = store.chunk(jwt, {}).map(({ name, value }) => ({ name, value }));
  const asObject = (list) => Object.fromEntries(list.map((c) => [c.name, c.value]));
  const payload = await nextAuthJwt.getToken({ req: { cookies: asObject(cookies), headers: {} }, secret: SECRET, cookieName });
  const withoutChunk1 = cookies.filter((c) => !c.name.endsWith(".1"));
  const missing = await nextAuthJwt.getToken({ req: { cookies: asObject(withoutChunk1), headers: {} }, secret: SECRET, cookieName });
  out.chunked.push({
    name: "next-auth v4 SessionStore chunks", library: "next-auth", cookieName, secrets: [SECRET],
    cookies, token: jwt, payload, getTokenWithoutChunk1: missing,
    expect: { secretIndex: 0, derivation: "nextauth-v4", salt: "" },
  });
}

for (const secure of [false, true]) {
  const cookieName = `${secure ? "__Secure-" : ""}authjs.session-token`;
  const jwt = await authJwt.encode({ token: bigUser, secret: SECRET, salt: cookieName });
  const store = new AuthSessionStore({ name: cookieName, options: {} }, {}, quietLogger);
  const cookies = store.chunk(jwt, {}).map(({ name, value }) => ({ name, value }));
  const read = (list) => authJwt.getToken({ req: { headers: { cookie: cookieHeader(list) } }, secret: SECRET, secureCookie: secure });
  const payload = await read(cookies);
  const missing = await read(cookies.filter((c) => !c.name.endsWith(".1")));
  out.chunked.push({
    name: `@auth/core SessionStore chunks${secure ? ", __Secure-" : ""}`, library: "@auth/core", cookieName, secrets: [SECRET],
    cookies, token: jwt, payload, getTokenWithoutChunk1: missing,
    expect: { secretIndex: 0, derivation: "authjs", salt: cookieName },
  });
}

// ---- Supabase: @supabase/ssr's server storage writes the cookies, and reads them back. ----

async function supabaseSession(name, ref, extraMetadata) {
  const now = out.generatedAt;
  const claims = { aud: "authenticated", role: "authenticated", sub: "5f0c2a3e-0000-4000-8000-000000001815", email: "ada@example.com", session_id: "b1c2d3e4-0000-4000-8000-000000000001", iat: now - 60, exp: now + 3540 };
  const accessToken = await new jose.SignJWT(claims).setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer(`https://${ref}.supabase.co/auth/v1`).sign(new TextEncoder().encode(SUPABASE_JWT_SECRET));
  const session = {
    access_token: accessToken, token_type: "bearer", expires_in: 3600, expires_at: now + 3540,
    refresh_token: "v1.refresh-token-0123456789",
    user: { id: claims.sub, aud: "authenticated", role: "authenticated", email: claims.email, user_metadata: extraMetadata },
  };
  const key = `sb-${ref}-auth-token`;
  let written = [];
  const options = { cookieEncoding: "base64url", cookies: { getAll: () => [], setAll: (list) => { written = list; } } };
  const created = supabaseCookies.createStorageFromOptions(options, true);
  await created.storage.setItem(key, JSON.stringify(session));
  await supabaseCookies.applyServerStorage(created, { cookieEncoding: "base64url", cookieOptions: null });
  const cookies = written.filter((c) => c.value !== "").map(({ name, value }) => ({ name, value }));
  // Read back with the library's own reader; and without the second chunk, when there is one.
  const read = async (list) => {
    const reader = supabaseCookies.createStorageFromOptions({ cookieEncoding: "base64url", cookies: { getAll: () => list, setAll: () => {} } }, true);
    const warn = console.warn;
    console.warn = () => {};
    try {
      return JSON.parse(await reader.storage.getItem(key));
    } finally {
      console.warn = warn;
    }
  };
  const readBack = await read(cookies);
  const entry = { name, library: "@supabase/ssr", cookieName: key, cookies, session: readBack, jwtSecret: SUPABASE_JWT_SECRET };
  if (cookies.length > 1) entry.readWithoutChunk1 = await read(cookies.filter((c) => !c.name.endsWith(".1")));
  out.supabase.push(entry);
}

await supabaseSession("Supabase, one cookie", "abcdefghijklmnopqrst", { full_name: "Ada Lovelace" });
await supabaseSession("Supabase, chunked", "qrstuvwxyzabcdefghij", {
  full_name: "Ada Lovelace",
  teams: Array.from({ length: 170 }, (_, i) => `team-${String(i).padStart(3, "0")}-analytical-engines`),
});

const file = path.join(testsDir, "fixtures", "jwe-vectors.json");
writeFileSync(file, JSON.stringify(out, null, 2) + "\n");
console.log(`wrote ${path.relative(process.cwd(), file)}: ${out.tokens.length} tokens, ${out.chunked.length} chunked sets, ${out.supabase.length} Supabase sessions`);
