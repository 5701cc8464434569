// The scenarios the differential harness plays in Chromium: a generated matrix of cookie
// attributes × request contexts, a few set-time contexts (third-party Set-Cookie), and
// hand-written flows (the OAuth form_post chain).
//
// A scenario is
//   { id, description, setCookie: [lines under test],
//     script: { 'https://app.test:18443/set': { status, location, setCookie, next: { kind, to } }, … },
//     actions: [ { goto: URL } | { click: '#go', at: URL } | { waitFor: URL } | { settle: ms } ] }
// The server answers each script URL (query ignored) as described (see server.mjs); the
// recorder runs the actions in a fresh browser context and waits until every script URL
// has been requested and answered. So every URL in a script must be requested exactly once,
// and a scenario's steps are exactly its script's URLs (plus redirect hops, which are
// script URLs too). Values are fixed strings so that a re-recording diffs cleanly.
import { createHmac } from 'node:crypto';
import { HTTP_PORT, HTTPS_PORT } from './server.mjs';

export const APP = `https://app.test:${HTTPS_PORT}`;
export const APP_HTTP = `http://app.test:${HTTP_PORT}`;
export const IDP = `https://idp.test:${HTTPS_PORT}`;
export const SUB = `https://sub.app.test:${HTTPS_PORT}`;
export const OTHER = `https://other.test:${HTTPS_PORT}`;
export const VERCEL = `https://myapp.vercel.app:${HTTPS_PORT}`;
export const GITHUB = `https://user.github.io:${HTTPS_PORT}`;
export const LOCAL = `http://localhost:${HTTP_PORT}`;

// ---------------------------------------------------------------------------------------
// 1. SameSite family × "next request" contexts. The cookie is set by a browser-initiated
//    top-level navigation to https://app.test/set; the context decides what comes next.

const SAMESITE = [
  { key: 'no-samesite', attrs: '', desc: 'no SameSite attribute (Lax by default)' },
  { key: 'samesite-lax', attrs: '; SameSite=Lax', desc: 'SameSite=Lax' },
  { key: 'samesite-strict', attrs: '; SameSite=Strict', desc: 'SameSite=Strict' },
  { key: 'samesite-none-secure', attrs: '; SameSite=None; Secure', desc: 'SameSite=None; Secure' },
  // Rejected when set: only a couple of contexts, to show it is absent afterwards.
  { key: 'samesite-none-insecure', attrs: '; SameSite=None', desc: 'SameSite=None without Secure', only: ['same-site-link', 'cross-site-iframe'] },
  { key: 'samesite-invalid', attrs: '; SameSite=Bogus', desc: 'an unknown SameSite value (treated as unspecified)', only: ['same-site-link', 'cross-site-link', 'cross-site-form-post'] },
];

// Each context: (setUrl, readUrl) → { script (without the set page's own cookies), actions }.
const CONTEXTS = {
  'same-site-link': {
    desc: 'then a same-site link click to app.test/read',
    build: (line) => ({
      script: {
        [`${APP}/set`]: { setCookie: [line], next: { kind: 'link', to: `${APP}/read` } },
        [`${APP}/read`]: {},
      },
      actions: [{ goto: `${APP}/set` }, { click: '#go', at: `${APP}/set` }],
    }),
  },
  'same-origin-fetch': {
    desc: 'then the set page itself fetches app.test/read (credentials: include)',
    build: (line) => ({
      script: {
        [`${APP}/set`]: { setCookie: [line], next: { kind: 'fetch', to: `${APP}/read` } },
        [`${APP}/read`]: {},
      },
      actions: [{ goto: `${APP}/set` }],
    }),
  },
  'same-site-fetch': {
    desc: 'then a page on sub.app.test (same site, other origin) fetches app.test/read with credentials',
    build: (line) => ({
      script: {
        [`${APP}/set`]: { setCookie: [line] },
        [`${SUB}/hop`]: { next: { kind: 'fetch', to: `${APP}/read` } },
        [`${APP}/read`]: {},
      },
      actions: [{ goto: `${APP}/set` }, { goto: `${SUB}/hop` }],
    }),
  },
  'cross-site-link': {
    desc: 'then a top-level link click (GET) from idp.test to app.test/read',
    build: (line) => ({
      script: {
        [`${APP}/set`]: { setCookie: [line] },
        [`${IDP}/hop`]: { next: { kind: 'link', to: `${APP}/read` } },
        [`${APP}/read`]: {},
      },
      actions: [{ goto: `${APP}/set` }, { goto: `${IDP}/hop` }, { click: '#go', at: `${IDP}/hop` }],
    }),
  },
  'cross-site-form-post': {
    desc: 'then a clicked form POST from idp.test to app.test/read (top-level)',
    build: (line) => ({
      script: {
        [`${APP}/set`]: { setCookie: [line] },
        [`${IDP}/hop`]: { next: { kind: 'form', to: `${APP}/read` } },
        [`${APP}/read`]: {},
      },
      actions: [{ goto: `${APP}/set` }, { goto: `${IDP}/hop` }, { click: '#go', at: `${IDP}/hop` }],
    }),
  },
  'cross-site-fetch': {
    desc: 'then a page on idp.test fetches app.test/read with credentials: include',
    build: (line) => ({
      script: {
        [`${APP}/set`]: { setCookie: [line] },
        [`${IDP}/hop`]: { next: { kind: 'fetch', to: `${APP}/read` } },
        [`${APP}/read`]: {},
      },
      actions: [{ goto: `${APP}/set` }, { goto: `${IDP}/hop` }],
    }),
  },
  'cross-site-iframe': {
    desc: 'then a page on idp.test embeds app.test/read in an <iframe>',
    build: (line) => ({
      script: {
        [`${APP}/set`]: { setCookie: [line] },
        [`${IDP}/hop`]: { next: { kind: 'iframe', to: `${APP}/read` } },
        [`${APP}/read`]: {},
      },
      actions: [{ goto: `${APP}/set` }, { goto: `${IDP}/hop` }],
    }),
  },
  'cross-site-img': {
    desc: 'then a page on idp.test loads app.test/read as an <img>',
    build: (line) => ({
      script: {
        [`${APP}/set`]: { setCookie: [line] },
        [`${IDP}/hop`]: { next: { kind: 'img', to: `${APP}/read` } },
        [`${APP}/read`]: {},
      },
      actions: [{ goto: `${APP}/set` }, { goto: `${IDP}/hop` }],
    }),
  },
  'http-to-https-link': {
    desc: 'then a link click from http://app.test (same host, other scheme: schemefully cross-site) to https://app.test/read',
    build: (line) => ({
      script: {
        [`${APP}/set`]: { setCookie: [line] },
        [`${APP_HTTP}/hop`]: { next: { kind: 'link', to: `${APP}/read` } },
        [`${APP}/read`]: {},
      },
      actions: [{ goto: `${APP}/set` }, { goto: `${APP_HTTP}/hop` }, { click: '#go', at: `${APP_HTTP}/hop` }],
    }),
  },
  'https-to-http-link': {
    desc: 'then a link click from the https set page to http://app.test/read (other scheme and port)',
    build: (line) => ({
      script: {
        [`${APP}/set`]: { setCookie: [line], next: { kind: 'link', to: `${APP_HTTP}/read` } },
        [`${APP_HTTP}/read`]: {},
      },
      actions: [{ goto: `${APP}/set` }, { click: '#go', at: `${APP}/set` }],
    }),
  },
};

function sameSiteMatrix() {
  const out = [];
  for (const a of SAMESITE) {
    for (const [ctx, c] of Object.entries(CONTEXTS)) {
      if (a.only && !a.only.includes(ctx)) continue;
      const line = `c=v1${a.attrs}`;
      out.push({
        id: `${a.key}/${ctx}`,
        description: `Cookie with ${a.desc}, set by a top-level navigation to https://app.test/set; ${c.desc}.`,
        setCookie: [line],
        ...c.build(line),
      });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// 2. Attributes judged when the cookie is set (or by domain/path): each is set by a
//    top-level navigation and read by a same-site link click.

function setThenLink(id, description, { setUrl, readUrl, lines, pre = null }) {
  const script = {};
  const actions = [];
  if (pre) {
    // An earlier response stores the cookie that the one under test overwrites or deletes.
    script[pre.url] = { setCookie: pre.lines, next: { kind: 'link', to: setUrl } };
    actions.push({ goto: pre.url }, { click: '#go', at: pre.url });
  } else {
    actions.push({ goto: setUrl });
  }
  script[setUrl] = { setCookie: lines, next: { kind: 'link', to: readUrl } };
  script[readUrl] = {};
  actions.push({ click: '#go', at: setUrl });
  return { id, description, setCookie: lines, script, actions };
}

const BIG = 'x'.repeat(4096);

function attributeScenarios() {
  const s = [];
  s.push(setThenLink('secure/over-http', 'Secure cookie set over plain http://app.test, read over http.',
    { setUrl: `${APP_HTTP}/set`, readUrl: `${APP_HTTP}/read`, lines: ['c=v1; Secure'] }));
  s.push(setThenLink('secure/over-http-localhost', 'Secure cookie set over http://localhost (a potentially trustworthy origin), read over http://localhost.',
    { setUrl: `${LOCAL}/set`, readUrl: `${LOCAL}/read`, lines: ['c=v1; Secure'] }));
  s.push(setThenLink('secure/over-https', 'Secure cookie set over https (control), read over https.',
    { setUrl: `${APP}/set`, readUrl: `${APP}/read`, lines: ['c=v1; Secure'] }));
  s.push(setThenLink('domain/parent-from-subdomain', 'Domain=app.test set from sub.app.test, read on app.test (same-site link).',
    { setUrl: `${SUB}/set`, readUrl: `${APP}/read`, lines: ['c=v1; Domain=app.test'] }));
  s.push(setThenLink('domain/host-only-from-subdomain', 'Host-only cookie set from sub.app.test, read on app.test (control: not sent).',
    { setUrl: `${SUB}/set`, readUrl: `${APP}/read`, lines: ['c=v1'] }));
  s.push(setThenLink('domain/foreign', 'Domain=other.test set from app.test, then a link to other.test/read.',
    { setUrl: `${APP}/set`, readUrl: `${OTHER}/read`, lines: ['c=v1; Domain=other.test'] }));
  s.push(setThenLink('domain/public-suffix-vercel', 'Domain=vercel.app (a public suffix, private section of the PSL) set from myapp.vercel.app.',
    { setUrl: `${VERCEL}/set`, readUrl: `${VERCEL}/read`, lines: ['c=v1; Domain=vercel.app'] }));
  s.push(setThenLink('domain/public-suffix-github', 'Domain=github.io (a public suffix) set from user.github.io.',
    { setUrl: `${GITHUB}/set`, readUrl: `${GITHUB}/read`, lines: ['c=v1; Domain=github.io'] }));
  s.push(setThenLink('domain/leading-dot', 'Domain=.app.test (leading dot, ignored) set from app.test, read on sub.app.test.',
    { setUrl: `${APP}/set`, readUrl: `${SUB}/read`, lines: ['c=v1; Domain=.app.test'] }));
  s.push(setThenLink('prefix/host-ok', '__Host- with Secure and Path=/ (valid).',
    { setUrl: `${APP}/set`, readUrl: `${APP}/read`, lines: ['__Host-c=v1; Secure; Path=/'] }));
  s.push(setThenLink('prefix/host-without-path', '__Host- with Secure but no Path=/.',
    { setUrl: `${APP}/set`, readUrl: `${APP}/read`, lines: ['__Host-c=v1; Secure'] }));
  s.push(setThenLink('prefix/host-without-secure', '__Host- with Path=/ but no Secure.',
    { setUrl: `${APP}/set`, readUrl: `${APP}/read`, lines: ['__Host-c=v1; Path=/'] }));
  s.push(setThenLink('prefix/host-with-domain', '__Host- with Secure, Path=/ and Domain=app.test.',
    { setUrl: `${APP}/set`, readUrl: `${APP}/read`, lines: ['__Host-c=v1; Secure; Path=/; Domain=app.test'] }));
  s.push(setThenLink('prefix/host-lowercase', 'Lower-case __host- without Secure (is the prefix check case-insensitive?).',
    { setUrl: `${APP}/set`, readUrl: `${APP}/read`, lines: ['__host-c=v1; Path=/'] }));
  s.push(setThenLink('prefix/secure-without-secure', '__Secure- without the Secure attribute.',
    { setUrl: `${APP}/set`, readUrl: `${APP}/read`, lines: ['__Secure-c=v1'] }));
  s.push(setThenLink('prefix/secure-ok', '__Secure- with Secure (valid).',
    { setUrl: `${APP}/set`, readUrl: `${APP}/read`, lines: ['__Secure-c=v1; Secure'] }));
  s.push(setThenLink('expiry/max-age-0-deletes', 'A cookie stored by /set0, then Max-Age=0 on /set, then read: deleted.',
    { pre: { url: `${APP}/set0`, lines: ['c=v1'] }, setUrl: `${APP}/set`, readUrl: `${APP}/read`, lines: ['c=gone; Max-Age=0'] }));
  s.push(setThenLink('expiry/past-expires-deletes', 'A cookie stored by /set0, then an Expires in the past on /set, then read: deleted.',
    { pre: { url: `${APP}/set0`, lines: ['c=v1'] }, setUrl: `${APP}/set`, readUrl: `${APP}/read`, lines: ['c=gone; Expires=Thu, 01 Jan 1970 00:00:00 GMT'] }));
  s.push(setThenLink('expiry/past-expires-new', 'A new cookie with an Expires in the past (never stored).',
    { setUrl: `${APP}/set`, readUrl: `${APP}/read`, lines: ['c=v1; Expires=Thu, 01 Jan 1970 00:00:00 GMT'] }));
  s.push(setThenLink('overwrite/insecure-over-secure', 'A Secure cookie stored over https, then the same name without Secure from http://app.test (Leave Secure Cookies Alone).',
    { pre: { url: `${APP}/set0`, lines: ['c=v1; Secure'] }, setUrl: `${APP_HTTP}/set`, readUrl: `${APP}/read`, lines: ['c=v2'] }));
  {
    // Path=/admin, then a request to / (not on path), then one to /admin/page (on path).
    const line = 'c=v1; Path=/admin';
    s.push({
      id: 'path/admin-then-root',
      description: 'Path=/admin set on /set, then a link to / (not on path), then a link to /admin/page (on path).',
      setCookie: [line],
      script: {
        [`${APP}/set`]: { setCookie: [line], next: { kind: 'link', to: `${APP}/` } },
        [`${APP}/`]: { next: { kind: 'link', to: `${APP}/admin/page` } },
        [`${APP}/admin/page`]: {},
      },
      actions: [{ goto: `${APP}/set` }, { click: '#go', at: `${APP}/set` }, { click: '#go', at: `${APP}/` }],
    });
  }
  s.push(setThenLink('path/default-path', 'No Path attribute on /dir/set: the default path is /dir, so /read does not match.',
    { setUrl: `${APP}/dir/set`, readUrl: `${APP}/read`, lines: ['c=v1'] }));
  s.push(setThenLink('size/name-value-4096', 'Name+value of exactly 4096 bytes (the limit: stored).',
    { setUrl: `${APP}/set`, readUrl: `${APP}/read`, lines: [`c=${BIG.slice(1)}`] }));
  s.push(setThenLink('size/name-value-4097', 'Name+value of 4097 bytes (over the limit).',
    { setUrl: `${APP}/set`, readUrl: `${APP}/read`, lines: [`c=${BIG}`] }));
  s.push(setThenLink('syntax/control-char-value', 'A control character (U+0001) inside the value.',
    { setUrl: `${APP}/set`, readUrl: `${APP}/read`, lines: ['c=a\x01b'] }));
  s.push(setThenLink('syntax/del-char-value', 'A DEL character (U+007F) inside the value.',
    { setUrl: `${APP}/set`, readUrl: `${APP}/read`, lines: ['c=a\x7fb'] }));
  s.push(setThenLink('syntax/empty-name', 'An empty name: "=v1".',
    { setUrl: `${APP}/set`, readUrl: `${APP}/read`, lines: ['=v1'] }));
  s.push(setThenLink('syntax/no-equals', 'A line without "=" (a nameless cookie per RFC 6265bis).',
    { setUrl: `${APP}/set`, readUrl: `${APP}/read`, lines: ['v1only'] }));
  s.push(setThenLink('syntax/empty-line', 'An empty name and value: "=".',
    { setUrl: `${APP}/set`, readUrl: `${APP}/read`, lines: ['='] }));
  s.push(setThenLink('syntax/several-lines', 'Several Set-Cookie lines in one response, one of them rejected, read in header order.',
    { setUrl: `${APP}/set`, readUrl: `${APP}/read`, lines: ['b=2; Path=/', 'a=1', 'x=1; SameSite=None', 'a2=1; Path=/'] }));
  return s;
}

// ---------------------------------------------------------------------------------------
// 3. Contexts for SETTING: a Set-Cookie on a response to a cross-site subresource
//    (a third-party cookie), then a top-level navigation to app.test/read to see
//    whether it was stored.

const THIRD_PARTY_LINES = [
  { key: 'samesite-none-secure', line: 'c=v1; SameSite=None; Secure' },
  { key: 'samesite-none-secure-partitioned', line: 'c=v1; SameSite=None; Secure; Partitioned' },
  { key: 'no-samesite', line: 'c=v1' },
  { key: 'samesite-lax', line: 'c=v1; SameSite=Lax' },
];

function thirdPartySetScenarios() {
  const out = [];
  for (const t of THIRD_PARTY_LINES) {
    // fetch: the same page then fetches app.test/read3p (a third-party read in the same
    // partition, where a Partitioned cookie is sent).
    out.push({
      id: `set-third-party/fetch/${t.key}`,
      description: `A page on idp.test fetches app.test/set3p (credentials: include); its response sets "${t.line}". The page then fetches app.test/read3p (third-party read), then a top-level navigation to app.test/read shows whether it was stored unpartitioned.`,
      setCookie: [t.line],
      script: {
        [`${IDP}/hop`]: { next: { kind: 'fetch', to: [`${APP}/set3p`, `${APP}/read3p`] } },
        [`${APP}/set3p`]: { setCookie: [t.line] },
        [`${APP}/read3p`]: {},
        [`${APP}/read`]: {},
      },
      actions: [{ goto: `${IDP}/hop` }, { waitFor: `${APP}/read3p` }, { goto: `${APP}/read` }],
    });
  }
  for (const kind of ['iframe', 'img']) {
    for (const t of THIRD_PARTY_LINES) {
      out.push({
        id: `set-third-party/${kind}/${t.key}`,
        description: `A page on idp.test loads app.test/set3p by ${kind}; its response sets "${t.line}". Then a top-level navigation to app.test/read shows whether it was stored.`,
        setCookie: [t.line],
        script: {
          [`${IDP}/hop`]: { next: { kind, to: `${APP}/set3p` } },
          [`${APP}/set3p`]: { setCookie: [t.line] },
          [`${APP}/read`]: {},
        },
        actions: [{ goto: `${IDP}/hop` }, { waitFor: `${APP}/set3p` }, { goto: `${APP}/read` }],
      });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// 4. Hand-written flow: the OAuth 2.0 / OIDC form_post chain.
//    app.test/login (sets the state cookie) → link to idp.test/authorize → the IdP page
//    auto-submits a form POST to app.test/callback → 302/307 with the session cookie and
//    Location: /dashboard → /dashboard → a same-site link to /account.

function oauth(id, sameSite, status, note) {
  const ss = sameSite ? `; SameSite=${sameSite}` : '';
  const state = `oauth_state=s1; Path=/; Secure; HttpOnly${ss}`;
  const session = `session=abc123${ss}; Secure; Path=/; HttpOnly`;
  return {
    id,
    description: `OAuth form_post chain with ${sameSite ? `SameSite=${sameSite}` : 'no SameSite'} cookies and a ${status} from /callback to /dashboard. ${note}`,
    setCookie: [state, session],
    script: {
      [`${APP}/login`]: { setCookie: [state], next: { kind: 'link', to: `${IDP}/authorize` } },
      [`${IDP}/authorize`]: { next: { kind: 'form-auto', to: `${APP}/callback` } },
      [`${APP}/callback`]: { status, location: '/dashboard', setCookie: [session] },
      [`${APP}/dashboard`]: { next: { kind: 'link', to: `${APP}/account` } },
      [`${APP}/account`]: {},
    },
    actions: [{ goto: `${APP}/login` }, { click: '#go', at: `${APP}/login` }, { click: '#go', at: `${APP}/dashboard` }],
  };
}

function flows() {
  return [
    oauth('oauth/strict-302', 'Strict', 302, 'Expect the state cookie withheld on the cross-site POST and the session withheld on /dashboard (the redirect chain started cross-site), then sent on /account.'),
    oauth('oauth/lax-302', 'Lax', 302, 'Lax cookies are not sent on a cross-site POST; /dashboard is a top-level GET, so Lax is sent there.'),
    oauth('oauth/no-samesite-302', null, 302, 'Lax by default; the state cookie is younger than 2 minutes, so Chromium\'s Lax-allowing-unsafe rule sends it on the top-level cross-site POST.'),
    oauth('oauth/lax-307', 'Lax', 307, 'A 307 keeps the POST, so /dashboard is a cross-site top-level POST too.'),
    oauth('oauth/no-samesite-307', null, 307, 'A 307 keeps the POST; Lax-allowing-unsafe applies to cookies younger than 2 minutes.'),
    oauth('oauth/none-secure-302', 'None', 302, 'SameSite=None; Secure: sent everywhere in this chain (top-level navigations are not third-party).'),
  ];
}

// ---------------------------------------------------------------------------------------
// 5. Token flows, recorded only as HAR fixtures (record-hars.mjs; not in allScenarios(), so
//    the verdict fixture stays as it is): a token in a JSON response body, and a JWT sent in
//    an Authorization: Bearer header. The JWT is fixed (HS256 with a fixed test secret, times
//    around HAR_EPOCH, the clock record-hars.mjs rebases every HAR onto).

export const HAR_EPOCH = Date.UTC(2026, 2, 1, 9, 0, 0); // 2026-03-01T09:00:00Z, in ms
const b64url = (x) => Buffer.from(typeof x === 'string' ? x : JSON.stringify(x)).toString('base64url');
export function testJwt(age = 60) {
  const iat = HAR_EPOCH / 1000 - age;
  const head = b64url({ alg: 'HS256', typ: 'JWT' });
  const body = b64url({ iss: APP, sub: 'user-1', aud: 'app.test', iat, exp: iat + 3600 });
  const sig = createHmac('sha256', 'cookie-inspector-har-fixture-secret').update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}

// A single-page app renews its sign-in silently (OpenID Connect `prompt=none`, as oidc-client-ts's
// signinSilent, MSAL.js's ssoSilent, Auth0's getTokenSilently without refresh tokens and
// Keycloak's check-sso do): a hidden <iframe> on app.test loads idp.test's authorization
// endpoint, which answers with a code when it sees its own session cookie (set when the user
// signed in at idp.test, top-level) and with `error=login_required` otherwise. The cookie goes
// to the iframe only as a third-party cookie: `thirdPartyCookies` says whether the recording
// browser allows those ('blocked': a browser context's default, like an Incognito window).
function silentSignIn(id, thirdPartyCookies) {
  const idpSession = 'idp_session=u1; Path=/; Secure; HttpOnly; SameSite=None';
  const callback = `${APP}/silent-callback`;
  const authorize = `${IDP}/authorize?client_id=app&response_type=code&scope=openid&redirect_uri=${encodeURIComponent(callback)}&state=s1&prompt=none`;
  return {
    id,
    description: `The user signed in at idp.test (its session cookie is SameSite=None; Secure); then app.test/app renews the sign-in silently: a hidden iframe loads idp.test/authorize with prompt=none, which redirects to app.test/silent-callback with a code if it sees its session cookie, with error=login_required if not. Third-party cookies ${thirdPartyCookies}.`,
    setCookie: [idpSession],
    thirdPartyCookies,
    script: {
      [`${IDP}/login`]: { setCookie: [idpSession] },
      [`${APP}/app`]: { next: { kind: 'iframe', to: authorize } },
      [`${IDP}/authorize`]: {
        status: 302,
        location: `${callback}?code=c1&state=s1`,
        withoutCookie: { name: 'idp_session', location: `${callback}?error=login_required&state=s1` },
      },
      [callback]: {},
    },
    actions: [{ goto: `${IDP}/login` }, { goto: `${APP}/app` }],
  };
}

// An app embedded in a frame under another site (an LTI tool in a course page, an app inside a
// store's or a chat client's admin): other.test/course frames app.test, whose sign-in, inside
// the frame, stores `session` (a line, or the lines of a session in chunks) and redirects to its
// page, which asks /embed/api/me who is signed in: 401 without the session (its first chunk). In the frame the session is a third-party cookie. (The
// page is the same for everyone, so that both browsers play every request: Firefox, whose Total
// Cookie Protection keeps a third-party cookie in a partition instead of blocking it, sends it.)
function embeddedApp(id, session, thirdPartyCookies) {
  const lines = [session].flat();
  const [first] = lines;
  const attrs = first.split('; ').slice(1).join('; ');
  const what = lines.length > 1 ? `the session in ${lines.length} chunks of 3,900 bytes (${attrs})` : `the session (${attrs})`;
  return {
    id,
    description: `other.test/course embeds app.test in an iframe; inside it the app signs in: a form POSTs to /embed/callback, which stores ${what} and redirects to /embed/app, whose script asks /embed/api/me who is signed in (401 without the session). Third-party cookies ${thirdPartyCookies}.`,
    setCookie: lines,
    thirdPartyCookies,
    script: {
      [`${OTHER}/course`]: { next: { kind: 'iframe', to: `${APP}/embed/start` } },
      [`${APP}/embed/start`]: { next: { kind: 'form-auto', to: `${APP}/embed/callback` } },
      [`${APP}/embed/callback`]: { status: 302, location: '/embed/app', setCookie: lines },
      [`${APP}/embed/app`]: { next: { kind: 'fetch', to: `${APP}/embed/api/me` } },
      [`${APP}/embed/api/me`]: { json: { name: 'Ada' }, withoutCookie: { name: first.split('=')[0], status: 401, json: { error: 'unauthenticated' } } },
    },
    actions: [{ goto: `${OTHER}/course` }, { waitFor: `${APP}/embed/api/me` }],
  };
}

// The sign-in most HAR-only flows start with: a form that submits itself to the credentials
// callback, which stores `lines` (one or a list) and redirects to /dashboard (`extra`: more of
// that answer).
function signIn(lines, extra = {}, origin = APP) {
  return {
    [`${origin}/start-sign-in`]: { next: { kind: 'form-auto', to: `${origin}/api/auth/callback/credentials` } },
    [`${origin}/api/auth/callback/credentials`]: { status: 302, location: '/dashboard', setCookie: [lines].flat(), ...extra },
  };
}

// Flows recorded only as HAR fixtures: tokens in a JSON body and a header, an API call made
// without credentials, a session the server refuses, two sessions of one name, a session a
// script deletes.
export function harOnlyFlows() {
  const jwt = testJwt();
  const session = 'session=s3cr3t-opaque-1; Path=/; Secure; HttpOnly; SameSite=Lax';
  const sessionForSite = 'session=s3cr3t-opaque-2; Domain=app.test; Path=/; Secure; HttpOnly; SameSite=Lax';
  const scriptSession = 'session=s3cr3t-opaque-3; Path=/; Secure; SameSite=Lax';
  // A large encrypted session (a JWE, alg dir, A256GCM) in chunks of 3,900 characters, as
  // NextAuth.js writes one over 4 KB: fixed text, so that a re-recording diffs cleanly.
  const jwe = `eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..${b64url('fixed-iv-12b')}.${b64url('x'.repeat(6800))}.${b64url('fixed-tag-16byte')}`;
  const chunk = (n) => `__Secure-next-auth.session-token.${n}=${jwe.slice(n * 3900, (n + 1) * 3900)}; Path=/; Secure; HttpOnly; SameSite=Lax`;
  const bigSession = [chunk(0), chunk(1), chunk(2)];
  // A larger one, Partitioned for an app in a frame: 10.8 KB of names and values in three chunks.
  const jweLarger = `eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..${b64url('fixed-iv-12b')}.${b64url('x'.repeat(8000))}.${b64url('fixed-tag-16byte')}`;
  const partitionedChunks = [0, 1, 2].map((n) => `__Secure-next-auth.session-token.${n}=${jweLarger.slice(n * 3900, (n + 1) * 3900)}; Path=/; Secure; HttpOnly; SameSite=None; Partitioned`);
  const apiSession = 'session=s3cr3t-opaque-4; Path=/; Secure; HttpOnly; SameSite=Lax';
  const plainSession = 'session=s3cr3t-opaque-5; Path=/; HttpOnly; SameSite=Lax';
  const signOut = 'session=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Lax';
  const sitePrefs = 'prefs=dark; Domain=app.test; Path=/; Secure; SameSite=Lax';
  const laxState = 'next-auth.state=st4te-3; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=900';
  const experiments = EXPERIMENT_COOKIES;
  const lowPriorityFiller = [
    ...Array.from({ length: 140 }, (_, i) => `ff_${i}=on; Path=/; Secure; SameSite=Lax`),
    ...Array.from({ length: 41 }, (_, i) => `_ga_${i}=1; Path=/; Secure; SameSite=Lax; Priority=Low`),
  ];
  const expressSession = 'connect.sid=s%3Aabc.sig; Path=/; Max-Age=3; Secure; HttpOnly; SameSite=Lax';
  const theme = 'theme=dark; Path=/; Secure; SameSite=Lax';
  // A NextAuth.js session (a JWE, alg dir, A256GCM) of fixed text.
  const nextAuthSession = `__Secure-next-auth.session-token=eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..${b64url('fixed-iv-12b')}.${b64url('x'.repeat(240))}.${b64url('fixed-tag-16byte')}; Path=/; Secure; HttpOnly; SameSite=Lax`;
  // A fixed date a day before HAR_EPOCH: past for the browser whenever it runs, and a day past
  // on the recording's clock (record-hars.mjs rebases every time onto HAR_EPOCH).
  const expiredSession = 'session=s3cr3t-opaque-5; Path=/; Expires=Sat, 28 Feb 2026 09:00:00 GMT; Secure; HttpOnly; SameSite=Lax';
  return [
    {
      id: 'token/json-body',
      description: 'app.test/login POSTs (fetch) to /api/token, whose JSON body holds an access_token (a JWT) and which sets the session cookie; then a navigation to /dashboard sends it.',
      setCookie: [session],
      script: {
        [`${APP}/login`]: { next: { kind: 'fetch', to: `${APP}/api/token`, method: 'POST' } },
        [`${APP}/api/token`]: { setCookie: [session], json: { access_token: jwt, token_type: 'Bearer', expires_in: 3600 } },
        [`${APP}/dashboard`]: {},
      },
      actions: [{ goto: `${APP}/login` }, { waitFor: `${APP}/api/token` }, { goto: `${APP}/dashboard` }],
    },
    {
      id: 'flow/credentials-omitted',
      description: 'app.test/app sets the session cookie for the whole of app.test, then fetches sub.app.test/api/me (cross-origin, same-site) with fetch\'s default credentials mode, same-origin: no cookie goes along.',
      setCookie: [sessionForSite],
      script: {
        [`${APP}/app`]: { setCookie: [sessionForSite], next: { kind: 'fetch', to: `${SUB}/api/me`, credentials: 'same-origin' } },
        [`${SUB}/api/me`]: { json: { error: 'unauthenticated' } },
      },
      actions: [{ goto: `${APP}/app` }],
    },
    {
      id: 'flow/session-refused',
      description: 'A sign-in form POSTs to /api/auth/callback/credentials, which stores the session and redirects to /dashboard; /dashboard gets the session and still redirects to the sign-in page (the server refuses it).',
      setCookie: [session],
      script: {
        ...signIn(session),
        [`${APP}/dashboard`]: { status: 302, location: '/api/auth/signin?error=SessionRequired' },
        [`${APP}/api/auth/signin`]: {},
      },
      actions: [{ goto: `${APP}/start-sign-in` }],
    },
    {
      id: 'flow/session-duplicate',
      description: 'An old session cookie for the whole of app.test (Domain=app.test) is still there when the sign-in sets the new, host-only one: /dashboard gets both, the old one first.',
      setCookie: [sessionForSite, session],
      script: {
        [`${APP}/legacy`]: { setCookie: [sessionForSite], next: { kind: 'form-auto', to: `${APP}/api/auth/callback/credentials` } },
        [`${APP}/api/auth/callback/credentials`]: { status: 302, location: '/dashboard', setCookie: [session] },
        [`${APP}/dashboard`]: {},
      },
      actions: [{ goto: `${APP}/legacy` }],
    },
    {
      id: 'flow/script-deletes-session',
      description: 'app.test/signed-in sets a session cookie scripts can read (no HttpOnly); /home gets it, then its script deletes it (document.cookie) before the link to /dashboard, which gets no cookie at all.',
      setCookie: [scriptSession],
      script: {
        [`${APP}/signed-in`]: { setCookie: [scriptSession], next: { kind: 'link', to: `${APP}/home` } },
        [`${APP}/home`]: { next: { kind: 'link', to: `${APP}/dashboard`, deleteCookie: 'session' } },
        [`${APP}/dashboard`]: {},
      },
      actions: [{ goto: `${APP}/signed-in` }, { click: '#go', at: `${APP}/signed-in` }, { click: '#go', at: `${APP}/home` }],
      deletedByScript: { cookie: 'session', from: `${APP}/dashboard` },
    },
    {
      id: 'flow/cookie-header-too-large',
      description: 'A sign-in form POSTs to /api/auth/callback/credentials, which stores a NextAuth.js session in three chunks (about 9 KB in all) and redirects to /dashboard; the Cookie header is then over the 8 KB a header line may have in nginx by default, and /dashboard answers nginx\'s 400 Request Header Or Cookie Too Large.',
      setCookie: bigSession,
      script: {
        ...signIn(bigSession),
        [`${APP}/dashboard`]: { maxCookieBytes: 8192 },
      },
      actions: [{ goto: `${APP}/start-sign-in` }],
    },
    {
      id: 'flow/login-fetch-without-credentials',
      description: 'app.test/app signs in by fetch to its API on sub.app.test (cross-origin, same-site) with fetch\'s default credentials mode, same-origin: the API answers with the session cookie, which the browser does not store; the page then calls the API with credentials: include, without a session.',
      setCookie: [apiSession],
      script: {
        [`${APP}/app`]: { next: { kind: 'fetch', to: `${SUB}/api/login`, method: 'POST', credentials: 'same-origin', then: `${SUB}/api/me` } },
        [`${SUB}/api/login`]: { setCookie: [apiSession], json: { ok: true } },
        [`${SUB}/api/me`]: { json: { error: 'unauthenticated' } },
      },
      actions: [{ goto: `${APP}/app` }],
    },
    {
      id: 'flow/redirect-loop',
      description: 'A sign-in form POSTs to /api/auth/callback/credentials, which stores the session and redirects to /dashboard; /dashboard (its middleware does not accept the session) redirects to the sign-in page, and the sign-in page (which does) redirects back to /dashboard, until the browser gives up (ERR_TOO_MANY_REDIRECTS).',
      setCookie: [session],
      script: {
        ...signIn(session),
        [`${APP}/dashboard`]: { status: 302, location: '/api/auth/signin?callbackUrl=%2Fdashboard' },
        [`${APP}/api/auth/signin`]: { status: 302, location: '/dashboard' },
      },
      actions: [{ goto: `${APP}/start-sign-in` }, { settle: 500 }],
    },
    {
      id: 'token/bearer-expired',
      description: 'app.test/app sets the session cookie, then calls /api/me with an access token (a JWT) issued two hours before the recording, valid for one, in an Authorization: Bearer header: the API answers 401 invalid_token.',
      setCookie: [session],
      script: {
        [`${APP}/app`]: { setCookie: [session], next: { kind: 'fetch', to: `${APP}/api/me`, headers: { Authorization: `Bearer ${testJwt(7200)}` } } },
        [`${APP}/api/me`]: { status: 401, json: { error: 'invalid_token', error_description: 'The access token expired' } },
      },
      actions: [{ goto: `${APP}/app` }],
    },
    {
      id: 'flow/session-expired-on-arrival',
      description: 'A sign-in form POSTs to /api/auth/callback/credentials, which stores the session with an Expires date a day before the recording (a date built wrong) and redirects to /dashboard: the browser never keeps the cookie, and /dashboard, without it, sends the browser to the sign-in page.',
      setCookie: [expiredSession],
      script: {
        ...signIn(expiredSession),
        [`${APP}/dashboard`]: { status: 302, location: '/api/auth/signin?callbackUrl=%2Fdashboard' },
        [`${APP}/api/auth/signin`]: {},
      },
      actions: [{ goto: `${APP}/start-sign-in` }],
    },
    {
      id: 'flow/cached-sign-in-redirect',
      description: 'Signed out, /dashboard sends the browser to /login with a 301 and no Cache-Control, which the browser keeps. The user signs in at idp.test, whose authorization endpoint redirects to the OAuth callback; the callback stores the session and redirects to /dashboard: the browser follows its cached 301 to /login without asking the server, which would have answered the session with the dashboard. (The app on plain http: Chromium caches nothing from a host whose certificate it had to ignore. The callback is a GET, as OAuth callbacks are: after a form POST, Chromium asks the server again.)',
      setCookie: [plainSession],
      script: {
        [`${APP_HTTP}/dashboard`]: { withoutCookie: { name: 'session', location: '/login?callbackUrl=%2Fdashboard', status: 301, cacheControl: null } },
        [`${APP_HTTP}/login`]: {},
        [`${IDP}/authorize`]: { status: 302, location: `${APP_HTTP}/api/auth/callback/idp?code=c0de-1&state=st4te-1` },
        [`${APP_HTTP}/api/auth/callback/idp`]: { status: 302, location: '/dashboard', setCookie: [plainSession] },
      },
      actions: [
        { goto: `${APP_HTTP}/dashboard` },
        { goto: `${IDP}/authorize?client_id=app&response_type=code&redirect_uri=${encodeURIComponent(`${APP_HTTP}/api/auth/callback/idp`)}&state=st4te-1` },
        { settle: 300 },
      ],
    },
    {
      id: 'flow/cdn-cached-sign-in-redirect',
      description: 'A sign-in form POSTs to /api/auth/callback/credentials, which stores the session and redirects to /dashboard. /dashboard comes back from a CDN\'s cache (Age: 73, X-Cache: Hit from cloudfront): the 307 to the sign-in page it stored for a signed-out visitor (Cache-Control: public, max-age=300). The test server plays the CDN: the browser sees what a CDN would send.',
      setCookie: [session],
      script: {
        ...signIn(session),
        [`${APP}/dashboard`]: { status: 307, location: '/login?next=%2Fdashboard', cacheControl: 'public, max-age=300', headers: [['Age', '73'], ['X-Cache', 'Hit from cloudfront']] },
        [`${APP}/login`]: {},
      },
      actions: [{ goto: `${APP}/start-sign-in` }, { waitFor: `${APP}/login` }],
    },
    {
      id: 'flow/sign-in-error-state-withheld',
      description: 'The app stores its OAuth state cookie (SameSite=Lax) and sends the browser to idp.test, which answers in the form_post response mode: a cross-site POST to the callback, on which a Lax cookie is not sent. The callback, without its state cookie, sends the browser to the sign-in page with error=OAuthCallback, as NextAuth.js does.',
      setCookie: [laxState],
      script: {
        [`${APP}/login`]: { setCookie: [laxState], next: { kind: 'link', to: `${IDP}/authorize` } },
        [`${IDP}/authorize`]: { next: { kind: 'form-auto', to: `${APP}/api/auth/callback/idp` } },
        [`${APP}/api/auth/callback/idp`]: { status: 302, location: '/dashboard', withoutCookie: { name: 'next-auth.state', location: '/api/auth/signin?error=OAuthCallback' } },
        [`${APP}/api/auth/signin`]: {},
      },
      actions: [{ goto: `${APP}/login` }, { click: '#go', at: `${APP}/login` }, { waitFor: `${APP}/api/auth/signin` }],
    },
    {
      id: 'flow/prefetch-signs-out',
      description: 'A sign-in form POSTs to /api/auth/callback/credentials, which stores the session and redirects to /dashboard. The dashboard links to /account and asks the browser to prefetch /api/auth/signout (as a framework prefetches the links a page shows, the sign-out link among them); the sign-out route deletes the session on a GET, so the prefetch signs the user out, and /account, without the session, sends the browser to sign in.',
      setCookie: [session, signOut],
      script: {
        ...signIn(session),
        [`${APP}/dashboard`]: { next: { kind: 'link', to: `${APP}/account`, prefetch: `${APP}/api/auth/signout` } },
        [`${APP}/api/auth/signout`]: { setCookie: [signOut] },
        [`${APP}/account`]: { withoutCookie: { name: 'session', location: '/api/auth/signin?callbackUrl=%2Faccount' } },
        [`${APP}/api/auth/signin`]: {},
      },
      actions: [{ goto: `${APP}/start-sign-in` }, { waitFor: `${APP}/api/auth/signout` }, { click: '#go', at: `${APP}/dashboard` }],
    },
    {
      id: 'flow/clear-site-data',
      description: 'A preference cookie for all of app.test is set from sub.app.test. The sign-in form then POSTs to /api/auth/callback/credentials, which stores the session and redirects to /dashboard; /dashboard answers with Clear-Site-Data: "cookies" (a header meant for the sign-out, sent by a middleware on every page), which clears every cookie of app.test, the session among them: /account, without it, sends the browser to sign in.',
      setCookie: [session, sitePrefs],
      script: {
        [`${SUB}/prefs`]: { setCookie: [sitePrefs], next: { kind: 'link', to: `${APP}/start-sign-in` } },
        ...signIn(session),
        [`${APP}/dashboard`]: { headers: [['Clear-Site-Data', '"cache", "cookies"']], next: { kind: 'link', to: `${APP}/account` } },
        [`${APP}/account`]: { withoutCookie: { name: 'session', location: '/api/auth/signin?callbackUrl=%2Faccount' } },
        [`${APP}/api/auth/signin`]: {},
      },
      actions: [{ goto: `${SUB}/prefs` }, { click: '#go', at: `${SUB}/prefs` }, { waitFor: `${APP}/dashboard` }, { click: '#go', at: `${APP}/dashboard` }],
    },
    {
      id: 'flow/clear-site-data-with-sign-in',
      description: 'The sign-in form POSTs to /api/auth/callback/credentials, which answers with Clear-Site-Data: "cookies" (to wipe what a previous user left) and, in the same response, the new session, then redirects to /dashboard.',
      setCookie: [session],
      script: {
        ...signIn(session, { headers: [['Clear-Site-Data', '"cookies"']] }),
        [`${APP}/dashboard`]: { withoutCookie: { name: 'session', location: '/api/auth/signin?callbackUrl=%2Fdashboard' } },
        [`${APP}/api/auth/signin`]: {},
      },
      actions: [{ goto: `${APP}/start-sign-in` }, { waitFor: `${APP}/dashboard` }, { settle: 300 }],
    },
    {
      id: 'flow/clear-site-data-over-http',
      description: 'The sign-in form POSTs to http://app.test/api/auth/callback/credentials (plain http), which answers with Clear-Site-Data: "cookies" and the new session in the same response, then redirects to /dashboard. Clear-Site-Data is obeyed only from a secure origin; Chromium still stores none of the cookies of the response.',
      setCookie: [plainSession],
      script: {
        ...signIn(plainSession, { headers: [['Clear-Site-Data', '"cookies"']] }, APP_HTTP),
        [`${APP_HTTP}/dashboard`]: {},
      },
      actions: [{ goto: `${APP_HTTP}/start-sign-in` }, { waitFor: `${APP_HTTP}/dashboard` }],
    },
    evictionFlow('flow/cookie-evicted', session),
    evictionFlow('flow/cookie-evicted-priority-high', `${session}; Priority=High`),
    {
      id: 'flow/cookie-evicted-low-priority',
      description: 'The sign-in stores the session (Secure, default priority); the dashboard sets 140 feature cookies and then 41 analytics cookies marked Priority=Low (all Secure), taking app.test past 180. Chromium evicts 10 of the low-priority ones but spares the 30 newest of them, then evicts the 21 least recently used medium ones, the session first: marking other cookies Low does not protect the session. Firefox ignores Priority and evicts the 31 oldest.',
      setCookie: [session, ...lowPriorityFiller],
      script: {
        ...signIn(session),
        [`${APP}/dashboard`]: { setCookie: lowPriorityFiller, next: { kind: 'link', to: `${APP}/account` } },
        [`${APP}/account`]: {},
      },
      actions: [{ goto: `${APP}/start-sign-in` }, { waitFor: `${APP}/dashboard` }, { click: '#go', at: `${APP}/dashboard` }, { waitFor: `${APP}/account` }, { settle: 300 }],
    },
    {
      id: 'flow/cookie-evicted-plain-session',
      description: 'The site already holds 180 experiment cookies, all Secure, when the sign-in stores a session without Secure (over https): Chromium evicts it at once (non-Secure cookies go first) and Firefox does not keep it (it evicts no Secure cookie for one without Secure). /dashboard gets no session.',
      setCookie: [plainSession, ...experiments],
      script: {
        [`${APP}/welcome`]: { setCookie: experiments, next: { kind: 'link', to: `${APP}/start-sign-in` } },
        ...signIn(plainSession),
        [`${APP}/dashboard`]: {},
      },
      actions: [{ goto: `${APP}/welcome` }, { click: '#go', at: `${APP}/welcome` }, { waitFor: `${APP}/dashboard` }, { settle: 300 }],
    },
    {
      id: 'flow/session-expires-in-seconds',
      description: 'The sign-in stores the session with Max-Age=3, what Express writes for maxAge: 3600 (an hour meant in seconds, read as milliseconds); the dashboard gets it, and the link to /account four seconds later goes without it: the browser has deleted it.',
      setCookie: [expressSession],
      script: {
        ...signIn(expressSession),
        [`${APP}/dashboard`]: { next: { kind: 'link', to: `${APP}/account`, clickAfter: 4000 } },
        [`${APP}/account`]: { withoutCookie: { name: 'connect.sid', location: '/api/auth/signin?callbackUrl=%2Faccount' } },
        [`${APP}/api/auth/signin`]: {},
      },
      actions: [{ goto: `${APP}/start-sign-in` }, { waitFor: `${APP}/api/auth/signin` }],
    },
    {
      id: 'flow/signed-out-by-page',
      description: 'The sign-in stores an HttpOnly session and redirects to /dashboard; the dashboard gets it, its /api/me answers, and its script, finding no session in document.cookie (HttpOnly hides it), sends the browser to /login itself.',
      setCookie: [session],
      script: {
        ...signIn(session),
        [`${APP}/dashboard`]: { next: { kind: 'fetch', to: `${APP}/api/me`, navigate: '/login?next=%2Fdashboard', unlessCookie: 'session' } },
        [`${APP}/api/me`]: { json: { name: 'Ada' } },
        [`${APP}/login`]: {},
      },
      actions: [{ goto: `${APP}/start-sign-in` }, { waitFor: `${APP}/login` }],
    },
    {
      id: 'flow/session-endpoint-signed-out',
      description: 'The sign-in stores a NextAuth.js session cookie; the dashboard asks /api/auth/session, which answers {} (what NextAuth.js answers when it cannot read the cookie) though the cookie went along, and the page sends the browser to sign in.',
      setCookie: [nextAuthSession],
      script: {
        ...signIn(nextAuthSession),
        [`${APP}/dashboard`]: { next: { kind: 'fetch', to: `${APP}/api/auth/session`, navigate: '/api/auth/signin?callbackUrl=%2Fdashboard' } },
        [`${APP}/api/auth/session`]: { json: {} },
        [`${APP}/api/auth/signin`]: {},
      },
      actions: [{ goto: `${APP}/start-sign-in` }, { waitFor: `${APP}/api/auth/signin` }],
    },
    {
      id: 'flow/session-not-set',
      description: 'The sign-in page sets a theme cookie; its form POSTs to /api/login, which redirects to /dashboard with no Set-Cookie for a session (express-session with a Secure cookie behind a proxy that ends TLS sends none); /dashboard, without a session, redirects to /login.',
      setCookie: [theme],
      script: {
        [`${APP}/start-sign-in`]: { setCookie: [theme], next: { kind: 'form-auto', to: `${APP}/api/login` } },
        [`${APP}/api/login`]: { status: 302, location: '/dashboard' },
        [`${APP}/dashboard`]: { status: 302, location: '/login?next=%2Fdashboard' },
        [`${APP}/login`]: {},
      },
      actions: [{ goto: `${APP}/start-sign-in` }, { waitFor: `${APP}/login` }],
    },
    embeddedApp('flow/embedded-app-lax-session', 'session=s3cr3t-opaque-7; Path=/; Secure; HttpOnly; SameSite=Lax', 'allowed'),
    embeddedApp('flow/embedded-app-third-party-blocked', 'session=s3cr3t-opaque-8; Path=/; Secure; HttpOnly; SameSite=None', 'blocked'),
    embeddedApp('flow/embedded-app-partitioned-chunks', partitionedChunks, 'blocked'),
    embeddedApp('flow/embedded-app-partitioned', 'session=s3cr3t-opaque-9; Path=/; Secure; HttpOnly; SameSite=None; Partitioned', 'blocked'),
    silentSignIn('flow/silent-sign-in-iframe', 'blocked'),
    silentSignIn('flow/silent-sign-in-iframe-allowed', 'allowed'),
    {
      id: 'token/bearer-header',
      description: 'app.test/app sets the session cookie, then fetches /api/me with the JWT in an Authorization: Bearer header (and the cookie).',
      setCookie: [session],
      script: {
        [`${APP}/app`]: { setCookie: [session], next: { kind: 'fetch', to: `${APP}/api/me`, headers: { Authorization: `Bearer ${jwt}` } } },
        [`${APP}/api/me`]: { json: { sub: 'user-1', name: 'Test User' } },
      },
      actions: [{ goto: `${APP}/app` }],
    },
  ];
}

// 180 cookies of one site, all Secure: with any other, the site is past the browsers' limit.
const EXPERIMENT_COOKIES = Array.from({ length: 180 }, (_, i) => `exp_${i}=on; Path=/; Secure; SameSite=Lax`);

// A sign-in, then a dashboard whose answer sets 180 more cookies for the site (an experiment
// cookie per flag, as some A/B tools write): the site passes the browsers' limit of 180, and the
// least recently used go. Within a sign-in that is the session (a cookie's last use moves only
// once a minute), unless its Priority=High spares it, which only Chromium reads.
function evictionFlow(id, sessionLine) {
  const filler = EXPERIMENT_COOKIES;
  const high = sessionLine.includes('Priority');
  // Where the browsers differ (Priority), /account answers alike, so that both play every URL.
  const account = high
    ? { [`${APP}/account`]: {} }
    : {
      [`${APP}/account`]: { withoutCookie: { name: 'session', location: '/api/auth/signin?callbackUrl=%2Faccount' } },
      [`${APP}/api/auth/signin`]: {},
    };
  return {
    id,
    description: `A sign-in form POSTs to /api/auth/callback/credentials, which stores the session (${high ? 'with Priority=High' : 'Secure, like every cookie of the site'}) and redirects to /dashboard; the dashboard's answer sets 180 experiment cookies (Secure), which takes app.test past the limit of 180 cookies per site. The link to /account then goes ${high ? 'with the session in Chromium (which spares a high-priority cookie) and without it in Firefox (which ignores Priority)' : 'without the session, evicted as the least recently used'}.`,
    setCookie: [sessionLine, ...filler],
    script: {
      ...signIn(sessionLine),
      [`${APP}/dashboard`]: { setCookie: filler, next: { kind: 'link', to: `${APP}/account` } },
      ...account,
    },
    actions: [{ goto: `${APP}/start-sign-in` }, { waitFor: `${APP}/dashboard` }, { click: '#go', at: `${APP}/dashboard` }, { waitFor: `${APP}/account` }, { settle: 300 }],
  };
}

// The scenarios recorded as HAR fixtures (tests/fixtures/hars/) by record-hars.mjs.
export const HAR_SCENARIO_IDS = [
  'oauth/strict-302', 'oauth/lax-302', 'oauth/no-samesite-302', 'oauth/lax-307', 'oauth/no-samesite-307', 'oauth/none-secure-302',
  'secure/over-http', 'samesite-none-insecure/same-site-link', 'domain/public-suffix-vercel', 'prefix/host-without-path',
  'expiry/max-age-0-deletes', 'path/admin-then-root', 'samesite-none-secure/cross-site-fetch', 'syntax/several-lines',
  'token/json-body', 'token/bearer-header', 'flow/credentials-omitted', 'flow/session-refused', 'flow/session-duplicate',
  'flow/script-deletes-session', 'flow/silent-sign-in-iframe', 'flow/silent-sign-in-iframe-allowed', 'flow/cookie-header-too-large',
  'flow/login-fetch-without-credentials', 'flow/redirect-loop', 'token/bearer-expired', 'flow/session-expired-on-arrival',
  'flow/cached-sign-in-redirect', 'flow/cdn-cached-sign-in-redirect', 'flow/prefetch-signs-out', 'flow/sign-in-error-state-withheld', 'flow/clear-site-data', 'flow/clear-site-data-with-sign-in',
  'flow/clear-site-data-over-http', 'flow/cookie-evicted', 'flow/cookie-evicted-priority-high',
  'flow/cookie-evicted-plain-session', 'flow/cookie-evicted-low-priority', 'flow/session-expires-in-seconds',
  'flow/signed-out-by-page', 'flow/session-endpoint-signed-out', 'flow/session-not-set',
  'flow/embedded-app-lax-session', 'flow/embedded-app-third-party-blocked', 'flow/embedded-app-partitioned', 'flow/embedded-app-partitioned-chunks',
];

export function harScenarios() {
  const all = new Map([...allScenarios(), ...harOnlyFlows()].map((s) => [s.id, s]));
  return HAR_SCENARIO_IDS.map((id) => {
    const s = all.get(id);
    if (!s) throw new Error(`HAR scenario ${id} does not exist`);
    return s;
  });
}

export function allScenarios() {
  const list = [...sameSiteMatrix(), ...attributeScenarios(), ...thirdPartySetScenarios(), ...flows()];
  const seen = new Set();
  for (const s of list) {
    if (seen.has(s.id)) throw new Error(`duplicate scenario id ${s.id}`);
    seen.add(s.id);
  }
  return list;
}

/**
 * Plays each scenario with `run(sc)`, once more when it fails (a browser hiccup, not a verdict),
 * logging each one with `size(result)` (its steps or requests) and its time.
 */
export async function playEach(scenarios, run, log, size) {
  const out = [];
  for (const sc of scenarios) {
    const t0 = Date.now();
    let result;
    try {
      result = await run(sc);
    } catch (e) {
      log(`  retrying ${sc.id}: ${e.message.split('\n')[0]}`);
      result = await run(sc);
    }
    out.push(result);
    log(`${sc.id} (${size(result)}, ${Date.now() - t0} ms)`);
  }
  return out;
}
