// Records the flows of scenarios.mjs's harScenarios() in real Chromium and writes each as the
// HAR file Chromium's DevTools would export for it ("Export HAR (with sensitive data)"), next to
// Chromium's own cookie verdicts for the same run:
//
//   node tests/differential/record-hars.mjs [--out DIR] [--only SUBSTRING]
//
// writes tests/fixtures/hars/<id with / → __>.har and <id>.verdicts.json by default.
//
// The HAR is built from the CDP events record.mjs already collects, the way DevTools' HAR
// exporter (front_end/models/har/Log.ts) builds it: one entry per request and per redirect hop,
// in the order the requests started; request headers are the ones really sent
// (requestWillBeSentExtraInfo: Cookie, Origin, Referer, Sec-Fetch-*), response headers the ones
// really received (responseReceivedExtraInfo), a header holding several lines (Set-Cookie) split
// into one header per line as DevTools does; redirectURL is the raw Location;
// `_resourceType` is the CDP type lower-cased (document, fetch, image…), `_initiator` the CDP
// initiator; response bodies are included (base64 for binary ones).
//
// Deterministic apart from small timing noise: every wall-clock time is rebased onto
// HAR_EPOCH (2026-03-01T09:00:00Z) — the offsets between requests are the real ones — and the
// server's Date headers are rewritten onto the same clock. Values in the scenarios are fixed.
//
// The verdicts file holds, per HAR entry index: { url, cookies: [{ name, reasons }] (Chromium's
// associatedCookies, in its order; empty reasons = sent), blockedSetCookies: [{ line, reasons }],
// deletedByScript?: [name] (cookies the page's script had deleted by then) }.
import { chromium } from 'playwright-core';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServers } from './server.mjs';
import { harScenarios, HAR_EPOCH, playEach } from './scenarios.mjs';
import { runScenario, HAR_LAUNCH_ARGS, CHROMIUM, fromCache } from './record.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const HAR_DIR = join(here, '..', 'fixtures', 'hars');
export const fileStem = (id) => id.replaceAll('/', '__');

const STATUS_TEXT = { 200: 'OK', 301: 'Moved Permanently', 302: 'Found', 303: 'See Other', 307: 'Temporary Redirect', 308: 'Permanent Redirect', 404: 'Not Found' };
const round3 = (x) => Math.round(x * 1000) / 1000;

// CDP header map → HAR headers: one header per line of a multi-line value (DevTools'
// headersMapToHeadersArray).
function headerList(map) {
  const out = [];
  for (const [name, value] of Object.entries(map ?? {})) {
    for (const v of String(value).split('\n')) out.push({ name, value: v });
  }
  return out;
}
const headerValue = (list, name) => list.find((h) => h.name.toLowerCase() === name)?.value;

// A CDP Network.Cookie → a HAR cookie (DevTools' buildCookie).
function harCookie(c, clock) {
  const o = { name: c.name, value: c.value, path: c.path, domain: c.domain, expires: c.session || c.expires < 0 ? null : clock(c.expires * 1000).toISOString(), httpOnly: c.httpOnly, secure: c.secure };
  if (c.sameSite) o.sameSite = c.sameSite;
  return o;
}

// A Set-Cookie line → a HAR response cookie (as DevTools' CookieParser reads it).
function parseSetCookie(line, at) {
  const [pair, ...attrs] = line.split(';');
  const eq = pair.indexOf('=');
  const c = { name: eq < 0 ? '' : pair.slice(0, eq).trim(), value: eq < 0 ? pair.trim() : pair.slice(eq + 1).trim() };
  let expires = null;
  for (const a of attrs) {
    const i = a.indexOf('=');
    const k = (i < 0 ? a : a.slice(0, i)).trim().toLowerCase();
    const v = i < 0 ? '' : a.slice(i + 1).trim();
    if (k === 'path') c.path = v;
    else if (k === 'domain') c.domain = v;
    else if (k === 'max-age' && /^-?\d+$/.test(v)) expires = new Date(at.getTime() + Number(v) * 1000).toISOString();
    else if (k === 'expires' && !expires && !Number.isNaN(Date.parse(v))) expires = new Date(Date.parse(v)).toISOString();
    else if (k === 'httponly') c.httpOnly = true;
    else if (k === 'secure') c.secure = true;
    else if (k === 'samesite') c.sameSite = v;
  }
  return { name: c.name, value: c.value, path: c.path, domain: c.domain, expires, httpOnly: Boolean(c.httpOnly), secure: Boolean(c.secure), ...(c.sameSite ? { sameSite: c.sameSite } : {}) };
}

// DevTools' Entry.buildTimings, from the CDP ResourceTiming (ms relative to requestTime).
function timings(hop) {
  const t = hop.response?.timing;
  const issue = hop.p.timestamp;
  const out = { blocked: -1, dns: -1, ssl: -1, connect: -1, send: 0, wait: 0, receive: 0, _blocked_queueing: -1 };
  const end = hop.endTime ?? hop.responseTime ?? issue;
  if (!t) {
    out.blocked = round3((end - issue) * 1000);
    return out;
  }
  const queued = t.requestTime > issue ? (t.requestTime - issue) * 1000 : -1;
  out.blocked = round3(queued); out._blocked_queueing = round3(queued);
  const least = (vs) => vs.reduce((b, v) => (v >= 0 && v < b ? v : b), Infinity);
  const blockedStart = least([t.dnsStart, t.connectStart, t.sendStart]);
  if (blockedStart !== Infinity) out.blocked = round3(out.blocked + blockedStart);
  const dnsEnd = t.dnsEnd >= 0 ? t.dnsEnd : -1;
  out.dns = round3(t.dnsEnd >= 0 ? dnsEnd - blockedStart : -1);
  const sslEnd = t.sslEnd > 0 ? t.sslEnd : -1;
  out.ssl = round3(sslEnd - (t.sslEnd > 0 ? t.sslStart : 0));
  const connectEnd = t.connectEnd >= 0 ? t.connectEnd : -1;
  out.connect = round3(connectEnd - (t.connectEnd >= 0 ? least([dnsEnd, blockedStart]) : 0));
  const sendStart = t.sendEnd >= 0 ? Math.max(connectEnd, dnsEnd, blockedStart) : 0;
  out.send = round3(Math.max((t.sendEnd >= 0 ? t.sendEnd : 0) - sendStart, 0));
  const highest = Math.max(t.sendEnd, connectEnd, sslEnd, dnsEnd, blockedStart, 0);
  const waitEnd = ((hop.responseTime ?? t.requestTime) - t.requestTime) * 1000;
  out.wait = round3(Math.max(waitEnd - highest, 0));
  out.receive = round3(Math.max((end - t.requestTime) * 1000 - waitEnd, 0));
  return out;
}

// The HAR log of one recorded scenario.
export function buildHar(capture, chromiumVersion) {
  const { hops, extraOf } = capture;
  const wall0 = hops[0].p.wallTime;
  const ts0 = hops[0].p.timestamp;
  // Everything on one clock: CDP monotonic timestamps, rebased onto HAR_EPOCH.
  const clock = (ms) => new Date(HAR_EPOCH + (ms - wall0 * 1000));
  const mono = (ts) => clock(wall0 * 1000 + (ts - ts0) * 1000);
  const pages = [];
  let pageref = null;
  const entries = hops.map((h) => {
    const p = h.p;
    const { rqx, rsx } = extraOf(h);
    const started = mono(p.timestamp);
    if (p.type === 'Document' && h.topLevel && !h.prev) {
      pageref = `page_${pages.length + 1}`;
      pages.push({ startedDateTime: started.toISOString(), id: pageref, title: p.request.url, pageTimings: { onContentLoad: -1, onLoad: -1 } });
    }
    const reqHeaders = headerList(rqx?.headers ?? p.request.headers);
    const resp = h.response ?? {};
    const respHeaders = headerList(rsx?.headers ?? resp.headers).map((x) =>
      // The server's clock, rebased like the rest.
      (x.name.toLowerCase() === 'date' ? { name: x.name, value: mono(h.responseTime ?? p.timestamp).toUTCString() } : x));
    const url = new URL(p.request.url);
    const request = {
      method: p.request.method,
      url: p.request.url.split('#')[0],
      httpVersion: 'HTTP/1.1',
      headers: reqHeaders,
      queryString: [...url.searchParams].map(([name, value]) => ({ name, value })),
      cookies: (rqx?.associatedCookies ?? []).filter((c) => c.blockedReasons.length === 0).map((c) => harCookie(c.cookie, clock)),
      headersSize: -1,
      bodySize: p.request.postData ? Buffer.byteLength(p.request.postData) : 0,
    };
    if (p.request.postData !== undefined) {
      const mimeType = headerValue(reqHeaders, 'content-type') ?? '';
      request.postData = { mimeType, text: p.request.postData };
      if (/^application\/x-www-form-urlencoded/.test(mimeType)) {
        request.postData.params = [...new URLSearchParams(p.request.postData)].map(([name, value]) => ({ name, value }));
      }
    }
    const body = h.bodyRead ?? null;
    // Without the body (a document its own script replaced at once; DevTools loses it too) the
    // size is still known.
    const content = { size: Number(headerValue(respHeaders, 'content-length') ?? 0), mimeType: resp.mimeType || 'x-unknown' };
    if (body) {
      content.size = body.base64Encoded ? Buffer.from(body.body, 'base64').length : Buffer.byteLength(body.body);
      content.text = body.body;
      if (body.base64Encoded) content.encoding = 'base64';
    }
    const status = rsx?.statusCode ?? resp.status ?? 0;
    const t = timings(h);
    const time = round3([t.blocked, t.dns, t.connect, t.send, t.wait, t.receive].reduce((a, x) => a + Math.max(x, 0), 0));
    const entry = {
      _initiator: p.initiator ? Object.fromEntries(['type', 'url', 'requestId', 'lineNumber', 'stack'].filter((k) => p.initiator[k] !== undefined).map((k) => [k, p.initiator[k]])) : null,
      _priority: p.request.initialPriority ?? 'VeryHigh',
      _resourceType: (p.type ?? 'Other').toLowerCase(),
      cache: {},
      connection: resp.remotePort ? String(resp.remotePort) : undefined,
      pageref: pageref ?? undefined,
      request,
      response: {
        status,
        statusText: resp.statusText || STATUS_TEXT[status] || '',
        httpVersion: 'HTTP/1.1',
        headers: respHeaders,
        cookies: respHeaders.filter((x) => x.name.toLowerCase() === 'set-cookie').map((x) => parseSetCookie(x.value, started)),
        content,
        redirectURL: headerValue(respHeaders, 'location') ?? '',
        headersSize: -1,
        bodySize: content.size,
        _transferSize: h.encodedDataLength ?? 0,
        _error: h.error ?? null,
      },
      serverIPAddress: resp.remoteIPAddress ?? '',
      startedDateTime: started.toISOString(),
      time,
      timings: t,
    };
    // DevTools' Log.ts: a request the cache answered is `_fromCache` "memory" or "disk".
    if (fromCache(h)) entry._fromCache = fromCache(h);
    if (entry.connection === undefined) delete entry.connection;
    if (entry.pageref === undefined) delete entry.pageref;
    return entry;
  });
  const webkit = /AppleWebKit\/([^ ]+)/.exec(hops[0] && extraOf(hops[0]).rqx?.headers?.['User-Agent'] || '')?.[1] ?? '537.36';
  return { log: { version: '1.2', creator: { name: 'WebInspector', version: webkit }, browser: { name: 'Chromium', version: chromiumVersion }, pages, entries } };
}

// Chromium's verdicts, per HAR entry.
export function verdictsOf(result, chromiumVersion) {
  // A cookie the page's script deleted (scenario `deletedByScript: { cookie, from }`) is gone from
  // the entry at `from` on: the recording cannot show why, so the replay still predicts it.
  const deleted = result.deletedByScript;
  const from = deleted ? result.steps.findIndex((st) => st.url === deleted.from) : -1;
  return {
    id: result.id,
    description: result.description,
    chromium: chromiumVersion,
    // Whether the recording browser allowed third-party cookies (a browser context blocks them).
    thirdPartyCookies: result.thirdPartyCookies ?? 'blocked',
    entries: result.steps.map((st, index) => ({
      index,
      url: st.url,
      cookies: st.cookies.map((c) => ({ name: c.name, reasons: c.reasons })),
      blockedSetCookies: st.blockedSetCookies,
      ...(from >= 0 && index >= from ? { deletedByScript: [deleted.cookie] } : {}),
    })),
  };
}

export async function recordHars({ outDir = HAR_DIR, only = null, log = () => {} } = {}) {
  const scenarios = harScenarios().filter((s) => !only || s.id.includes(only));
  const server = await startServers();
  let browser;
  const written = [];
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: HAR_LAUNCH_ARGS });
    const version = browser.version();
    mkdirSync(outDir, { recursive: true });
    written.push(...await playEach(scenarios, async (sc) => {
      const result = await runScenario(browser, server, sc, { har: true });
      const har = buildHar(result.capture, version);
      const stem = join(outDir, fileStem(sc.id));
      writeFileSync(`${stem}.har`, `${JSON.stringify(har, null, 2)}\n`);
      writeFileSync(`${stem}.verdicts.json`, `${JSON.stringify(verdictsOf(result, version), null, 2)}\n`);
      return { id: sc.id, entries: har.log.entries.length };
    }, log, (w) => `${w.entries} entries`));
    return { chromium: version, written };
  } finally {
    await browser?.close();
    await server.close();
  }
}

// What must not change between two recordings of the same flows: Chromium's verdicts, and the
// parts of each HAR entry the replay reads (not times, sizes or bodies of documents).
export function harSkeleton(har) {
  const cookieHeaders = (hs, name) => hs.filter((h) => h.name.toLowerCase() === name).map((h) => h.value);
  return har.log.entries.map((e) => ({
    request: `${e.request.method} ${e.request.url} ${e._resourceType} → ${e.response.status}${e.response.redirectURL ? ` ${e.response.redirectURL}` : ''}`,
    requestHeaders: e.request.headers.map((h) => h.name).sort().join(' '),
    context: ['origin', 'referer', 'sec-fetch-site', 'sec-fetch-dest', 'sec-fetch-mode', 'authorization'].map((n) => `${n}=${cookieHeaders(e.request.headers, n).join('|')}`).join(' '),
    cookie: cookieHeaders(e.request.headers, 'cookie'),
    setCookie: cookieHeaders(e.response.headers, 'set-cookie'),
    postData: e.request.postData?.text ?? null,
    body: /^(fetch|xhr)$/.test(e._resourceType) ? e.response.content.text ?? null : '(document)',
  }));
}

// Differences between the HAR fixtures of two directories (expected, actual), as readable lines.
export function diffHarDirs(expectedDir, actualDir, ids = harScenarios().map((s) => s.id)) {
  const out = [];
  const load = (dir, id, ext) => {
    const f = join(dir, `${fileStem(id)}${ext}`);
    return existsSync(f) ? JSON.parse(readFileSync(f, 'utf8')) : null;
  };
  for (const id of ids) {
    const [ev, av] = [load(expectedDir, id, '.verdicts.json'), load(actualDir, id, '.verdicts.json')];
    const [eh, ah] = [load(expectedDir, id, '.har'), load(actualDir, id, '.har')];
    if (!ev || !eh) { out.push(`${id}: no committed fixture (record: node tests/differential/record-hars.mjs)`); continue; }
    if (!av || !ah) { out.push(`${id}: not re-recorded`); continue; }
    const n = Math.max(ev.entries.length, av.entries.length);
    for (let i = 0; i < n; i++) {
      const [a, b] = [JSON.stringify(ev.entries[i] ?? null), JSON.stringify(av.entries[i] ?? null)];
      if (a !== b) out.push(`${id} entry ${i} verdicts:\n    - ${a}\n    + ${b}`);
    }
    const [es, as] = [harSkeleton(eh), harSkeleton(ah)];
    for (let i = 0; i < Math.max(es.length, as.length); i++) {
      for (const k of Object.keys(es[i] ?? as[i])) {
        const [a, b] = [JSON.stringify(es[i]?.[k]), JSON.stringify(as[i]?.[k])];
        if (a !== b) out.push(`${id} entry ${i} HAR ${k}:\n    - ${a}\n    + ${b}`);
      }
    }
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : null; };
  const t0 = Date.now();
  const r = await recordHars({ outDir: opt('--out') ?? HAR_DIR, only: opt('--only'), log: (l) => console.error(l) });
  const n = r.written.reduce((a, w) => a + w.entries, 0);
  console.error(`wrote ${r.written.length} HARs (${n} entries), Chromium ${r.chromium}, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
