// Cookie test servers for the differential harness: one HTTP server (127.0.0.1:18080) and one
// HTTPS server (127.0.0.1:18443), both routing by the Host header, so that with Chromium's
//   --host-resolver-rules="MAP *.test 127.0.0.1, MAP *.vercel.app 127.0.0.1, MAP *.github.io 127.0.0.1"
// the URLs http://app.test:18080, https://app.test:18443, https://idp.test:18443,
// https://sub.app.test:18443, https://other.test:18443, https://myapp.vercel.app:18443 and
// http://localhost:18080 all reach them. The certificate is self-signed, made with `openssl`
// at start-up in a temporary directory (Chromium runs with --ignore-certificate-errors).
//
// What a URL answers comes from, first, the SCRIPT installed with setScript() (keyed by
// "scheme://host:port/path", query ignored), or else from its query parameters:
//   sc=LINE (repeatable)  a Set-Cookie line          status=302|303|307  loc=URL (Location)
//   next=link|form|form-auto|fetch|iframe|img        to=URL (what the page starts; for fetch, a
//   script's `to` may be a list of URLs fetched one after the other, and `method` and
//   `headers` (e.g. Authorization) may be given)
// A script entry is { status, location, setCookie: [lines], next: { kind, to, credentials, then, navigate, unlessCookie, deleteCookie, prefetch }, json,
// cacheControl, headers, withoutCookie }: `json` (any value) makes the body that JSON, as application/json; `cacheControl`
// replaces the default `Cache-Control: no-store` (`null`: no Cache-Control header at all);
// `withoutCookie: { name, location?, status?, cacheControl?, json? }` answers a request that carries no
// cookie of that name with that Location instead, and that status, Cache-Control and body when given
// (an identity provider that finds no session of its own: `error=login_required`; an app that
// sends the signed-out to sign in with a permanent redirect); `maxCookieBytes` answers a request
// whose Cookie header is longer with the 400 page nginx gives when a header line outgrows its
// buffers (large_client_header_buffers, 8 KB by default).
// Set-Cookie lines may hold bytes Node refuses in headers (control characters): such
// responses are written raw on the socket.
//
//   node tests/differential/server.mjs      # serve until Ctrl-C, logging every request
//   import { startServers } from './server.mjs'
import { createServer as createHttp } from 'node:http';
import { createServer as createHttps } from 'node:https';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const HTTP_PORT = 18080;
export const HTTPS_PORT = 18443;

function makeCertificate() {
  const dir = mkdtempSync(join(tmpdir(), 'cookie-diff-cert-'));
  try {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2',
      '-keyout', key, '-out', cert, '-subj', '/CN=app.test',
      '-addext', 'subjectAltName=DNS:*.test,DNS:*.app.test,DNS:*.vercel.app,DNS:*.github.io,DNS:localhost',
    ], { stdio: 'ignore' });
    return { key: readFileSync(key), cert: readFileSync(cert) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

// The HTML of a page that starts the next request.
export function pageHtml(next) {
  const head = '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,">';
  if (!next) return `${head}<title>ok</title><p>ok</p>`;
  const to = esc(next.to);
  switch (next.kind) {
    case 'link': {
      // `deleteCookie`: the page's own script deletes that cookie first (as a sign-out handler or a
      // consent script would), where the recording cannot see it.
      const del = next.deleteCookie
        ? `<script>document.cookie = ${JSON.stringify(`${next.deleteCookie}=; Max-Age=0; Path=/; Secure`).replace(/</g, '\\u003c')}</script>`
        : '';
      // `prefetch`: the page also asks the browser to prefetch that URL (<link rel=prefetch>,
      // as a framework's link prefetching does for the links a page shows).
      const prefetch = next.prefetch ? `<link rel="prefetch" href="${esc(next.prefetch)}">` : '';
      // `clickAfter`: the page follows the link by itself after that many milliseconds (a user
      // who reads the page a while, in both browsers' recorders alike).
      const later = Number.isFinite(next.clickAfter) ? `<script>setTimeout(() => document.getElementById('go').click(), ${Math.trunc(next.clickAfter)})</script>` : '';
      return `${head}<title>link</title>${prefetch}${del}<a id="go" href="${to}">next</a>${later}`;
    }
    case 'form':
    case 'form-auto':
      return `${head}<title>form</title><form id="f" method="POST" action="${to}">` +
        `<input type="hidden" name="code" value="c1"><button id="go" type="submit">next</button></form>` +
        (next.kind === 'form-auto' ? `<script>document.getElementById('f').submit()</script>` : '');
    case 'fetch': {
      // `to` may be a list: fetched one after the other.
      const urls = JSON.stringify([next.to].flat()).replace(/</g, '\\u003c');
      const extra = [next.method && `method: ${JSON.stringify(next.method)}`, next.headers && `headers: ${JSON.stringify(next.headers)}`]
        .filter(Boolean).map((x) => `, ${x.replace(/</g, '\\u003c')}`).join('');
      // Cookies go along unless the scenario asks for another credentials mode (fetch's default
      // is 'same-origin': none on a cross-origin request).
      const credentials = JSON.stringify(next.credentials ?? 'include').replace(/</g, '\\u003c');
      // `then`: one more URL, fetched after them with credentials: 'include' (a later API call).
      const then = next.then
        ? `await fetch(${JSON.stringify(next.then).replace(/</g, '\\u003c')}, { credentials: 'include' }).then((r) => r.text()).catch(() => {}); `
        : '';
      // `navigate`: then the page sends the browser there itself (location.assign, as an app's
      // guard does), unless `unlessCookie` names a cookie its script can see in document.cookie.
      const cookieSeen = next.unlessCookie
        ? `document.cookie.split('; ').some((c) => c.startsWith(${JSON.stringify(`${next.unlessCookie}=`).replace(/</g, '\\u003c')}))`
        : 'false';
      // Half a second later, as a guard runs once the page has drawn: a navigation evicts the
      // fetches' bodies, which the HAR recorder reads when each finishes.
      const go = next.navigate
        ? `if (!${cookieSeen}) setTimeout(() => location.assign(${JSON.stringify(next.navigate).replace(/</g, '\\u003c')}), 500); `
        : '';
      return `${head}<title>fetch</title><script>(async () => { for (const u of ${urls}) ` +
        `await fetch(u, { credentials: ${credentials}${extra} }).then((r) => r.text()).catch(() => {}); ${then}document.title = 'fetched'; ${go}})()</script>`;
    }
    case 'iframe':
      return `${head}<title>iframe</title><iframe id="frame" src="${to}"></iframe>`;
    case 'img':
      return `${head}<title>img</title><img id="img" src="${to}" alt="">`;
    default:
      throw new Error(`unknown page kind ${next.kind}`);
  }
}

// A 1×1 transparent GIF, for <img> requests (an HTML answer would be blocked by ORB).
const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
const isImageRequest = (req) => req.headers['sec-fetch-dest'] === 'image' ||
  (/^image\//.test(req.headers.accept ?? '') && !/text\/html/.test(req.headers.accept ?? ''));

// Turns a script entry (or the query parameters) into { status, headers, setCookie, body }.
function responseFor(spec, req) {
  if (spec.maxCookieBytes !== undefined && (req.headers.cookie ?? '').length > spec.maxCookieBytes) {
    const body = '<html>\r\n<head><title>400 Request Header Or Cookie Too Large</title></head>\r\n<body>\r\n<center><h1>400 Bad Request</h1></center>\r\n<center>Request Header Or Cookie Too Large</center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
    return { status: 400, headers: [['Content-Type', 'text/html'], ['Cache-Control', 'no-store']], setCookie: [], body };
  }
  const headers = [];
  const without = spec.withoutCookie;
  const carries = (name) => (req.headers.cookie ?? '').split(';').some((pair) => pair.trim().split('=')[0] === name);
  const signedOut = without && !carries(without.name);
  const location = signedOut ? without.location : spec.location;
  const status = (signedOut ? without.status : undefined) ?? spec.status ?? (location ? 302 : 200);
  const cacheControl = signedOut && 'cacheControl' in without ? without.cacheControl : spec.cacheControl;
  if (location) headers.push(['Location', location]);
  const origin = req.headers.origin;
  if (origin) {
    headers.push(['Access-Control-Allow-Origin', origin], ['Access-Control-Allow-Credentials', 'true'], ['Vary', 'Origin']);
  }
  if (cacheControl !== null) headers.push(['Cache-Control', cacheControl ?? 'no-store']);
  // `headers`: more response headers, as [name, value] pairs (Clear-Site-Data, say).
  for (const [name, value] of spec.headers ?? []) headers.push([name, value]);
  let body = '';
  if ((status < 300 || status >= 400) && isImageRequest(req)) {
    body = GIF;
    headers.push(['Content-Type', 'image/gif']);
  } else if ((status < 300 || status >= 400) && (signedOut && 'json' in without ? without.json : spec.json) !== undefined) {
    body = JSON.stringify(signedOut && 'json' in without ? without.json : spec.json);
    headers.push(['Content-Type', 'application/json']);
  } else if (status < 300 || status >= 400) {
    body = pageHtml(spec.next);
    headers.push(['Content-Type', 'text/html; charset=utf-8']);
  }
  return { status, headers, setCookie: spec.setCookie ?? [], body };
}

function specFromQuery(url) {
  const q = url.searchParams;
  const spec = { setCookie: q.getAll('sc') };
  if (q.get('status')) spec.status = Number(q.get('status'));
  if (q.get('loc')) spec.location = q.get('loc');
  if (q.get('next')) spec.next = { kind: q.get('next'), to: q.get('to') ?? '/' };
  return spec;
}

const HEADER_OK = /^[\t\x20-\x7e\x80-\xff]*$/;
const REASONS = { 200: 'OK', 301: 'Moved Permanently', 302: 'Found', 303: 'See Other', 307: 'Temporary Redirect', 308: 'Permanent Redirect', 404: 'Not Found' };

function send(req, res, r) {
  const body = Buffer.isBuffer(r.body) ? r.body : Buffer.from(r.body, 'utf8');
  if (r.setCookie.every((l) => HEADER_OK.test(l))) {
    for (const [k, v] of r.headers) res.appendHeader(k, v);
    if (r.setCookie.length) res.setHeader('Set-Cookie', r.setCookie);
    res.setHeader('Content-Length', body.length);
    res.writeHead(r.status).end(body);
    return;
  }
  // Raw write: Node would refuse these header bytes.
  const lines = [`HTTP/1.1 ${r.status} ${REASONS[r.status] ?? 'Status'}`];
  for (const [k, v] of r.headers) lines.push(`${k}: ${v}`);
  for (const l of r.setCookie) lines.push(`Set-Cookie: ${l}`);
  lines.push(`Content-Length: ${body.length}`, 'Connection: close', '', '');
  const sock = req.socket;
  res.detachSocket?.(sock);
  sock.end(Buffer.concat([Buffer.from(lines.join('\r\n'), 'latin1'), body]));
}

export async function startServers({ httpPort = HTTP_PORT, httpsPort = HTTPS_PORT, log = null } = {}) {
  let script = {};
  const requests = [];
  const handler = (scheme) => (req, res) => {
    const url = new URL(req.url, `${scheme}://${req.headers.host ?? 'unknown'}`);
    const key = url.origin + url.pathname;
    const entry = { scheme, host: url.hostname, path: url.pathname, method: req.method, cookie: req.headers.cookie ?? null };
    requests.push(entry);
    log?.(`${req.method} ${url.href} cookie=${JSON.stringify(entry.cookie)}`);
    req.resume();
    req.on('end', () => {
      if (url.pathname === '/favicon.ico') {
        res.writeHead(404, { 'Content-Length': 0 }).end();
        return;
      }
      const spec = script[key] ?? (url.search ? specFromQuery(url) : null);
      if (!spec) {
        res.writeHead(404, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-store' }).end(`no route for ${key}\n`);
        return;
      }
      send(req, res, responseFor(spec, req));
    });
  };
  const listen = (server, port, name) => new Promise((resolve, reject) => {
    server.once('error', (e) => reject(e.code === 'EADDRINUSE'
      ? new Error(`${name} port 127.0.0.1:${port} is busy (another harness running?); free it and retry`)
      : e));
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { key, cert } = makeCertificate();
  const http = createHttp(handler('http'));
  const https = createHttps({ key, cert }, handler('https'));
  for (const s of [http, https]) s.keepAliveTimeout = 1000;
  await listen(http, httpPort, 'HTTP');
  try {
    await listen(https, httpsPort, 'HTTPS');
  } catch (e) {
    http.close();
    throw e;
  }
  return {
    requests,
    setScript(s) { script = s ?? {}; requests.length = 0; },
    async close() {
      for (const s of [http, https]) { s.closeAllConnections?.(); }
      await Promise.all([http, https].map((s) => new Promise((r) => s.close(() => r()))));
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const s = await startServers({ log: (l) => console.log(l) });
  console.log(`listening on http://127.0.0.1:${HTTP_PORT} and https://127.0.0.1:${HTTPS_PORT} (Ctrl-C to stop)`);
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => s.close().then(() => process.exit(0)));
}
