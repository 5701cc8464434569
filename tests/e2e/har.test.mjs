// End-to-end tests of the HAR view of the paste page (www/) in Debian's Chromium, driving the real
// wasm build: a recorded sign-in is opened with the file picker, replayed by the core's analyzeHar
// and drawn as a headline, a timeline, findings and tokens. Run after `./build.sh build`:
//   node --test tests/e2e/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeHarBytes } from '../bench/har-generator.mjs';
import { OUTPUT, pageHarness } from '../support/page-harness.mjs';

const harness = pageHarness();
const { assertClean } = harness;

/** Opens the page on the HAR view. */
async function openHar(t, { viewport = { width: 1280, height: 900 }, colorScheme = 'light' } = {}) {
  const session = await harness.open(t, { viewport, colorScheme, tab: 'har' });
  await session.page.locator('#har-choose').waitFor({ state: 'visible' });
  return session;
}

/** Sets a file on the HAR view's (hidden) file input. */
async function openFile(page, name, buffer) {
  await page.setInputFiles('#har-file', { name, mimeType: 'application/json', buffer });
}

// ---- a small HAR of an OAuth sign-in, shaped like Chromium's export ----

const H = (name, value) => ({ name, value });
const START = Date.UTC(2026, 0, 15, 9, 0, 0);

function harEntry(i, method, url, { status = 200, site = 'same-origin', reqHeaders = [], resHeaders = [], redirectURL = '', post, type = 'document' } = {}) {
  return {
    startedDateTime: new Date(START + i * 400).toISOString(),
    time: 40,
    request: {
      method, url, httpVersion: 'h2',
      headers: [H('sec-fetch-site', site), H('sec-fetch-mode', 'navigate'), H('sec-fetch-dest', 'document'), ...reqHeaders],
      queryString: [], cookies: [], headersSize: -1, bodySize: post ? post.length : 0,
      ...(post ? { postData: { mimeType: 'application/x-www-form-urlencoded', text: post } } : {}),
    },
    response: {
      status, statusText: '', httpVersion: 'h2', headers: resHeaders, cookies: [],
      content: { size: 0, mimeType: 'text/html' }, redirectURL, headersSize: -1, bodySize: -1,
    },
    cache: {}, timings: { send: 0, wait: 30, receive: 10 }, _resourceType: type,
  };
}

/** /login → the IdP → a cross-site form POST to the callback (302, sets a Strict session) → /dashboard. */
function oauthHar({ cookie = 'session', path = '/dashboard' } = {}) {
  const entries = [
    harEntry(0, 'GET', 'https://app.test/login', { site: 'none', resHeaders: [H('set-cookie', 'csrf=k1; Path=/; Secure; SameSite=Lax')] }),
    harEntry(1, 'GET', 'https://idp.test/authorize?client_id=app&redirect_uri=https%3A%2F%2Fapp.test%2Fapi%2Fauth%2Fcallback%2Fidp', {
      site: 'cross-site', reqHeaders: [H('referer', 'https://app.test/')],
    }),
    harEntry(2, 'POST', 'https://app.test/api/auth/callback/idp', {
      status: 302, site: 'cross-site', redirectURL: `https://app.test${path}`, post: 'code=c0de&state=s1',
      reqHeaders: [H('origin', 'https://idp.test')],
      resHeaders: [H('set-cookie', `${cookie}=eyJzaWQiOiJzLTEifQ; Path=/; Secure; HttpOnly; SameSite=Strict`), H('location', path)],
    }),
    harEntry(3, 'GET', `https://app.test${path}`, { site: 'cross-site', reqHeaders: [H('cookie', 'csrf=k1')] }),
  ];
  return { log: { version: '1.2', creator: { name: 'WebInspector', version: '537.36' }, pages: [], entries } };
}

const bytes = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
/** Opens a recorded file (a path under tests/fixtures/) on a fresh page; resolves once its headline is drawn. */
async function openFixture(t, path) {
  const session = await openHar(t);
  await openFile(session.page, path.split('/').pop(), await readFile(new URL(`../fixtures/${path}`, import.meta.url)));
  const headline = session.page.locator('[data-testid="har-headline"] .har-headline-text');
  await headline.waitFor();
  return { session, page: session.page, headline: await headline.innerText() };
}

const row = (entry) => `[data-testid="har-row"][data-entry="${entry}"]`;
const cell = (entry, cookie) => `${row(entry)} [data-testid="har-cell"][data-cookie="${cookie}"]`;

test('OAuth sign-in: the Strict session set by the callback is withheld on /dashboard', async (t) => {
  const session = await openHar(t);
  const { page, requests } = session;
  await openFile(page, 'oauth-strict.har', bytes(oauthHar()));

  const headline = page.locator('[data-testid="har-headline"] .har-headline-text');
  await headline.waitFor();
  const text = await headline.innerText();
  assert.match(text, /\bsession\b/, `the headline names the cookie: ${text}`);
  assert.match(text, /SchemefulSameSiteStrict/, `the headline names the reason: ${text}`);
  assert.match(text, /GET \/dashboard/);

  // The timeline: every request a row, the cookies as columns.
  const timeline = page.locator('[data-testid="har-timeline"]');
  assert.equal(await timeline.locator('[data-testid="har-row"]').count(), 4);
  assert.deepEqual(await timeline.locator('.har-head .har-col-head').evaluateAll((els) => els.map((e) => e.dataset.cookie)), ['csrf', 'session']);
  const drop = page.locator(row(3));
  assert.equal(await drop.getAttribute('data-drop'), 'true', 'the /dashboard row is the first drop');
  assert.equal(await page.locator('[data-testid="har-row"][data-drop="true"]').count(), 1);
  assert.match(await drop.locator('.har-c-req').innerText(), /GET\s*app\.test\s*\/dashboard/);
  assert.match(await drop.locator('.har-c-req').innerText(), /↳/, 'the redirect target has an arrow');
  const withheld = page.locator(cell(3, 'session'));
  assert.equal(await withheld.getAttribute('data-state'), 'withheld');
  assert.match(await withheld.innerText(), /✗\s*SchemefulSameSiteStrict/, 'the reason is in the cell as text');
  assert.match(await withheld.getAttribute('title'), /withheld: SchemefulSameSiteStrict/, 'and on hover');
  assert.ok(await withheld.isVisible(), 'the drop cell is in view');
  assert.equal(await page.locator(cell(2, 'session')).getAttribute('data-state'), 'set', 'the callback sets it');
  assert.equal(await page.locator(cell(3, 'csrf')).getAttribute('data-state'), 'sent');
  assert.equal(await page.locator(cell(2, 'csrf')).getAttribute('data-state'), 'withheld', 'Lax csrf is withheld on the cross-site POST');
  assert.equal(await page.locator(`${row(2)} .har-site`).getAttribute('data-site'), 'laxMethodUnsafe');

  // The drop row is selected: its details say it in words, keyboard reachable.
  const details = page.locator('[data-testid="har-details"][data-entry="3"]');
  assert.match(await details.innerText(), /Withheld\s+session — SchemefulSameSiteStrict/);
  // When it started: the report carries `time` (seconds); the page writes it in ISO 8601.
  const started = new Date(START + 3 * 400).toISOString().replaceAll('.', '\\.');
  assert.match(await details.innerText(), new RegExp(`Started\\s+${started}\\s*\\(\\+1\\D?200 ms into the flow\\)`));
  assert.equal(await drop.locator('.har-idx').getAttribute('aria-expanded'), 'true');
  await drop.locator('.har-idx').focus();
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  const callback = page.locator('[data-testid="har-details"][data-entry="2"]');
  await callback.waitFor();
  assert.match(await callback.innerText(), /set \(stored\)[\s\S]*session=eyJzaWQiOiJzLTEifQ; Path=\/; Secure; HttpOnly; SameSite=Strict/);
  assert.equal(await details.count(), 0, 'one request is selected at a time');

  // Findings with fixes; each links to its row.
  const finding = page.locator('[data-testid="har-findings"] [data-testid="finding"][data-code="flow.session-withheld"]');
  assert.equal(await finding.count(), 1);
  assert.match(await finding.locator('.ci-fix-code').innerText(), /SameSite=Lax|sameSite: 'lax'/i, 'the fix is shown');
  await finding.locator('.har-goto[data-entry="3"]').click();
  await details.waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.closest('[data-testid="har-row"]')?.dataset.entry), '3');

  assert.match(await page.locator('#har-status').textContent(), /SchemefulSameSiteStrict/, 'the verdict is announced');
  await mkdir(OUTPUT, { recursive: true });
  await page.locator('[data-testid="har-headline"]').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(OUTPUT, 'har-oauth-strict.png'), fullPage: true });

  // Third-party cookies re-run the analysis (same verdict for this first-party flow).
  await page.check('input[name="har-3pc"][value="blocked"]', { force: true });
  await page.locator('#har-progress').waitFor({ state: 'hidden' });
  assert.equal(await page.locator(cell(3, 'session')).getAttribute('data-state'), 'withheld');

  assert.ok(requests.some((u) => u.endsWith('/pkg/cookie_inspector_bg.wasm')), 'the real wasm core was loaded');
  const stored = await page.evaluate(() => ({ local: localStorage.length, session: sessionStorage.length, cookie: document.cookie }));
  assert.deepEqual(stored, { local: 0, session: 0, cookie: '' }, 'nothing is stored');
  assertClean(session);
});

test('the same flow in dark mode (screenshot); the HAR tab is reachable from the keyboard', async (t) => {
  const session = await openHar(t, { colorScheme: 'dark' });
  const { page } = session;
  // HAR is the first tab (Home), Token the default: the other views' keyboard order is unchanged.
  await page.click('#tab-token');
  await page.keyboard.press('Home');
  assert.equal(await page.locator('#tab-har').getAttribute('aria-selected'), 'true');
  assert.ok(await page.locator('#har-choose').isVisible());
  await openFile(page, 'oauth-strict.har', bytes(oauthHar()));
  await page.locator('[data-testid="har-row"][data-drop="true"]').waitFor();
  await mkdir(OUTPUT, { recursive: true });
  await page.screenshot({ path: join(OUTPUT, 'har-oauth-strict-dark.png'), fullPage: true });
  assertClean(session);
});

test('a HAR exported by Firefox: read without _resourceType or Sec-Fetch-*, replayed with Firefox\'s rules, the same drop found, the browser named', async (t) => {
  const { session, page, headline } = await openFixture(t, 'hars-firefox/oauth-strict-http.har');
  // Firefox's same-site is schemeless: the reason takes the plain name.
  assert.match(headline, /session set by GET \/callback\?code=c1&state=s1 is withheld on GET \/dashboard.*\(SameSiteStrict\)/);
  assert.equal(await page.locator('[data-testid="har-rules"]').innerText(), 'replayed with Firefox\'s cookie rules');
  assert.equal(await page.locator('[data-testid="har-row"]').count(), 6);
  assert.equal(await page.locator(row(3)).getAttribute('data-drop'), 'true');
  assert.equal(await page.locator(cell(2, 'session')).getAttribute('data-state'), 'set', 'stored by the callback, a navigation');
  assert.equal(await page.locator(cell(4, 'session')).getAttribute('data-state'), 'sent', 'and sent on the dashboard\'s fetch, as Firefox did');
  assert.match(await page.locator('[data-testid="har-headline"]').innerText(), /recorded with Firefox 153\.7\.0/);
  assert.equal(await page.locator('[data-testid="finding"][data-code="har.other-browser"]').count(), 1);
  assert.equal(await page.locator('[data-testid="finding"][data-code="flow.callback-host-mismatch"]').count(), 0, 'the trip to the identity provider is not a host mismatch');
  // Chromium's rules, chosen: the same drop, in Chromium's words.
  await page.locator('#har-browser label', { hasText: 'Chromium' }).click();
  await page.locator('[data-testid="har-rules"]', { hasText: 'Chromium' }).waitFor();
  assert.match(await page.locator('[data-testid="har-headline"] .har-headline-text').innerText(), /withheld on GET \/dashboard.*SchemefulSameSiteStrict/);
  assertClean(session);
});

test('a Firefox export that keeps its session: compared with Chromium\'s rules, the session Chrome users lose is an error', async (t) => {
  const session = await openHar(t);
  const { page } = session;
  // A cookie without SameSite, three minutes old, on the identity provider's cross-site form POST:
  // Firefox sends it; Chromium treats it as Lax and withholds it.
  const entries = [
    harEntry(0, 'GET', 'https://app.test/login', { site: 'none', resHeaders: [H('set-cookie', 'session=s1; Path=/; Secure; HttpOnly')] }),
    harEntry(1, 'GET', 'https://idp.test/authorize', { site: 'cross-site' }),
    harEntry(2, 'POST', 'https://app.test/callback', { site: 'cross-site', status: 302, redirectURL: 'https://app.test/dashboard', post: 'code=c1', reqHeaders: [H('origin', 'https://idp.test'), H('cookie', 'session=s1')] }),
  ];
  entries[1].startedDateTime = new Date(START + 180_000).toISOString();
  entries[2].startedDateTime = new Date(START + 181_000).toISOString();
  for (const e of entries) delete e._resourceType; // Firefox exports none
  await openFile(page, 'firefox-form-post.har', bytes({ log: { version: '1.2', creator: { name: 'Firefox', version: '153.7.0' }, pages: [], entries } }));
  const headline = page.locator('[data-testid="har-headline"]');
  await headline.waitFor();
  assert.equal(await page.locator('[data-testid="har-rules"]').innerText(), 'replayed with Firefox\'s cookie rules');
  assert.equal(await headline.locator('.har-drop-kind').count(), 0, 'Firefox kept the session: no first drop');
  const other = page.locator('[data-testid="har-other-browser"]');
  assert.match(await other.innerText(), /With Chromium's rules[\s\S]*session set by GET \/login is withheld on POST \/callback/i);
  assert.match(await other.getAttribute('class'), /har-tone-bad/);
  const finding = page.locator('[data-testid="finding"][data-code="flow.browser-difference"]');
  assert.equal(await finding.count(), 1);
  assert.match(await finding.innerText(), /In Chrome, Edge and other Chromium browsers, this sign-in loses its session[\s\S]*it is lost at POST \/callback/);
  assert.match(await headline.innerText(), /this sign-in loses its session \(at POST \/callback\)/);
  await mkdir(OUTPUT, { recursive: true });
  await page.screenshot({ path: join(OUTPUT, 'har-firefox-compare.png'), fullPage: true });
  // Without the comparison: no line, no finding.
  await page.locator('[data-testid="har-compare"]').uncheck();
  await other.waitFor({ state: 'detached' });
  assert.equal(await finding.count(), 0);
  assertClean(session);
});

test('a session cookie missing from a recorded Cookie header is the drop, as observed, with the fix', async (t) => {
  const session = await openHar(t);
  const { page } = session;
  const entries = [
    harEntry(0, 'GET', 'https://app.test/login', { site: 'none', resHeaders: [H('set-cookie', 'session=s1; Path=/; Secure; HttpOnly; SameSite=Lax')] }),
    harEntry(1, 'GET', 'https://app.test/dashboard', { reqHeaders: [H('cookie', 'theme=dark')] }),
  ];
  await openFile(page, 'not-sent.har', bytes({ log: { version: '1.2', creator: { name: 'WebInspector', version: '537.36' }, pages: [], entries } }));
  const headline = page.locator('[data-testid="har-headline"] .har-headline-text');
  await headline.waitFor();
  assert.match(await headline.innerText(), /session set by GET \/login is missing from the Cookie header recorded on GET \/dashboard/);
  assert.equal(await page.locator(row(1)).getAttribute('data-drop'), 'true');
  assert.equal(await page.locator('[data-testid="har-headline"] .har-drop-kind').innerText(), 'not-sent');
  assert.match(await page.locator('[data-testid="har-headline-fix"]').innerText(), /document\.cookie/, 'the finding\'s fix is under the headline');
  assert.equal(await page.locator('[data-testid="finding"][data-code="flow.session-not-sent"]').count(), 1);
  assertClean(session);
});

test('a cross-origin fetch Chromium sent without credentials (recorded fixture): the session left out is the drop, with the fix', async (t) => {
  const { session, page, headline } = await openFixture(t, 'hars/flow__credentials-omitted.har');
  assert.match(headline, /session is left out of the cross-origin fetch GET \/api\/me: the request does not include credentials/);
  assert.equal(await page.locator(row(1)).getAttribute('data-drop'), 'true');
  assert.equal(await page.locator(cell(1, 'session')).getAttribute('data-state'), 'omitted');
  assert.match(await page.locator(cell(1, 'session')).getAttribute('title'), /not attached: the request does not include credentials/);
  assert.match(await page.locator('[data-testid="har-headline-fix"]').innerText(), /credentials: 'include'/);
  assert.equal(await page.locator('[data-testid="finding"][data-code="flow.credentials-omitted"]').count(), 1);
  // The first drop's details are open from the start (once the timeline has laid out its rows).
  const details = page.locator('[data-testid="har-details"][data-entry="1"]');
  await details.scrollIntoViewIfNeeded(); // off-screen chunks are not rendered (content-visibility)
  assert.match(await details.innerText(), /Not attached\s+session/);
  assertClean(session);
});

test('a session the server refuses after the sign-in (recorded fixture) is the drop, with the fix', async (t) => {
  const { session, page, headline } = await openFixture(t, 'hars/flow__session-refused.har');
  assert.match(headline, /session went along with GET \/dashboard, yet the server sent the browser back to sign in/);
  assert.equal(await page.locator(row(2)).getAttribute('data-drop'), 'true');
  assert.equal(await page.locator('[data-testid="har-headline"] .har-drop-kind').innerText(), 'refused');
  assert.equal(await page.locator(cell(2, 'session')).getAttribute('data-state'), 'sent');
  assert.match(await page.locator('[data-testid="har-headline-fix"]').innerText(), /AUTH_SECRET/);
  assert.equal(await page.locator('[data-testid="finding"][data-code="flow.session-refused"]').count(), 1);
  assertClean(session);
});

test('a silent sign-in in a hidden iframe, recorded with third-party cookies blocked: the provider\'s cookie held back is the drop', async (t) => {
  // The iframe's request to idp.test went without idp_session, and idp.test answered
  // login_required.
  const { session, page, headline } = await openFixture(t, 'hars/flow__silent-sign-in-iframe.har');
  assert.match(headline, /idp_session set by GET \/login is missing from the Cookie header recorded on GET \/authorize/);
  assert.equal(await page.locator(row(2)).getAttribute('data-drop'), 'true');
  assert.equal(await page.locator('[data-testid="finding"][data-code="flow.silent-sign-in-blocked"]').count(), 1);
  assert.match(await page.locator('[data-testid="finding"][data-code="flow.silent-sign-in-blocked"]').innerText(), /The provider answered login_required/);
  assert.match(await page.locator('[data-testid="har-headline-fix"]').innerText(), /refresh token/);
  assertClean(session);
});

test('a silent sign-in Chromium recorded with third-party cookies allowed: the comparison names Firefox, with the silent sign-in\'s fix', async (t) => {
  // The session survives here, and the comparison (on by default) says Firefox's users lose it.
  const { session, page, headline } = await openFixture(t, 'hars/flow__silent-sign-in-iframe-allowed.har');
  assert.match(headline, /In Firefox, this sign-in loses its session/);
  const difference = page.locator('[data-testid="finding"][data-code="flow.browser-difference"]');
  assert.equal(await difference.count(), 1);
  assert.match(await difference.innerText(), /refresh token/);
  assert.match(await page.locator('[data-testid="har-other-browser"]').innerText(), /idp_session/);
  assertClean(session);
});

test('a chunked session too large for the server\'s header limit (recorded fixture): the refused request is the drop, with the fix', async (t) => {
  const { session, page, headline } = await openFixture(t, 'hars/flow__cookie-header-too-large.har');
  assert.match(headline, /went along with GET \/dashboard in a Cookie header of 9,\d{3} bytes, and the server refused the request: 400, with a page saying "Request Header Or Cookie Too Large"/);
  assert.equal(await page.locator(row(2)).getAttribute('data-drop'), 'true');
  assert.equal(await page.locator('[data-testid="har-headline"] .har-drop-kind').innerText(), 'too-large');
  assert.match(await page.locator('[data-testid="har-headline-fix"]').innerText(), /large_client_header_buffers/);
  assert.equal(await page.locator('[data-testid="finding"][data-code="flow.cookie-header-too-large"]').count(), 1);
  assertClean(session);
});

test('a redirect loop (recorded fixture): the refused session is the drop, and the loop is found where Chromium gave up', async (t) => {
  const { session, page, headline } = await openFixture(t, 'hars/flow__redirect-loop.har');
  assert.match(headline, /session went along with GET \/dashboard, yet the server sent the browser back to sign in/);
  const loop = page.locator('[data-testid="finding"][data-code="flow.redirect-loop"]');
  assert.equal(await loop.count(), 1);
  assert.match(await loop.innerText(), /20 requests from entry 1 to entry 20 each answer with a redirect/);
  assertClean(session);
});

test('a 301 to sign-in Chromium kept and followed from its cache after the sign-in (recorded fixture): the cached hop is the drop, with the fix', async (t) => {
  const { session, page, headline } = await openFixture(t, 'hars/flow__cached-sign-in-redirect.har');
  assert.match(headline, /GET \/dashboard was answered from the browser's disk cache, with a redirect to sign in it kept from before the sign-in: session set by GET \/api\/auth\/callback\/idp/);
  assert.equal(await page.locator(row(4)).getAttribute('data-drop'), 'true');
  assert.equal(await page.locator('[data-testid="har-headline"] .har-drop-kind').innerText(), 'cached');
  assert.match(await page.locator('[data-testid="har-headline-fix"]').innerText(), /Clear-Site-Data: "cache"/);
  const finding = page.locator('[data-testid="finding"][data-code="flow.cached-sign-in-redirect"]');
  assert.equal(await finding.count(), 1);
  assert.match(await finding.innerText(), /kept from GET "http:\/\/app\.test:18080\/dashboard" \(entry 0\) before the sign-in/);
  assert.equal(await page.locator(cell(4, 'session')).getAttribute('data-state'), 'none', 'nothing went out on the cached hop');
  assert.equal(await page.locator(cell(5, 'session')).getAttribute('data-state'), 'sent');
  assert.equal(await page.locator(`${row(4)} [data-testid="har-tag"]`).innerText(), 'disk cache');
  assert.equal(await page.locator(`${row(0)} [data-testid="har-tag"]`).count(), 0, 'the first visit went to the server');
  // The drop's details are open from the start.
  assert.match(await page.locator('[data-testid="har-details"][data-entry="4"]').innerText(), /Served from\s+the browser's disk cache/);
  assertClean(session);
});

test('a prefetch of the sign-out route deletes the session (recorded fixture): the prefetch is the drop, and says it is one', async (t) => {
  const { session, page, headline } = await openFixture(t, 'hars/flow__prefetch-signs-out.har');
  assert.match(headline, /session is deleted by the answer to a prefetch of GET \/api\/auth\/signout: the user never asked to sign out/);
  assert.equal(await page.locator(row(3)).getAttribute('data-drop'), 'true');
  assert.match(await page.locator('[data-testid="har-headline-fix"]').innerText(), /prefetch=\{false\}/);
  assert.equal(await page.locator('[data-testid="finding"][data-code="flow.prefetch-signed-out"]').count(), 1);
  assert.equal(await page.locator('[data-testid="finding"][data-code="flow.cookie-deleted"]').count(), 0);
  assert.match(await page.locator('[data-testid="har-details"][data-entry="3"]').innerText(), /Prefetch\s+asked for ahead of a click/);
  assert.equal(await page.locator(`${row(3)} [data-testid="har-tag"]`).innerText(), 'prefetch');
  assertClean(session);
});

test('Clear-Site-Data on a page after the sign-in (recorded fixture): the cookies it deleted are marked on the hop, and the drop says why', async (t) => {
  const { session, page, headline } = await openFixture(t, 'hars/flow__clear-site-data.har');
  assert.match(headline, /session is deleted by Clear-Site-Data in the response to GET \/dashboard, with every other cookie of the site/);
  assert.equal(await page.locator('[data-testid="har-headline"] .har-drop-kind').innerText(), 'cleared');
  for (const name of ['session', 'prefs']) {
    assert.match(await page.locator(cell(3, name)).getAttribute('data-state'), /\bcleared\b/, name);
    assert.match(await page.locator(cell(3, name)).getAttribute('title'), /deleted by Clear-Site-Data/, name);
  }
  assert.match(await page.locator('[data-testid="har-details"][data-entry="3"]').innerText(), /Clear-Site-Data deleted\s+prefs, session/);
  assert.match(await page.locator('[data-testid="har-headline-fix"]').innerText(), /only from the sign-out/);
  assertClean(session);
});

test('a page that sets 180 cookies after the sign-in (recorded fixture): the evicted session is marked on the hop, and the drop says why', async (t) => {
  const { session, page, headline } = await openFixture(t, 'hars/flow__cookie-evicted.har');
  assert.match(headline, /session is evicted by the browser at GET \/dashboard: the site passed its limit of 180 cookies/);
  assert.equal(await page.locator('[data-testid="har-headline"] .har-drop-kind').innerText(), 'evicted');
  assert.equal(await page.locator(row(2)).getAttribute('data-drop'), 'true');
  for (const name of ['session', 'exp_0']) {
    assert.match(await page.locator(cell(2, name)).getAttribute('data-state'), /\bevicted\b/, name);
    assert.match(await page.locator(cell(2, name)).getAttribute('title'), /evicted: the site passed the browser’s limit of cookies/, name);
  }
  assert.doesNotMatch(await page.locator(cell(2, 'exp_30')).getAttribute('data-state'), /\bevicted\b/);
  assert.match(await page.locator('[data-testid="har-details"][data-entry="2"]').innerText(), /Evicted\s+session, exp_0, exp_1/);
  assert.match(await page.locator('[data-testid="har-headline-fix"]').innerText(), /Priority=High/);
  assert.equal(await page.locator('[data-testid="finding"][data-code="flow.cookie-evicted"]').count(), 1);
  // "Copy as text": the core's plain text (the CLI's), shown to copy by hand without a clipboard.
  await page.evaluate(() => Object.defineProperty(navigator, 'clipboard', { value: undefined, configurable: true }));
  await page.locator('[data-testid="har-copy-text"]').click();
  const shown = page.locator('[data-testid="har-copy-shown"]');
  await shown.waitFor({ state: 'visible' });
  const copied = await shown.inputValue();
  assert.match(copied, /^session is evicted by the browser at GET \/dashboard: the site passed its limit of 180 cookies\.\n/);
  assert.match(copied, /\n→ {3}2 GET {4}200 https:\/\/app\.test:18443\/dashboard  ✓session ●exp_0 /);
  assert.match(copied, /⌫session \(evicted\)/);
  assert.match(copied, /\[flow\.cookie-evicted at entries\[2\]\.response\]\n/);
  assertClean(session);
});

test('a session given three seconds to live (recorded fixture): the hop where it had expired is the drop, with the unit mix-up that causes it', async (t) => {
  const { session, page, headline } = await openFixture(t, 'hars/flow__session-expires-in-seconds.har');
  assert.match(headline, /connect\.sid set by POST \/api\/auth\/callback\/credentials had expired by GET \/account/);
  assert.equal(await page.locator('[data-testid="har-headline"] .har-drop-kind').innerText(), 'lapsed');
  assert.equal(await page.locator(row(3)).getAttribute('data-drop'), 'true');
  const finding = page.locator('[data-testid="finding"][data-code="flow.session-expired"]');
  assert.equal(await finding.count(), 1);
  assert.match(await finding.innerText(), /maxAge: 3600 \(an hour, written in seconds\)/);
  assert.match(await page.locator('[data-testid="har-headline-fix"]').innerText(), /60 \* 60 \* 1000/);
  assertClean(session);
});

test('the page sending the user back to sign in with the session alive (recorded fixture): the verdict names the hop and gives the fix, though no cookie was lost', async (t) => {
  const { session, page, headline } = await openFixture(t, 'hars/flow__signed-out-by-page.har');
  assert.match(headline, /Sent back to sign in by the page, with the session alive \(at GET \/login\?next=%2Fdashboard\)/);
  for (const i of [2, 3, 4]) assert.equal(await page.locator(cell(i, 'session')).getAttribute('data-state'), 'sent', `entry ${i}`);
  assert.equal(await page.locator('[data-testid="har-headline"] .har-drop-code').innerText(), 'flow.signed-out-by-page');
  assert.match(await page.locator('[data-testid="har-headline-fix"]').innerText(), /ask the server/);
  const finding = page.locator('[data-testid="finding"][data-code="flow.signed-out-by-page"]');
  assert.equal(await finding.count(), 1);
  assert.match(await finding.innerText(), /"session" is HttpOnly: the page's script cannot see it in document\.cookie/);
  // The hop button selects the navigation to /login in the timeline.
  await page.locator('[data-testid="har-headline"] .har-goto').click();
  assert.match(await page.locator(row(4)).getAttribute('class'), /har-row-selected/);
  await page.screenshot({ path: join(OUTPUT, 'har-signed-out-by-page.png'), fullPage: true });
  assertClean(session);
});

test('an app in a frame under another site, recorded with third-party cookies blocked (recorded fixture): replayed with them blocked, the session is refused where it is set, with the fix of a Partitioned cookie', async (t) => {
  const { session, page, headline } = await openFixture(t, 'hars/flow__embedded-app-third-party-blocked.har');
  // As recorded, but replayed with third-party cookies allowed: the recording shows it missing.
  assert.match(headline, /session set by POST \/embed\/callback is missing from the Cookie header recorded on GET \/embed\/app/);
  await page.locator('#har-3pc label', { hasText: 'blocked' }).click();
  await page.locator('[data-testid="har-headline"] .har-headline-text', { hasText: 'third-party cookies are blocked' }).waitFor();
  assert.match(await page.locator('[data-testid="har-headline"] .har-headline-text').innerText(), /session is rejected by the browser on POST \/embed\/callback: third-party cookies are blocked \(UserPreferences\)/);
  assert.match(await page.locator('[data-testid="har-headline-fix"]').innerText(), /SameSite=None; Partitioned/);
  assert.equal(await page.locator(cell(2, 'session')).getAttribute('data-state'), 'rejected');
  assertClean(session);
});

test('a form_post callback without its state cookie ends on the sign-in page with error=OAuthCallback (recorded fixture): the error is explained with the cookie that did not come back', async (t) => {
  const { session, page, headline } = await openFixture(t, 'hars/flow__sign-in-error-state-withheld.har');
  assert.match(headline, /next-auth\.state set by GET \/login is withheld on POST \/api\/auth\/callback\/idp/);
  const error = page.locator('[data-testid="finding"][data-code="flow.sign-in-error"]');
  assert.equal(await error.count(), 1);
  assert.match(await error.innerText(), /The sign-in ended in an error: "OAuthCallback"/);
  assert.match(await error.innerText(), /went without "next-auth\.state" \(SchemefulSameSiteLax\)/);
  assertClean(session);
});

test('a page a service worker answered shows no cookie verdict, and says who answered', async (t) => {
  const session = await openHar(t);
  const { page } = session;
  const answered = harEntry(1, 'GET', 'https://app.test/dashboard', { reqHeaders: [H('cookie', 'session=s1')] });
  answered.response._fetchedViaServiceWorker = true;
  const entries = [
    harEntry(0, 'GET', 'https://app.test/login', { site: 'none', resHeaders: [H('set-cookie', 'session=s1; Path=/; Secure; HttpOnly; SameSite=Lax')] }),
    answered,
  ];
  await openFile(page, 'service-worker.har', bytes({ log: { version: '1.2', creator: { name: 'WebInspector', version: '537.36' }, pages: [], entries } }));
  await page.locator('[data-testid="har-headline"]').waitFor();
  assert.equal(await page.locator(cell(1, 'session')).getAttribute('data-state'), 'none', 'no verdict for a request that reached no server');
  await page.locator(`${row(1)} .har-idx`).click();
  assert.match(await page.locator('[data-testid="har-details"][data-entry="1"]').innerText(), /Served by\s+the page's service worker/);
  assertClean(session);
});

test('a font from a same-site host goes without the session: shown as not attached, muted, and no drop', async (t) => {
  const session = await openHar(t);
  const { page } = session;
  const login = harEntry(0, 'GET', 'https://app.test/login', { site: 'none', reqHeaders: [H('host', 'app.test')], resHeaders: [H('set-cookie', 'session=s1; Domain=app.test; Path=/; Secure; HttpOnly; SameSite=Lax')] });
  const font = harEntry(1, 'GET', 'https://static.app.test/brand.woff2', { type: 'font' });
  font.request.headers = [H('host', 'static.app.test'), H('origin', 'https://app.test'), H('sec-fetch-site', 'same-site'), H('sec-fetch-mode', 'cors'), H('sec-fetch-dest', 'font')];
  await openFile(page, 'font.har', bytes({ log: { version: '1.2', creator: { name: 'WebInspector', version: '537.36' }, pages: [], entries: [login, font] } }));
  const headline = page.locator('[data-testid="har-headline"] .har-headline-text');
  await headline.waitFor();
  assert.match(await headline.innerText(), /No session drop found in 2 requests/);
  assert.equal(await page.locator(cell(1, 'session')).getAttribute('data-state'), 'uncredentialed');
  assert.match(await page.locator(cell(1, 'session')).getAttribute('title'), /never includes credentials/);
  assertClean(session);
});

test('markup in a cookie name and a URL is rendered as text, never run', async (t) => {
  const session = await openHar(t);
  const { page, requests } = session;
  const markup = '<img src=x onerror=window.__pwned=1>';
  const har = oauthHar({ cookie: markup.replace(/[ =]/g, '_'), path: `/dashboard/${markup}` });
  // Also a raw name with spaces and "=" in a second cookie line of the callback.
  har.log.entries[2].response.headers.push(H('set-cookie', `${markup}; Path=/; Secure`));
  await openFile(page, `${markup}.har`, bytes(har));
  await page.locator('[data-testid="har-headline"]').waitFor();
  await page.locator(row(3)).waitFor();
  const all = await page.locator('#har-report').innerText();
  assert.ok(all.includes('<img'), 'the markup is shown as text');
  assert.equal(await page.locator('#har-report img, #har-report script, #har-report svg, #har-report iframe').count(), 0,
    'no element was made from the HAR');
  assert.ok((await page.locator(`${row(3)} .har-c-req`).getAttribute('title')).includes(markup), 'the URL is an attribute value');
  await page.waitForTimeout(100);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.ok(!requests.some((u) => new URL(u).pathname === '/x'), 'no image was requested');
  assertClean(session);
});

test('a truncated file shows har.truncated and the entries before the cut; a non-HAR JSON says so', async (t) => {
  const session = await openHar(t);
  const { page } = session;
  const full = JSON.stringify(oauthHar());
  // Cut inside the last entry: the three before it are whole.
  const cut = full.slice(0, full.indexOf('"https://app.test/dashboard"', full.indexOf('"startedDateTime":"2026-01-15T09:00:01.200Z"')) + 10);
  await openFile(page, 'cut.har', bytes(cut));
  const truncated = page.locator('[data-testid="har-findings"] [data-testid="finding"][data-code="har.truncated"]');
  await truncated.waitFor();
  assert.match(await truncated.innerText(), /cut off/);
  assert.equal(await page.locator('[data-testid="har-row"]').count(), 3, 'the entries before the cut are shown');
  assert.equal(await page.locator(cell(2, 'session')).getAttribute('data-state'), 'set');

  await openFile(page, 'package.json', bytes({ name: 'not-a-har', version: '1.0.0' }));
  await page.locator('[data-testid="har-findings"] [data-code="har.not-har"]').waitFor();
  assert.match(await page.locator('[data-testid="har-headline"]').innerText(), /not a HAR file/);
  assert.equal(await page.locator('[data-testid="har-timeline"]').count(), 0, 'no timeline without requests');

  await openFile(page, 'image.har', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  await page.locator('[data-testid="har-findings"] [data-code="har.malformed"]').waitFor();
  assert.match(await page.locator('[data-testid="har-headline"]').innerText(), /not valid JSON/);
  assertClean(session);
});

test('a 10,000-request HAR loads in a worker and stays usable', async (t) => {
  const session = await openHar(t);
  const { page, requests } = session;
  const big = makeHarBytes(10_000);
  const started = Date.now();
  await openFile(page, 'big.har', big);
  await page.locator('[data-testid="har-headline"]').waitFor({ timeout: 60_000 });
  const total = Date.now() - started;
  const info = await page.locator('[data-testid="har-file-info"]').innerText();
  const totalMs = Number(await page.locator('[data-testid="har-file-info"]').getAttribute('data-total-ms'));
  const analysisMs = Number(await page.locator('[data-testid="har-file-info"]').getAttribute('data-analysis-ms'));
  const drawMs = Number(await page.locator('[data-testid="har-file-info"]').getAttribute('data-draw-ms'));
  t.diagnostic(`10,000 entries, ${(big.length / 1048576).toFixed(1)} MB: ${total} ms from setInputFiles to the headline, ${totalMs} ms in the page from the file to the drawn report (analysis ${analysisMs} ms, drawing ${drawMs} ms) — ${info}`);
  assert.match(info, /\(worker\)/, 'a large file is analysed in the worker');
  assert.ok(requests.some((u) => u.endsWith('/har-worker.js')));
  assert.ok(total < 30_000, `loaded in ${total} ms`);
  assert.ok(drawMs < 1_500, `drawn in ${drawMs} ms`);

  // Key requests only by default, built a chunk at a time.
  const shown = await page.locator('.har-shown').innerText();
  assert.match(shown, /key requests shown/);
  const built = await page.locator('[data-testid="har-row"]').count();
  assert.ok(built > 0 && built < 10_000, `${built} rows built at first`);
  // Every request on demand, still responsive: scrolling to the end builds the last chunk.
  const t0 = Date.now();
  await page.check('[data-testid="har-show-all"]');
  await page.locator('.har-shown').filter({ hasText: '10,000 requests' }).waitFor();
  await page.locator('.har-scroll').evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await page.locator(row(9999)).waitFor();
  t.diagnostic(`show all 10,000 and scroll to the end: ${Date.now() - t0} ms`);
  // The tokens of the flow, each analysed once; a token's report is built when it is opened.
  const token = page.locator('[data-testid="har-token"]').first();
  await token.locator('summary').click();
  await token.locator('[data-testid="lifetime"]').waitFor();
  assert.match(await token.locator('.har-token-where').innerText(), /response\.set-cookie\.session/);
  // The session token: set by the callback (#2), then carried in the Cookie header of every
  // request that sends it. The report lists each place once with its entries; the page counts.
  const har = JSON.parse(big.toString());
  const sessionPair = har.log.entries[2].response.headers.find((h) => h.name === 'set-cookie').value.split(';')[0];
  const carried = har.log.entries.filter((e) => e.request.headers.some((h) => h.name === 'cookie' && h.value.split('; ').includes(sessionPair))).length;
  const seen = await token.locator('.har-token-seen').innerText();
  assert.match(seen, /^seen [\d,]+ times, first in #2 response\.set-cookie\.session$/);
  assert.equal(Number(seen.match(/seen ([\d,]+)/)[1].replaceAll(',', '')), carried + 1, seen);
  assert.match(await token.locator('.har-token-where').innerText(), /request\.cookie\.session\s*#3/);
  // Findings are capped with a "show all" button.
  assert.ok(await page.locator('[data-testid="har-findings"] [data-testid="finding"]').count() <= 100);
  // "Copy as text" asks the worker again: a line for each of the 10,000 requests.
  await page.evaluate(() => Object.defineProperty(navigator, 'clipboard', { value: undefined, configurable: true }));
  await page.locator('[data-testid="har-copy-text"]').click();
  const copied = page.locator('[data-testid="har-copy-shown"]');
  await copied.waitFor({ state: 'visible', timeout: 60_000 });
  const text = await copied.inputValue();
  assert.equal(text.match(/^[ →] {0,3}\d+ (GET|POST) /gm)?.length, 10_000);
  const verdict = text.split('\n')[0];
  assert.ok(verdict.length > 20 && (await page.locator('[data-testid="har-headline"] .har-headline-text').innerText()).includes(verdict), verdict);
  // Copied while an analysis has the file's bytes in the worker (an option just changed): the
  // copy waits for them, and is the text of the new options' replay (Firefox's rules).
  await page.evaluate(() => Object.defineProperty(navigator, 'clipboard', {
    value: { writeText: async (t) => { window.copiedText = t; } }, configurable: true,
  }));
  assert.match(text, /^With Firefox's cookie rules: /m, 'compared with Firefox, as the page does by default');
  await page.locator('#har-browser label').filter({ hasText: 'Firefox' }).click({ force: true }); // (the 10,000-row timeline below keeps the layout moving)
  await page.locator('[data-testid="har-copy-text"]').click();
  await page.waitForFunction(() => typeof window.copiedText === 'string', null, { timeout: 60_000 });
  const again = await page.evaluate(() => window.copiedText);
  assert.equal(again.match(/^[ →] {0,3}\d+ (GET|POST) /gm)?.length, 10_000);
  assert.match(again, /^With Chromium's cookie rules: /m, 'replayed with the option just chosen: Firefox\'s rules, compared with Chromium\'s');
  await page.locator('[data-testid="har-rules"]').filter({ hasText: "Firefox's cookie rules" }).waitFor({ timeout: 60_000 });
  assertClean(session);
});
