// Deterministic sign-in HARs for benchmarks: the same bytes on every run for a given size.
//
// A flow: /login → the identity provider → a form POST back to /callback (302, sets the session
// cookie) → /dashboard, then page loads and API calls (cookies sent, Bearer tokens, JSON bodies
// holding tokens, refreshes) until `count` entries. Shaped like Chromium's export (_resourceType,
// _initiator, Sec-Fetch-* headers).
import { createHmac } from 'node:crypto';
import { rng } from '../support/rng.mjs';


const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
function jwt(payload) {
  const input = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(payload)}`;
  return `${input}.${createHmac('sha256', 'bench').update(input).digest('base64url')}`;
}

const H = (name, value) => ({ name, value });

export const START = Date.UTC(2026, 10, 23, 10, 0, 0);

export function makeHar(count, seed = 1) {
  const r = rng(seed);
  const entries = [];
  let clock = START;
  const at = () => new Date((clock += Math.floor(r() * 40) + 1)).toISOString();
  const iat = Math.floor(START / 1000);
  let access = jwt({ sub: 'user-1', iat, exp: iat + 900, scope: 'openid profile' });
  const session = `session=${jwt({ sub: 'user-1', iat, exp: iat + 3600, sid: 's-1' })}`;
  const entry = (method, url, { status = 200, reqHeaders = [], resHeaders = [], type = 'fetch', site = 'same-origin', dest = 'empty', mode = 'cors', redirectURL = '', body, post } = {}) => ({
    startedDateTime: at(),
    time: Math.floor(r() * 120) + 5,
    request: {
      method, url, httpVersion: 'h2',
      headers: [H(':method', method), H('accept', '*/*'), H('sec-fetch-site', site), H('sec-fetch-mode', mode), H('sec-fetch-dest', dest), H('user-agent', 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0.0.0'), ...reqHeaders],
      queryString: [], cookies: [], headersSize: -1, bodySize: post ? post.length : 0,
      ...(post ? { postData: { mimeType: 'application/x-www-form-urlencoded', text: post } } : {}),
    },
    response: {
      status, statusText: '', httpVersion: 'h2',
      headers: [H('content-type', body ? 'application/json' : 'text/html'), H('cache-control', 'no-store'), ...resHeaders],
      cookies: [], content: { size: body ? body.length : 0, mimeType: body ? 'application/json' : 'text/html', ...(body ? { text: body } : {}) },
      redirectURL, headersSize: -1, bodySize: -1,
    },
    cache: {}, timings: { send: 0, wait: 10, receive: 1 },
    _resourceType: type, _initiator: { type: 'other' },
  });

  entries.push(entry('GET', 'https://app.test/login', { type: 'document', site: 'none', dest: 'document', mode: 'navigate' }));
  entries.push(entry('GET', 'https://idp.test/authorize?client_id=app&redirect_uri=https%3A%2F%2Fapp.test%2Fcallback', { type: 'document', site: 'cross-site', dest: 'document', mode: 'navigate' }));
  entries.push(entry('POST', 'https://app.test/callback', {
    status: 302, type: 'document', site: 'cross-site', dest: 'document', mode: 'navigate', redirectURL: 'https://app.test/dashboard',
    reqHeaders: [H('origin', 'https://idp.test')], post: 'code=abc&state=xyz',
    resHeaders: [H('set-cookie', `${session}; Path=/; Secure; HttpOnly; SameSite=Lax`), H('location', '/dashboard')],
  }));
  entries.push(entry('GET', 'https://app.test/dashboard', { type: 'document', site: 'cross-site', dest: 'document', mode: 'navigate', reqHeaders: [H('cookie', session)] }));
  let n = 0;
  while (entries.length < count) {
    n++;
    const kind = r();
    if (kind < 0.05) {
      access = jwt({ sub: 'user-1', iat: iat + n, exp: iat + n + 900, scope: 'openid profile' });
      entries.push(entry('POST', 'https://app.test/api/auth/refresh', { reqHeaders: [H('cookie', session)], body: JSON.stringify({ access_token: access, expires_in: 900, token_type: 'Bearer' }) }));
    } else if (kind < 0.75) {
      entries.push(entry('GET', `https://app.test/api/items?page=${n}`, {
        reqHeaders: [H('cookie', `${session}; theme=dark`), H('authorization', `Bearer ${access}`)],
        body: JSON.stringify({ items: Array.from({ length: 5 }, (_, i) => ({ id: n * 10 + i, name: `item ${n}-${i}` })) }),
      }));
    } else if (kind < 0.9) {
      entries.push(entry('GET', `https://app.test/static/chunk-${n}.js`, { type: 'script', dest: 'script', mode: 'no-cors', reqHeaders: [H('cookie', session)] }));
    } else {
      entries.push(entry('GET', `https://cdn.other.test/img/${n}.png`, { type: 'image', site: 'cross-site', dest: 'image', mode: 'no-cors', resHeaders: [H('set-cookie', `tracker=${n}; SameSite=None; Secure; Path=/`)] }));
    }
  }
  return { log: { version: '1.2', creator: { name: 'WebInspector', version: '537.36' }, pages: [], entries } };
}

export function makeHarBytes(count, seed = 1) {
  return Buffer.from(JSON.stringify(makeHar(count, seed)));
}
