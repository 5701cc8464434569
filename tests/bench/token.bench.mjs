// Token analysis throughput: our full analysis (wasm) vs jose's decodeJwt and jwt-decode, on the
// same few thousand varied tokens, in one Node process. Prints per-token times and ratios.
//
//   node tests/bench/token.bench.mjs            (./build.sh bench builds the wasm first)
import { readFileSync } from 'node:fs';
import { createHmac } from 'node:crypto';
import { decodeJwt } from 'jose';
import { jwtDecode } from 'jwt-decode';
import { initSync, analyzeToken } from '../../www/pkg/cookie_inspector.js';
import { rng } from '../support/rng.mjs';

initSync({ module: readFileSync(new URL('../../www/pkg/cookie_inspector_bg.wasm', import.meta.url)) });

const NOW = 1_795_420_000;
const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');

function makeTokens(count) {
  const r = rng(20261123);
  const pick = (xs) => xs[Math.floor(r() * xs.length)];
  const tokens = [];
  for (let i = 0; i < count; i++) {
    const iat = NOW - Math.floor(r() * 86400);
    const exp = pick([iat + 3600, iat + 900, (iat * 1000) + 3600, 3600, iat - 60, iat + 30 * 86400]);
    const payload = {
      sub: r() < 0.9 ? `user-${Math.floor(r() * 1e6)}` : undefined,
      iat,
      exp,
      iss: pick(['https://auth.example.com', 'https://accounts.google.com', 'supabase']),
      aud: pick(['api', ['api', 'web'], 'authenticated']),
      email: `someone${i}@example.com`,
      role: pick(['user', 'admin', 'authenticated']),
      ...(r() < 0.3 ? { nbf: iat, jti: `id-${i}`, scope: 'openid profile email offline_access' } : {}),
      ...(r() < 0.1 ? { groups: Array.from({ length: 20 }, (_, g) => `group-${g}`) } : {}),
    };
    const header = { alg: pick(['HS256', 'HS256', 'RS256', 'ES256']), typ: 'JWT', ...(r() < 0.5 ? { kid: `key-${i % 7}` } : {}) };
    const input = `${b64(header)}.${b64(payload)}`;
    const sig = createHmac('sha256', 'bench-secret').update(input).digest('base64url');
    tokens.push(`${input}.${sig}`);
  }
  return tokens;
}

function measure(name, tokens, fn) {
  // Warm up (JIT, wasm tier-up), then take the best of several rounds: the least disturbed run.
  for (let i = 0; i < 2; i++) for (const t of tokens) fn(t);
  const rounds = [];
  for (let round = 0; round < 7; round++) {
    const start = process.hrtime.bigint();
    for (const t of tokens) fn(t);
    rounds.push(Number(process.hrtime.bigint() - start) / tokens.length);
  }
  rounds.sort((a, b) => a - b);
  return { name, best: rounds[0], median: rounds[Math.floor(rounds.length / 2)] };
}

const tokens = makeTokens(4000);
let sink = 0;
const results = [
  measure('jose decodeJwt', tokens, (t) => { try { sink += Object.keys(decodeJwt(t)).length; } catch { sink++; } }),
  measure('jwt-decode', tokens, (t) => { try { sink += Object.keys(jwtDecode(t)).length; } catch { sink++; } }),
  measure('cookie-inspector analyzeToken', tokens, (t) => { sink += analyzeToken(t, { now: NOW }).findings.length; }),
];
const ours = results[2];
console.log(`token analysis: ${tokens.length} varied tokens, ${(tokens.reduce((n, t) => n + t.length, 0) / tokens.length).toFixed(0)} bytes on average`);
for (const r of results) {
  console.log(`  ${r.name.padEnd(32)} ${(r.median / 1000).toFixed(2).padStart(7)} µs/token (median of 7), best ${(r.best / 1000).toFixed(2)}`);
}
for (const peer of results.slice(0, 2)) {
  const ratio = peer.median / ours.median;
  console.log(`  ratio ${peer.name} time / ours: ${ratio.toFixed(2)}× ${ratio >= 1 ? '(ours is at least as fast)' : '(ours is slower)'}`);
}
if (sink === 42) console.log('');
