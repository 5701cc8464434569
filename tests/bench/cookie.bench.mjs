// Cookie engine throughput: parsing + storing + sending the same Set-Cookie lines for the same
// URLs, in one Node process: tough-cookie's CookieJar (setCookieSync + getCookieStringSync) vs
// our CookieJar (setCookie + cookieString: the same decisions, with Chromium's reasons for each
// refused line). The goal is measured on that pair; our full "what if" report (analyzeSetCookie:
// parsed attributes, findings with explanations and fixes) is printed beside it for scale.
//
//   node tests/bench/cookie.bench.mjs        (./build.sh bench builds the wasm first)
import { readFileSync } from 'node:fs';
import { CookieJar } from 'tough-cookie';
import { initSync, analyzeSetCookie, CookieJar as WasmJar } from '../../www/pkg/cookie_inspector.js';
import { rng } from '../support/rng.mjs';

initSync({ module: readFileSync(new URL('../../www/pkg/cookie_inspector_bg.wasm', import.meta.url)) });


const NOW = 1_795_420_000;
const HOSTS = ['app.example.com', 'www.shop.co.uk', 'myapp.vercel.app', 'api.service.io', 'localhost'];
const NEXT = ['same-site-link', 'cross-site-link', 'same-site-fetch', 'cross-site-fetch'];

/** Scenarios: 5 Set-Cookie lines, a response URL and the next request. */
function scenarios(count) {
  const r = rng(7);
  const pick = (xs) => xs[Math.floor(r() * xs.length)];
  return Array.from({ length: count }, (_, i) => {
    const host = pick(HOSTS);
    const https = host === 'localhost' ? r() < 0.5 : r() < 0.9;
    const responseUrl = `${https ? 'https' : 'http'}://${host}/api/auth/callback/${i % 7}`;
    const lines = Array.from({ length: 5 }, (_, k) => {
      const attrs = [
        pick(['Path=/', 'Path=/api', '', 'Path=/api/auth']),
        pick(['Secure', '', 'Secure']),
        pick(['HttpOnly', '']),
        pick(['SameSite=Lax', 'SameSite=Strict', 'SameSite=None', '', 'SameSite=lax']),
        pick(['Max-Age=3600', 'Expires=Wed, 21 Oct 2099 07:28:00 GMT', '', 'Max-Age=0']),
        pick(['', '', `Domain=${host.split('.').slice(-2).join('.')}`]),
      ].filter(Boolean);
      const name = pick(['session', 'sid', '__Secure-token', '__Host-csrf', 'theme', `c${k}`]);
      return [`${name}=${'v'.repeat(8 + Math.floor(r() * 60))}`, ...attrs].join('; ');
    });
    const next = pick(NEXT);
    // Each side gets the lines in the form its API takes, prepared here rather than timed:
    // tough-cookie one line per call, ours a response's lines joined by \n as DevTools gives them.
    return { lines, joined: lines.join('\n'), responseUrl, next, nextUrl: responseUrl.replace(/\/api\/auth\/callback\/\d+$/, '/dashboard') };
  });
}

/** How many of a response's verdicts are not "stored", read in place (a split would allocate). */
function notStored(verdicts) {
  let n = 0;
  for (let at = 0; ; ) {
    const end = verdicts.indexOf('\n', at);
    const stop = end < 0 ? verdicts.length : end;
    if (stop - at !== 6 || !verdicts.startsWith('stored', at)) n++;
    if (end < 0) return n;
    at = end + 1;
  }
}

function oursJar(s) {
  const jar = new WasmJar();
  const crossSite = s.next.startsWith('cross-site');
  // One call per response, its Set-Cookie lines joined by \n as DevTools joins them.
  let n = notStored(jar.setCookie(s.joined, s.responseUrl, NOW));
  n += jar.cookieString(s.nextUrl, crossSite ? 'https://other.example' : undefined, NOW).length;
  jar.free();
  return n;
}

function ours(s) {
  const report = analyzeSetCookie(s.joined, { responseUrl: s.responseUrl, next: s.next, now: NOW });
  return report.lines.length;
}

// tough-cookie's options are made once, like our joined lines: neither side pays for preparing
// its arguments.
const NOW_DATE = new Date(NOW * 1000);
const SET_OPTIONS = { now: NOW_DATE, ignoreError: true, sameSiteContext: 'strict' };
const GET_SAME_SITE = { now: NOW_DATE, sameSiteContext: 'strict' };
const GET_CROSS_SITE = { now: NOW_DATE, sameSiteContext: 'none' };

function tough(s) {
  const jar = new CookieJar();
  const crossSite = s.next.startsWith('cross-site');
  let n = 0;
  for (const line of s.lines) {
    // With ignoreError, a refused cookie comes back undefined.
    if (jar.setCookieSync(line, s.responseUrl, SET_OPTIONS) === undefined) n++;
  }
  return n + jar.getCookieStringSync(s.nextUrl, crossSite ? GET_CROSS_SITE : GET_SAME_SITE).length;
}

const ROUNDS = 11;

/**
 * Times each of `runs` over all `items`, ROUNDS times, the runs taking turns round by round so
 * that the machine's drift (other load, CPU frequency) reaches every run alike. Per run: the
 * median and best round, in ns per item.
 */
function measure(items, runs) {
  for (const { fn } of runs) for (let i = 0; i < 2; i++) for (const s of items) fn(s);
  const rounds = runs.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    runs.forEach(({ fn }, k) => {
      const start = process.hrtime.bigint();
      for (const s of items) fn(s);
      rounds[k].push(Number(process.hrtime.bigint() - start) / items.length);
    });
  }
  return runs.map(({ name }, k) => {
    const sorted = rounds[k].sort((x, y) => x - y);
    return { name, median: sorted[ROUNDS >> 1], best: sorted[0] };
  });
}

const items = scenarios(2000);
// The pair the goal is about takes turns; the full report (which leaves much more garbage for
// the collector) is timed on its own after, so its collections land in neither.
const [a, b] = measure(items, [
  { name: 'tough-cookie CookieJar', fn: tough },
  { name: 'cookie-inspector CookieJar', fn: oursJar },
]);
const [c] = measure(items, [{ name: 'cookie-inspector analyzeSetCookie', fn: ours }]);
console.log(`cookie engine: ${items.length} scenarios × 5 Set-Cookie lines, then one request (${ROUNDS} rounds, taking turns)`);
for (const r of [a, b, c]) {
  console.log(`  ${r.name.padEnd(36)} ${(r.median / 1000).toFixed(1).padStart(7)} µs/scenario (median), best ${(r.best / 1000).toFixed(1)}`);
}
const ratio = a.median / b.median;
console.log(`  ratio tough-cookie time / our CookieJar: ${ratio.toFixed(2)}× (goal ≥ 5×: ${ratio >= 5 ? 'met' : 'not met'})`);
console.log(`  ratio tough-cookie time / our full report: ${(a.median / c.median).toFixed(2)}× (for scale: the report also writes every explanation)`);
