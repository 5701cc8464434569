// End-to-end tests of the DevTools extension (extension/) in Debian's Chromium: the extension is
// loaded unpacked, DevTools opens on each tab, real sign-in flows run against the local multi-host
// cookie servers, and the "Cookie Inspector" panel — selected in the DevTools window — must show
// the verdict for each. Screenshots go to tests/output/ (and the README's to
// extension/screenshot.png when it is missing or UPDATE_SCREENSHOTS=1). Run after `./build.sh build`:
//   node --test tests/e2e/
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { access, mkdir, readFile, copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OUTPUT } from '../support/page-harness.mjs';
import { EXTENSION, launchExtension, until } from '../support/extension-harness.mjs';

const S = 'https://app.test:18443';
const IDP = 'https://idp.test:18443';
const PLAIN = 'http://app.test:18080';
const VERCEL = 'https://myapp.vercel.app:18443';
const WAIT = 20_000;

let x;
before(async () => {
  await mkdir(OUTPUT, { recursive: true });
  x = await launchExtension();
}, { timeout: 90_000 });
after(async () => { await x?.close(); });

// ---- helpers ----

const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
function jwt(payload) {
  const signed = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(payload)}`;
  return `${signed}.${createHmac('sha256', 'test-secret').update(signed).digest('base64url')}`;
}
const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * A fresh tab with DevTools open and the recorder following it, for the flow `script` (merged
 * with a neutral start page). Collects what the extension's frames in the DevTools window request
 * and log as errors. Closed after the test.
 */
async function openScenario(t, name, script) {
  const start = `${S}/start/${name}`;
  x.servers.setScript({ [start]: {}, ...script });
  await x.context.clearCookies();
  const tab = await x.openTab(start);
  t.after(() => tab.page.close().catch(() => {}));
  const origin = `chrome-extension://${x.id}/`;
  tab.requests = [];
  tab.problems = [];
  tab.devtools.on('request', (r) => { if (r.frame().url().startsWith(origin)) tab.requests.push(r.url()); });
  tab.devtools.on('console', (m) => {
    if (m.type() === 'error' && String(m.location()?.url ?? '').startsWith(origin)) tab.problems.push(`console.error: ${m.text()}`);
  });
  tab.devtools.on('pageerror', (e) => tab.problems.push(`page error: ${e.message}`));
  tab.devtools.on('dialog', (d) => { tab.problems.push(`dialog: ${d.message()}`); d.dismiss().catch(() => {}); });
  return tab;
}

/** Goes to `from`, clicks its link/button and waits for the flow to land on `to`. */
async function signIn(page, from, to) {
  await page.goto(from);
  await page.click('#go');
  await page.waitForURL(to, { timeout: WAIT });
}

/** Waits until the panel's headline matches every pattern; returns its text. */
async function headline(frame, ...patterns) {
  const sources = patterns.map((p) => [p.source, p.flags]);
  await frame.waitForFunction((ps) => {
    const text = document.querySelector('[data-testid="har-headline"] .har-headline-text > span:last-child')?.textContent ?? '';
    return ps.every(([s, f]) => new RegExp(s, f).test(text));
  }, sources, { timeout: WAIT }).catch(async (e) => {
    const text = await frame.locator('[data-testid="har-headline"]').textContent().catch(() => '(none)');
    throw new Error(`the headline never matched ${patterns.join(', ')}: ${text}\n${e.message}`);
  });
  return frame.locator('[data-testid="har-headline"] .har-headline-text > span:last-child').textContent();
}

function assertClean(tab) {
  const origin = `chrome-extension://${x.id}/`;
  const foreign = tab.requests.filter((u) => !u.startsWith(origin) && !u.startsWith('blob:') && !u.startsWith('data:'));
  assert.deepEqual(foreign, [], `the extension's pages made network requests:\n${foreign.join('\n')}`);
  assert.deepEqual(tab.problems, [], `errors in the extension's pages:\n${tab.problems.join('\n')}`);
}

async function shoot(tab, file) {
  await tab.devtools.screenshot({ path: join(OUTPUT, file) });
}

// ---- (a) the OAuth chain ----

const OAUTH = {
  [`${S}/login`]: { setCookie: ['csrf=k1; Path=/; Secure; SameSite=Lax'], next: { kind: 'link', to: `${IDP}/authorize` } },
  [`${IDP}/authorize`]: { next: { kind: 'form-auto', to: `${S}/api/auth/callback/google` } },
  [`${S}/api/auth/callback/google`]: {
    status: 302, location: '/dashboard',
    setCookie: ['__Secure-next-auth.session-token=eyJzaWQiOiJzLTEifQ; Path=/; Secure; HttpOnly; SameSite=Strict'],
  },
  [`${S}/dashboard`]: {},
};
const SESSION = '__Secure-next-auth.session-token';

test('(a) OAuth sign-in recorded live: the Strict session cookie set by the callback is withheld on /dashboard, and Chromium agrees', { timeout: 90_000 }, async (t) => {
  const tab = await openScenario(t, 'oauth', OAUTH);
  // The panel is open before the sign-in: it fills in as the requests arrive.
  const frame = await x.selectPanel(tab.devtools);
  await frame.locator('[data-testid="clear"]').click(); // the start page may be on record
  await frame.locator('[data-testid="empty"]').waitFor({ timeout: WAIT });
  assert.equal(await frame.locator('[data-testid="rec"]').getAttribute('data-state'), 'on', 'the tab is being recorded');
  assert.equal(await frame.locator('[data-testid="preserve"]').isChecked(), true, 'Preserve log is on by default');
  await frame.locator('[data-testid="chromium-toggle"]').check();
  await frame.locator('[data-testid="chromium-verdicts"]').waitFor();

  await signIn(tab.page, `${S}/login`, `${S}/dashboard`);
  const text = await headline(frame, new RegExp(SESSION.replace(/[.-]/g, '\\$&')), /\/api\/auth\/callback\/google/, /withheld on GET \/dashboard/, /SameSiteStrict/);
  assert.match(text, /^__Secure-next-auth\.session-token set by POST \/api\/auth\/callback\/google is withheld on GET \/dashboard: SameSite=Strict, and another site started this request \(SchemefulSameSiteStrict\)\.$/);
  assert.match(await frame.locator('[data-testid="har-headline-fix"]').textContent(), /sameSite: 'lax'/, 'the headline comes with the fix');
  // The same flow under Firefox's rules, replayed alongside: Strict is withheld there too.
  assert.match(await frame.locator('[data-testid="har-other-browser"]').textContent(), /With Firefox's rules.*withheld on GET \/dashboard.*\(SameSiteStrict\)/);
  assert.equal(await frame.locator('[data-testid="har-findings"] [data-code="flow.browser-difference"]').count(), 0, 'both browsers lose it: no difference');

  // The evidence: the timeline's drop cell, the finding, the jar.
  const drop = frame.locator('[data-testid="har-row"][data-drop="true"]');
  assert.match(await drop.locator('.har-c-req').textContent(), /GET\s*app\.test:18443\s*\/dashboard/);
  assert.equal(await drop.locator(`[data-testid="har-cell"][data-cookie="${SESSION}"]`).getAttribute('data-state'), 'withheld');
  assert.equal(await frame.locator('[data-testid="har-findings"] [data-code="flow.session-withheld"]').count(), 1);
  const jarRow = frame.locator(`[data-testid="jar-row"][data-name="${SESSION}"]`);
  await jarRow.waitFor({ timeout: WAIT });
  assert.match(await jarRow.textContent(), /Strict/);
  assert.match(await jarRow.locator('.jar-findings').textContent(), /SameSite=Strict/);
  assert.equal(await frame.locator('[data-testid="count"]').textContent(), '4 requests');

  // Chromium's own verdicts, beside the prediction: the same.
  const verdict = frame.locator(`[data-testid="verdict-row"][data-cookie="${SESSION}"]`);
  await verdict.waitFor({ timeout: WAIT });
  assert.match(await verdict.textContent(), /withheld: SchemefulSameSiteStrict.*withheld: SchemefulSameSiteStrict/);
  assert.equal(await verdict.getAttribute('data-differs'), 'false');
  assert.match(await frame.locator('[data-testid="chromium-verdicts"] .px-verdict-sum').textContent(), /every verdict agrees/);
  assert.equal(await frame.locator('[data-testid="banner-differ"]').count(), 0);

  await shoot(tab, 'extension-oauth-strict.png');
  // The README's picture: written when missing, or on request (UPDATE_SCREENSHOTS=1).
  const readme = join(EXTENSION, 'screenshot.png');
  if (process.env.UPDATE_SCREENSHOTS || !(await access(readme).then(() => true, () => false))) {
    await copyFile(join(OUTPUT, 'extension-oauth-strict.png'), readme);
  }

  // Clear: the log and the view start over.
  await frame.locator('[data-testid="chromium-toggle"]').uncheck();
  await frame.locator('[data-testid="clear"]').click();
  await frame.locator('[data-testid="empty"]').waitFor({ timeout: WAIT });
  assert.equal(await frame.locator('[data-testid="count"]').textContent(), '0 requests');
  assert.equal((await x.log(tab.tabId)).entries.length, 0, 'the recorder forgot the tab\'s log');
  assert.ok(tab.requests.some((u) => u.endsWith('/pkg/cookie_inspector_bg.wasm')), 'the panel loaded the core');
  assertClean(tab);
});

// ---- a longer flow, live ----

test('a live flow of 120 fetches is drawn incrementally: rows already drawn stay, new ones are appended', { timeout: 90_000 }, async (t) => {
  const items = Array.from({ length: 120 }, (_, i) => `${S}/api/item/${i}`);
  const script = {
    [`${S}/app`]: { setCookie: ['sid=s1; Path=/; Secure; HttpOnly; SameSite=Lax'], next: { kind: 'link', to: `${S}/app/list` } },
    [`${S}/app/list`]: { next: { kind: 'fetch', to: items } },
  };
  for (const u of items) script[u] = { json: { ok: true } };
  const tab = await openScenario(t, 'long', script);
  const frame = await x.selectPanel(tab.devtools);
  await frame.locator('[data-testid="clear"]').click();
  await frame.locator('[data-testid="empty"]').waitFor({ timeout: WAIT });
  await tab.page.goto(`${S}/app`);
  const first = frame.locator('[data-testid="har-row"][data-entry="0"]');
  await first.waitFor({ timeout: WAIT });
  await first.evaluate((row) => { row.dataset.mark = 'drawn once'; });
  await tab.page.click('#go');
  await tab.page.waitForFunction(() => document.title === 'fetched', null, { timeout: WAIT });
  await frame.waitForFunction(() => document.querySelector('[data-testid="count"]')?.textContent === '122 requests', null, { timeout: WAIT });
  await frame.waitForFunction(() => document.querySelectorAll('[data-testid="har-row"]').length === 122, null, { timeout: WAIT });
  assert.equal(await first.getAttribute('data-mark'), 'drawn once', 'the first row was never redrawn');
  assert.equal(await frame.locator('[data-testid="har-row"][data-drop="true"]').count(), 0);
  const last = frame.locator('[data-testid="har-row"][data-entry="121"]');
  assert.match(await last.locator('.har-c-req').textContent(), /\/api\/item\/119/);
  assert.equal(await last.locator('[data-testid="har-cell"][data-cookie="sid"]').getAttribute('data-state'), 'sent');
  assertClean(tab);
});

// ---- Chromium's verdicts where they differ ----

test('where Chromium\'s verdict differs from the prediction, the panel says so (third-party cookies)', { timeout: 60_000 }, async (t) => {
  const OTHER = 'https://other.test:18443';
  const tab = await openScenario(t, 'differ', {
    [`${OTHER}/set`]: { setCookie: ['tp=1; Path=/; Secure; SameSite=None'], next: { kind: 'link', to: `${S}/embed` } },
    [`${S}/embed`]: { next: { kind: 'iframe', to: `${OTHER}/frame` } },
    [`${OTHER}/frame`]: {},
  });
  const frame = await x.selectPanel(tab.devtools);
  await frame.locator('[data-testid="chromium-toggle"]').check();
  await frame.locator('[data-testid="chromium-verdicts"]').waitFor();
  await tab.page.goto(`${OTHER}/set`);
  await tab.page.click('#go');
  await tab.page.waitForURL(`${S}/embed`);
  await tab.page.frameLocator('#frame').locator('body').waitFor();
  // This Chromium blocks third-party cookies; the prediction was asked for "allowed".
  const row = frame.locator('[data-testid="verdict-row"][data-cookie="tp"]');
  await row.waitFor({ timeout: WAIT });
  assert.equal(await row.getAttribute('data-differs'), 'true');
  assert.match(await row.textContent(), /withheld: \w+.*sent.*differs/);
  assert.match(await frame.locator('[data-testid="banner-differ"]').textContent(), /differ on 1 cookie verdict/);
  await shoot(tab, 'extension-chromium-differs.png');
  // Told that third-party cookies are blocked, the prediction agrees.
  await frame.locator('[data-testid="tpc"]').selectOption('blocked');
  await frame.waitForFunction(() => document.querySelector('[data-testid="verdict-row"][data-cookie="tp"]')?.dataset.differs === 'false', null, { timeout: WAIT });
  assert.equal(await frame.locator('[data-testid="banner-differ"]').count(), 0);
  await frame.locator('[data-testid="chromium-toggle"]').uncheck();
  assertClean(tab);
});

// ---- (b) Secure over plain http ----

test('(b) a Secure session cookie set over plain http is rejected', { timeout: 60_000 }, async (t) => {
  const tab = await openScenario(t, 'insecure', {
    [`${PLAIN}/login`]: { next: { kind: 'link', to: `${PLAIN}/api/login` } },
    [`${PLAIN}/api/login`]: { status: 302, location: '/dashboard', setCookie: ['session=abc123; Path=/; Secure; HttpOnly; SameSite=Lax'] },
    [`${PLAIN}/dashboard`]: {},
  });
  await signIn(tab.page, `${PLAIN}/login`, `${PLAIN}/dashboard`);
  const frame = await x.selectPanel(tab.devtools);
  const text = await headline(frame, /\bsession\b/, /rejected/, /SecureOnly/);
  assert.match(text, /GET \/api\/login/);
  assert.match(await frame.locator('[data-testid="har-headline-fix"]').textContent(), /HTTPS/);
  const cell = frame.locator('[data-testid="har-row"][data-drop="true"] [data-testid="har-cell"][data-cookie="session"]');
  assert.equal(await cell.getAttribute('data-state'), 'rejected');
  assert.equal(await frame.locator('[data-testid="har-findings"] [data-code="flow.cookie-rejected"]').count(), 1);
  await shoot(tab, 'extension-secure-over-http.png');

  // Without "Preserve log", a new page starts a new log.
  await frame.locator('[data-testid="preserve"]').uncheck();
  await until(async () => (await x.log(tab.tabId)).meta?.preserve === false, { what: 'the recorder to take the setting' });
  await tab.page.goto(`${PLAIN}/dashboard`);
  await frame.waitForFunction(() => document.querySelector('[data-testid="count"]')?.textContent === '1 request', null, { timeout: WAIT });
  assert.deepEqual((await x.log(tab.tabId)).entries.map((e) => e.request.url), [`${PLAIN}/dashboard`]);
  await headline(frame, /No session drop/);
  assertClean(tab);
});

// ---- a page served from the browser's cache ----

test('a page the browser serves from its disk cache is recorded as such: no cookie sent, none judged', { timeout: 60_000 }, async (t) => {
  // Plain http: Chromium keeps nothing in its cache from a connection with certificate errors.
  const tab = await openScenario(t, 'cache', {
    [`${PLAIN}/login`]: { setCookie: ['session=abc123; Path=/; HttpOnly; SameSite=Lax'], next: { kind: 'link', to: `${PLAIN}/cached` } },
    [`${PLAIN}/cached`]: { cacheControl: 'max-age=600', next: { kind: 'link', to: `${PLAIN}/again` } },
    [`${PLAIN}/again`]: { next: { kind: 'link', to: `${PLAIN}/cached` } },
  });
  await signIn(tab.page, `${PLAIN}/login`, `${PLAIN}/cached`);
  for (const to of [`${PLAIN}/again`, `${PLAIN}/cached`]) {
    await tab.page.click('#go');
    await tab.page.waitForURL(to, { timeout: WAIT });
  }
  const visits = async () => (await x.log(tab.tabId)).entries.filter((e) => e.request.url === `${PLAIN}/cached`);
  await until(async () => (await visits()).length === 2, { what: 'both visits of /cached to be recorded' });
  const [first, second] = await visits();
  assert.equal(first._fromCache, undefined, 'the first visit went to the server');
  assert.match(first.request.headers.find((h) => /^cookie$/i.test(h.name))?.value ?? '', /session=abc123/);
  assert.equal(second._fromCache, 'disk', 'the second came from the disk cache');
  assert.deepEqual(x.servers.requests.filter((r) => r.path === '/cached').length, 1, 'which the server confirms');
  const frame = await x.selectPanel(tab.devtools);
  await headline(frame, /No session drop/);
  const rows = frame.locator('[data-testid="har-row"]', { hasText: '/cached' });
  await until(async () => (await rows.count()) === 2, { what: 'both rows of /cached in the panel' });
  const cachedRow = rows.nth(1);
  assert.equal(await cachedRow.locator('[data-testid="har-cell"][data-cookie="session"]').getAttribute('data-state'), 'none', 'no verdict for a request that never went out');
  await cachedRow.locator('.har-idx').click();
  const index = await cachedRow.getAttribute('data-entry');
  assert.match(await frame.locator(`[data-testid="har-details"][data-entry="${index}"]`).innerText(), /Served from\s+the browser's disk cache/);
  assertClean(tab);
});

test('signed out, a 301 to sign-in is kept; after the sign-in the browser follows it from its cache: the panel says the server never saw the session', { timeout: 60_000 }, async (t) => {
  // Plain http, as above. The OAuth callback is a GET (a link here), as the identity provider's
  // redirect back is: the browser then takes /dashboard from its cache.
  const tab = await openScenario(t, 'cached-redirect', {
    [`${PLAIN}/dashboard`]: { withoutCookie: { name: 'session', location: '/login', status: 301, cacheControl: null } },
    [`${PLAIN}/login`]: { next: { kind: 'link', to: `${PLAIN}/api/auth/callback/idp?code=c0de` } },
    [`${PLAIN}/api/auth/callback/idp`]: { status: 302, location: '/dashboard', setCookie: ['session=abc123; Path=/; HttpOnly; SameSite=Lax'] },
  });
  await tab.page.goto(`${PLAIN}/dashboard`);
  await tab.page.waitForURL(`${PLAIN}/login`, { timeout: WAIT });
  await tab.page.click('#go');
  const cached = async () => (await x.log(tab.tabId)).entries.filter((e) => e.request.url === `${PLAIN}/dashboard` && e._fromCache === 'disk');
  await until(async () => (await cached()).length === 1, { what: 'the cached visit of /dashboard to be recorded' });
  assert.equal(x.servers.requests.filter((r) => r.path === '/dashboard').length, 1, 'the server saw /dashboard once, signed out');
  assert.equal(x.servers.requests.filter((r) => r.path === '/login').at(-1)?.cookie, 'session=abc123', 'the browser held the session');
  const frame = await x.selectPanel(tab.devtools);
  const text = await headline(frame, /GET \/dashboard was answered from the browser's disk cache, with a redirect to sign in it kept from before the sign-in/);
  assert.match(text, /session set by GET \/api\/auth\/callback\/idp\?code=c0de never reached the server/);
  assert.match(await frame.locator('[data-testid="har-headline-fix"]').textContent(), /Clear-Site-Data/);
  assert.equal(await frame.locator('[data-testid="har-headline"] .har-drop-kind').innerText(), 'cached');
  assert.equal(await frame.locator('[data-testid="har-findings"] [data-code="flow.cached-sign-in-redirect"]').count(), 1);
  assert.equal(await frame.locator('[data-testid="har-findings"] [data-code="flow.session-refused"]').count(), 0);
  assertClean(tab);
});

test('a page after the sign-in answers with Clear-Site-Data: the panel says it deleted the session, with every cookie of the site', { timeout: 60_000 }, async (t) => {
  const tab = await openScenario(t, 'clear-site-data', {
    [`${S}/login`]: { next: { kind: 'form', to: `${S}/api/auth/callback/credentials` } },
    [`${S}/api/auth/callback/credentials`]: { status: 302, location: '/dashboard', setCookie: ['session=abc123; Path=/; Secure; HttpOnly; SameSite=Lax'] },
    [`${S}/dashboard`]: { headers: [['Clear-Site-Data', '"cookies"']], next: { kind: 'link', to: `${S}/account` } },
    [`${S}/account`]: { withoutCookie: { name: 'session', location: '/signin' } },
    [`${S}/signin`]: {},
  });
  await signIn(tab.page, `${S}/login`, `${S}/dashboard`);
  await tab.page.click('#go');
  await tab.page.waitForURL(`${S}/signin`, { timeout: WAIT });
  assert.equal(x.servers.requests.filter((r) => r.path === '/dashboard').at(-1)?.cookie, 'session=abc123', 'the dashboard got the session');
  assert.equal(x.servers.requests.filter((r) => r.path === '/account').at(-1)?.cookie ?? null, null, 'the next page did not');
  const frame = await x.selectPanel(tab.devtools);
  await headline(frame, /\bsession is deleted by Clear-Site-Data in the response to GET \/dashboard/);
  assert.equal(await frame.locator('[data-testid="har-headline"] .har-drop-kind').innerText(), 'cleared');
  assert.equal(await frame.locator('[data-testid="har-findings"] [data-code="flow.site-data-cleared"]').count(), 1);
  assert.equal(await frame.locator('[data-testid="har-findings"] [data-code="flow.session-not-sent"]').count(), 0, 'the replay knows why it is gone');
  assertClean(tab);
});

test('the dashboard sets 180 cookies after the sign-in: the panel says the browser evicted the session', { timeout: 60_000 }, async (t) => {
  const filler = Array.from({ length: 180 }, (_, i) => `exp_${i}=on; Path=/; Secure; SameSite=Lax`);
  const tab = await openScenario(t, 'cookie-evicted', {
    [`${S}/login`]: { next: { kind: 'form', to: `${S}/api/auth/callback/credentials` } },
    [`${S}/api/auth/callback/credentials`]: { status: 302, location: '/dashboard', setCookie: ['session=abc123; Path=/; Secure; HttpOnly; SameSite=Lax'] },
    [`${S}/dashboard`]: { setCookie: filler, next: { kind: 'link', to: `${S}/account` } },
    [`${S}/account`]: { withoutCookie: { name: 'session', location: '/signin' } },
    [`${S}/signin`]: {},
  });
  await signIn(tab.page, `${S}/login`, `${S}/dashboard`);
  await tab.page.click('#go');
  await tab.page.waitForURL(`${S}/signin`, { timeout: WAIT });
  const account = x.servers.requests.filter((r) => r.path === '/account').at(-1)?.cookie ?? '';
  assert.ok(!/\bsession=/.test(account) && account.split('; ').length === 150, `Chromium evicted the session: ${account.slice(0, 80)}…`);
  const frame = await x.selectPanel(tab.devtools);
  await headline(frame, /\bsession is evicted by the browser at GET \/dashboard: the site passed its limit of 180 cookies/);
  assert.equal(await frame.locator('[data-testid="har-headline"] .har-drop-kind').innerText(), 'evicted');
  assert.equal(await frame.locator('[data-testid="har-findings"] [data-code="flow.cookie-evicted"]').count(), 1);
  assert.equal(await frame.locator('[data-testid="har-findings"] [data-code="flow.prediction-mismatch"]').count(), 0, 'the replay predicts the 150 cookies sent');
  // "Copy as text": the recording as the core writes it for a bug report.
  await frame.evaluate(() => Object.defineProperty(navigator, 'clipboard', { value: undefined, configurable: true }));
  await frame.locator('[data-testid="har-copy-text"]').click();
  const shown = frame.locator('[data-testid="har-copy-shown"]');
  await shown.waitFor({ state: 'visible', timeout: WAIT });
  const copied = await shown.inputValue();
  assert.match(copied, /^session is evicted by the browser at GET \/dashboard/);
  assert.match(copied, /\[flow\.cookie-evicted at entries\[\d+\]\.response\]/);
  assertClean(tab);
});

test('the dashboard prefetches the sign-out link, which deletes the session: the panel says a prefetch signed the user out', { timeout: 60_000 }, async (t) => {
  const tab = await openScenario(t, 'prefetch', {
    [`${S}/login`]: { next: { kind: 'form', to: `${S}/api/auth/callback/credentials` } },
    [`${S}/api/auth/callback/credentials`]: { status: 302, location: '/dashboard', setCookie: ['session=abc123; Path=/; Secure; HttpOnly; SameSite=Lax'] },
    [`${S}/dashboard`]: { next: { kind: 'link', to: `${S}/account`, prefetch: `${S}/logout` } },
    [`${S}/logout`]: { setCookie: ['session=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Lax'] },
    [`${S}/account`]: { withoutCookie: { name: 'session', location: '/signin' } },
    [`${S}/signin`]: {},
  });
  await signIn(tab.page, `${S}/login`, `${S}/dashboard`);
  await until(() => x.servers.requests.some((r) => r.path === '/logout'), { what: 'the prefetch of /logout' });
  await tab.page.click('#go');
  await tab.page.waitForURL(`${S}/signin`, { timeout: WAIT });
  const frame = await x.selectPanel(tab.devtools);
  await headline(frame, /\bsession is deleted by the answer to a prefetch of GET \/logout: the user never asked to sign out/);
  assert.equal(await frame.locator('[data-testid="har-findings"] [data-code="flow.prefetch-signed-out"]').count(), 1);
  assertClean(tab);
});

// ---- an API call that leaves the session behind ----

test('a cross-origin API call made without credentials: the session the browser holds for it is left out, and the panel says why', { timeout: 60_000 }, async (t) => {
  const API = 'https://api.app.test:18443';
  const tab = await openScenario(t, 'credentials', {
    [`${S}/login`]: { setCookie: ['session=abc123; Domain=app.test; Path=/; Secure; HttpOnly; SameSite=Lax'], next: { kind: 'link', to: `${S}/app` } },
    // fetch()'s default credentials mode, 'same-origin': no cookie on a request to another origin.
    [`${S}/app`]: { next: { kind: 'fetch', to: `${API}/me`, credentials: 'same-origin' } },
    [`${API}/me`]: { json: { error: 'unauthenticated' } },
  });
  await signIn(tab.page, `${S}/login`, `${S}/app`);
  const call = async () => (await x.log(tab.tabId)).entries.find((e) => e.request.url === `${API}/me` && e.response.status === 200);
  await until(call, { what: 'the API call to be recorded' });
  const entry = await call();
  assert.equal(entry._requestHeadersAsSent, true, 'the recorder says its headers are the ones sent');
  assert.equal(entry.request.headers.find((h) => /^cookie$/i.test(h.name)), undefined, 'Chromium sent no Cookie header');
  const served = x.servers.requests.find((r) => r.host === 'api.app.test' && r.path === '/me');
  assert.ok(served, 'the server saw the API call');
  assert.equal(served.cookie, null, 'and got no cookie with it');
  const frame = await x.selectPanel(tab.devtools);
  const text = await headline(frame, /\bsession\b/, /cross-origin fetch/, /credentials/);
  assert.match(text, /GET \/me/);
  assert.match(await frame.locator('[data-testid="har-headline-fix"]').textContent(), /credentials: 'include'/);
  const cell = frame.locator('[data-testid="har-row"][data-drop="true"] [data-testid="har-cell"][data-cookie="session"]');
  assert.equal(await cell.getAttribute('data-state'), 'omitted');
  assert.equal(await frame.locator('[data-testid="har-findings"] [data-code="flow.credentials-omitted"]').count(), 1);
  await shoot(tab, 'extension-credentials-omitted.png');
  assertClean(tab);
});

test('a CORS preflight is recorded as one: it carries no cookie, and that is no drop', { timeout: 60_000 }, async (t) => {
  const API = 'https://api.app.test:18443';
  const tab = await openScenario(t, 'preflight', {
    [`${S}/login`]: { setCookie: ['session=abc123; Domain=app.test; Path=/; Secure; HttpOnly; SameSite=Lax'], next: { kind: 'link', to: `${S}/app` } },
    // A PUT with credentials: Chromium asks the API first (OPTIONS), which never carries cookies.
    [`${S}/app`]: { next: { kind: 'fetch', to: `${API}/me`, method: 'PUT', credentials: 'include' } },
    [`${API}/me`]: { json: {} },
  });
  await signIn(tab.page, `${S}/login`, `${S}/app`);
  const preflight = async () => (await x.log(tab.tabId)).entries.find((e) => e.request.method === 'OPTIONS' && e.request.url === `${API}/me` && e.response.status > 0);
  await until(preflight, { what: 'the preflight to be recorded' });
  const entry = await preflight();
  assert.equal(entry.request.headers.find((h) => /^access-control-request-method$/i.test(h.name))?.value, 'PUT');
  assert.equal(entry.request.headers.find((h) => /^cookie$/i.test(h.name)), undefined, 'no cookie on a preflight');
  assert.equal(entry._requestHeadersAsSent, true);
  const frame = await x.selectPanel(tab.devtools);
  await headline(frame, /No session drop/);
  assert.equal(await frame.locator('[data-testid="har-findings"] [data-code="flow.credentials-omitted"]').count(), 0);
  assert.equal(await frame.locator('[data-testid="har-findings"] [data-code="flow.session-not-sent"]').count(), 0);
  assertClean(tab);
});

// ---- a session the server refuses ----

test('signed in, then sent back to the sign-in page with the session: the panel says the server refused it', { timeout: 60_000 }, async (t) => {
  const tab = await openScenario(t, 'refused', {
    [`${S}/login`]: { next: { kind: 'form', to: `${S}/api/auth/callback/credentials` } },
    [`${S}/api/auth/callback/credentials`]: { status: 302, location: '/dashboard', setCookie: ['session=abc123; Path=/; Secure; HttpOnly; SameSite=Lax'] },
    [`${S}/dashboard`]: { status: 302, location: '/signin?error=SessionRequired' },
    [`${S}/signin`]: {},
  });
  await signIn(tab.page, `${S}/login`, `${S}/signin?error=SessionRequired`);
  assert.equal(x.servers.requests.find((r) => r.path === '/dashboard')?.cookie, 'session=abc123', 'the server got the session');
  const frame = await x.selectPanel(tab.devtools);
  const text = await headline(frame, /\bsession went along with GET \/dashboard/, /sent the browser back to sign in/);
  assert.match(text, /set by POST \/api\/auth\/callback\/credentials/);
  assert.match(await frame.locator('[data-testid="har-headline-fix"]').textContent(), /AUTH_SECRET/);
  const cell = frame.locator('[data-testid="har-row"][data-drop="true"] [data-testid="har-cell"][data-cookie="session"]');
  assert.equal(await cell.getAttribute('data-state'), 'sent');
  assert.equal(await frame.locator('[data-testid="har-findings"] [data-code="flow.session-refused"]').count(), 1);
  assertClean(tab);
});

test('signed in, then the dashboard\'s script sends the browser to sign in because it cannot see the HttpOnly session: the panel says the page decided, not the server', { timeout: 60_000 }, async (t) => {
  const tab = await openScenario(t, 'by-page', {
    [`${S}/login`]: { next: { kind: 'form', to: `${S}/api/auth/callback/credentials` } },
    [`${S}/api/auth/callback/credentials`]: { status: 302, location: '/dashboard', setCookie: ['session=abc123; Path=/; Secure; HttpOnly; SameSite=Lax'] },
    [`${S}/dashboard`]: { next: { kind: 'fetch', to: `${S}/api/me`, navigate: '/login?next=%2Fdashboard', unlessCookie: 'session' } },
    [`${S}/api/me`]: { json: { name: 'Ada' } },
  });
  await signIn(tab.page, `${S}/login`, `${S}/dashboard`);
  await tab.page.waitForURL(`${S}/login?next=%2Fdashboard`, { timeout: 10_000 });
  assert.equal(x.servers.requests.filter((r) => r.path === '/login').at(-1)?.cookie, 'session=abc123', 'the session went along to /login');
  const frame = await x.selectPanel(tab.devtools);
  await headline(frame, /Sent back to sign in by the page, with the session alive \(at GET \/login\?next=%2Fdashboard\)/);
  assert.match(await frame.locator('[data-testid="har-headline-fix"]').textContent(), /ask the server/);
  const finding = frame.locator('[data-testid="har-findings"] [data-code="flow.signed-out-by-page"]');
  assert.equal(await finding.count(), 1);
  assert.match(await finding.textContent(), /"session" is HttpOnly/);
  assert.match(await finding.textContent(), /GET "https:\/\/app\.test:18443\/api\/me" answered 200/);
  assertClean(tab);
});

test('a silent sign-in in a hidden iframe: the panel says the provider\'s session cookie stayed behind, with the fix', { timeout: 60_000 }, async (t) => {
  const callback = `${S}/silent-callback`;
  const authorize = `${IDP}/authorize?client_id=app&response_type=code&scope=openid&redirect_uri=${encodeURIComponent(callback)}&state=s1&prompt=none`;
  const tab = await openScenario(t, 'silent', {
    [`${IDP}/login`]: { setCookie: ['idp_session=u1; Path=/; Secure; HttpOnly; SameSite=None'], next: { kind: 'link', to: `${S}/app` } },
    [`${S}/app`]: { next: { kind: 'iframe', to: authorize } },
    [`${IDP}/authorize`]: { status: 302, location: `${callback}?code=c1&state=s1`, withoutCookie: { name: 'idp_session', location: `${callback}?error=login_required&state=s1` } },
    [callback]: {},
  });
  await signIn(tab.page, `${IDP}/login`, `${S}/app`);
  // The browser profile blocks third-party cookies: the provider saw no session.
  for (const end = Date.now() + WAIT; !x.servers.requests.some((r) => r.path === '/silent-callback') && Date.now() < end;) await new Promise((r) => setTimeout(r, 50));
  assert.equal(x.servers.requests.find((r) => r.path === '/authorize')?.cookie ?? null, null, 'the provider got no cookie');
  const frame = await x.selectPanel(tab.devtools);
  await headline(frame, /\bidp_session set by GET \/login\b/, /GET \/authorize\?client_id=app/);
  const found = frame.locator('[data-testid="har-findings"] [data-code="flow.silent-sign-in-blocked"]');
  await found.waitFor({ timeout: WAIT });
  assert.match(await found.textContent(), /The provider answered login_required/);
  assert.match(await frame.locator('[data-testid="har-headline-fix"]').textContent(), /refresh token/);
  assertClean(tab);
});

// ---- (c) a JWT with exp in milliseconds ----

test('(c) a session cookie holding a JWT whose exp is in milliseconds', { timeout: 60_000 }, async (t) => {
  const now = nowSeconds();
  const token = jwt({ sub: 'user-8412', iat: now, exp: now * 1000 + 3_600_000 });
  const tab = await openScenario(t, 'exp-ms', {
    [`${S}/login`]: { next: { kind: 'link', to: `${S}/api/login` } },
    [`${S}/api/login`]: { status: 302, location: '/dashboard', setCookie: [`session=${token}; Path=/; Secure; HttpOnly; SameSite=Lax`] },
    [`${S}/dashboard`]: {},
  });
  await signIn(tab.page, `${S}/login`, `${S}/dashboard`);
  const frame = await x.selectPanel(tab.devtools);
  await headline(frame, /exp is in milliseconds/);
  assert.ok(await frame.locator('[data-testid="har-findings"] [data-code="jwt.exp-milliseconds"]').count() >= 1);
  // The token with its lifetime bar: exp pinned off the bar's end, in red.
  const tokenEl = frame.locator('[data-testid="har-tokens"] [data-testid="har-token"]').first();
  await tokenEl.waitFor();
  const exp = tokenEl.locator('[data-testid="lifetime-marker"][data-name="exp"]');
  assert.equal(await exp.getAttribute('data-suspect'), 'true');
  assert.equal(await exp.getAttribute('data-clipped'), 'after');
  // The jar has the same token, flagged.
  const jarRow = frame.locator('[data-testid="jar-row"][data-name="session"]');
  await jarRow.waitFor({ timeout: WAIT });
  assert.equal(await jarRow.getAttribute('data-severity'), 'error');
  assert.match(await jarRow.locator('.jar-findings').innerHTML(), /jwt\.exp-milliseconds/);
  assert.ok(await frame.locator('[data-testid="jar-tokens"] [data-testid="lifetime-marker"][data-name="exp"][data-suspect="true"]').count() >= 1);
  await shoot(tab, 'extension-exp-milliseconds.png');
  assertClean(tab);
});

// ---- an encrypted Auth.js session cookie: the panel asks for the secret ----

test('an encrypted Auth.js session cookie in the jar: the panel asks for the secret and decrypts it in memory', { timeout: 60_000 }, async (t) => {
  const vectors = JSON.parse(await readFile(new URL('../fixtures/jwe-vectors.json', import.meta.url), 'utf8'));
  const made = vectors.tokens.find((v) => v.library === '@auth/core' && v.cookieName === '__Secure-authjs.session-token');
  const tab = await openScenario(t, 'authjs-secret', {
    [`${S}/login`]: { next: { kind: 'link', to: `${S}/api/auth/callback/credentials` } },
    [`${S}/api/auth/callback/credentials`]: { status: 302, location: '/dashboard', setCookie: [`${made.cookieName}=${made.token}; Path=/; Secure; HttpOnly; SameSite=Lax`] },
    [`${S}/dashboard`]: {},
  });
  await signIn(tab.page, `${S}/login`, `${S}/dashboard`);
  const frame = await x.selectPanel(tab.devtools);
  // Every console line of DevTools (the panel's frame included), the page and the service worker.
  const consoleLines = [];
  for (const target of [tab.devtools, tab.page]) target.on('console', (m) => consoleLines.push(m.text()));
  for (const worker of x.context.serviceWorkers()) worker.on('console', (m) => consoleLines.push(m.text()));
  const form = frame.locator('[data-testid="secret-form"]');
  await form.waitFor({ state: 'visible', timeout: WAIT });
  const row = frame.locator(`[data-testid="jar-row"][data-name="${made.cookieName}"]`);
  await row.waitFor({ timeout: WAIT });
  await row.locator('[data-code="jwe.secret-needed"]').first().waitFor({ timeout: WAIT });
  await frame.fill('[data-testid="secret"]', vectors.secrets.other);
  await frame.waitForFunction(() => Boolean(document.querySelector('#jar [data-code="jwe.wrong-secret"]')), null, { timeout: WAIT });
  await frame.fill('[data-testid="secret"]', vectors.secrets.current);
  await frame.waitForFunction(() => Boolean(document.querySelector('#jar [data-code="jwe.decrypted"]')), null, { timeout: WAIT });
  assert.match(await frame.locator('#jar').textContent(), new RegExp(made.payload.email.replace('.', '\\.')));
  // The flow's copy of the token (seen in Set-Cookie and Cookie headers) is decrypted too.
  await frame.waitForFunction(() => Boolean(document.querySelector('[data-testid="har-tokens"] [data-code="jwe.decrypted"]')), null, { timeout: WAIT });
  // The secret stayed in the panel: not in the extension's storage, not in any console.
  assert.ok(!consoleLines.some((line) => line.includes(vectors.secrets.current) || line.includes(vectors.secrets.other)), 'a secret was logged');
  const stored = await frame.evaluate(async () => JSON.stringify(await chrome.storage.session.get(null)) + JSON.stringify(await chrome.storage.local.get(null)));
  assert.ok(!stored.includes(vectors.secrets.current), 'the secret was written to extension storage');
  await shoot(tab, 'extension-authjs-secret.png');
  assertClean(tab);
});

// ---- (d) Domain= a public suffix ----

test('(d) a cookie with Domain= a public suffix is rejected', { timeout: 60_000 }, async (t) => {
  const tab = await openScenario(t, 'public-suffix', {
    [`${VERCEL}/login`]: { next: { kind: 'link', to: `${VERCEL}/api/login` } },
    [`${VERCEL}/api/login`]: { status: 302, location: '/dashboard', setCookie: ['session=abc123; Domain=vercel.app; Path=/; Secure; HttpOnly; SameSite=Lax'] },
    [`${VERCEL}/dashboard`]: {},
  });
  await signIn(tab.page, `${VERCEL}/login`, `${VERCEL}/dashboard`);
  const frame = await x.selectPanel(tab.devtools);
  await headline(frame, /\bsession\b/, /rejected/, /InvalidDomain/);
  const details = frame.locator('[data-testid="har-details"]');
  assert.match(await details.textContent(), /Domain=vercel\.app/);
  assert.match(await frame.locator('[data-testid="har-findings"] [data-code="flow.cookie-rejected"]').textContent(), /public suffix|vercel\.app/i);
  await shoot(tab, 'extension-public-suffix.png');
  assertClean(tab);
});

// ---- hostile names, values, claims and storage keys ----

test('script and HTML in cookie names, values, token claims and storage keys are shown as text and run nothing', { timeout: 60_000 }, async (t) => {
  const now = nowSeconds();
  const claims = jwt({ sub: '<img src=x onerror=window.top.__pwned=3>', name: '<script>window.top.__pwned=4</script>', iat: now, exp: now + 3600 });
  const stored = jwt({ sub: '<svg onload=window.top.__pwned=6>', iat: now, exp: now + 600 });
  // Every payload of the hostile corpus (tests/fixtures/hostile.json) as a claim of one more token.
  const corpus = JSON.parse(await readFile(new URL('../fixtures/hostile.json', import.meta.url), 'utf8'));
  const hostile = corpus.payloads.map((p) => p.replaceAll('window.__pwned', 'window.top.__pwned').replaceAll('parent.__pwned', 'top.__pwned'));
  const every = jwt({ ...Object.fromEntries(hostile.map((p, i) => [`c${i}`, p])), sub: 'N'.repeat(2000), iat: now, exp: now + 600 });
  const tab = await openScenario(t, 'xss', {
    [`${S}/xss`]: {
      setCookie: [
        '<script>window.top.__pwned=1</script>; Path=/; Secure',
        'xss-img=<img src=x onerror="window.top.__pwned=2">; Path=/; Secure',
        `session=${claims}; Path=/; Secure; SameSite=Lax`,
        `corpus=${every}; Path=/; Secure; SameSite=Lax`,
      ],
      next: { kind: 'link', to: `${S}/xss-next` },
    },
    [`${S}/xss-next`]: {},
  });
  await tab.page.goto(`${S}/xss`);
  await tab.page.evaluate((value) => localStorage.setItem('<img src=x onerror=window.top.__pwned=5>', value), stored);
  await tab.page.click('#go');
  await tab.page.waitForURL(`${S}/xss-next`);
  const frame = await x.selectPanel(tab.devtools);
  await frame.locator('[data-testid="har-row"]').nth(1).waitFor({ timeout: WAIT });
  await frame.locator('[data-testid="jar-row"][data-name="xss-img"]').waitFor({ timeout: WAIT });
  const storageRow = frame.locator('[data-testid="storage-row"]').first();
  await storageRow.waitFor({ timeout: WAIT });
  await frame.locator('[data-testid="jar-tokens"] details[open] .ci-json').first().waitFor({ timeout: WAIT });

  const page = await frame.evaluate(() => ({
    text: document.body.textContent,
    pwned: window.__pwned ?? null,
    live: document.querySelectorAll('img, svg, iframe, object, embed, math, style:not([data-own]), [onerror], [onload], a[href^="javascript"]').length,
    wide: document.documentElement.scrollWidth - window.innerWidth,
    scripts: [...document.scripts].map((s) => s.getAttribute('src')),
  }));
  assert.equal(page.pwned, null, 'nothing ran in the panel');
  assert.equal(await tab.devtools.evaluate(() => window.__pwned ?? null), null, 'nothing ran in DevTools');
  assert.equal(await tab.page.evaluate(() => window.__pwned ?? null), null, 'nothing ran in the page');
  assert.equal(page.live, 0, 'no element came from the payloads');
  assert.ok(page.wide <= 1, `the panel is ${page.wide}px wider than its window`);
  assert.deepEqual(page.scripts, ['panel.js'], 'the panel\'s only script is its own');
  for (const literal of ['<script>window.top.__pwned', '<img src=x onerror="window.top.__pwned=2">',
    '<img src=x onerror=window.top.__pwned=3>', '<script>window.top.__pwned=4</script>',
    '<img src=x onerror=window.top.__pwned=5>', '<svg onload=window.top.__pwned=6>']) {
    assert.ok(page.text.includes(literal), `shown literally: ${literal}`);
  }
  assert.equal(await storageRow.getAttribute('data-key'), '<img src=x onerror=window.top.__pwned=5>');
  await shoot(tab, 'extension-hostile-text.png');
  assertClean(tab);
});

// ---- no network; the panel in a tab of its own; export ----

// A signed access token in a cookie: exports must not carry its signature unless asked.
const ACCESS = jwt({ sub: 'user-1', iat: nowSeconds(), exp: nowSeconds() + 600 });
const ACCESS_SIGNATURE = ACCESS.split('.')[2];

test('the extension\'s pages make no network requests (DevTools protocol); the panel works as panel.html?tabId=N and exports', { timeout: 60_000 }, async (t) => {
  const tab = await openScenario(t, 'export', {
    [`${S}/login`]: { next: { kind: 'link', to: `${S}/api/login` } },
    [`${S}/api/login`]: { status: 302, location: '/dashboard', setCookie: ['sid=s1; Path=/; Secure; HttpOnly; SameSite=Lax', `at=${ACCESS}; Path=/; Secure; HttpOnly; SameSite=Lax`] },
    [`${S}/dashboard`]: {},
  });
  await signIn(tab.page, `${S}/login`, `${S}/dashboard`);
  const flowOnly = (entries) => entries.filter((e) => !e.request.url.includes('/start/'));
  await until(async () => flowOnly((await x.log(tab.tabId)).entries).length >= 3, { what: 'three recorded requests' });

  const page = await x.context.newPage();
  t.after(() => page.close().catch(() => {}));
  const cdp = await x.context.newCDPSession(page);
  const seen = [];
  cdp.on('Network.requestWillBeSent', (p) => seen.push(p.request.url));
  await cdp.send('Network.enable');
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  await page.goto(x.url(`panel.html?tabId=${tab.tabId}`));
  await page.waitForSelector('html[data-ready="true"]');
  await page.locator('[data-testid="har-row"] .har-url', { hasText: '/dashboard' }).waitFor({ timeout: WAIT });
  await page.locator('[data-testid="jar-row"][data-name="sid"]').waitFor({ timeout: WAIT });
  assert.equal(await page.locator('[data-testid="har-row"][data-drop="true"]').count(), 0, 'nothing dropped in this flow');

  const [har] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-har"]')]);
  const harJson = JSON.parse(await readFile(await har.path(), 'utf8'));
  assert.equal(harJson.log.version, '1.2');
  const entries = flowOnly(harJson.log.entries);
  assert.equal(entries.length, 3);
  const callback = entries[1];
  assert.equal(callback.response.status, 302);
  const redacted = ACCESS.replace(/[^.]+$/, 'REDACTED');
  assert.deepEqual(callback.response.headers.filter((h) => /^set-cookie$/i.test(h.name)).map((h) => h.value), ['sid=s1; Path=/; Secure; HttpOnly; SameSite=Lax', `at=${redacted}; Path=/; Secure; HttpOnly; SameSite=Lax`]);
  assert.deepEqual(entries[2].request.headers.filter((h) => /^cookie$/i.test(h.name)).map((h) => h.value), [`sid=s1; at=${redacted}`]);
  assert.equal(harJson.log.entries.some((e) => e.request.postData), false, 'no request bodies');

  const [report] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-report"]')]);
  const reportJson = JSON.parse(await readFile(await report.path(), 'utf8'));
  assert.equal(reportJson.flow.entries.length, harJson.log.entries.length);
  assert.equal(reportJson.flow.headline, await page.locator('[data-testid="har-headline"] .har-headline-text > span:last-child').textContent());
  assert.ok(reportJson.jar.rows.some((r) => r.name === 'sid'));
  const reportText = await readFile(await report.path(), 'utf8');
  assert.ok(reportText.includes('REDACTED') && !reportText.includes(ACCESS_SIGNATURE), 'the exported report carries no signature');
  assert.ok(!(await readFile(await har.path(), 'utf8')).includes(ACCESS_SIGNATURE), 'the exported HAR carries no signature');
  // Asked to keep them, the export is as recorded.
  await page.check('[data-testid="keep-signatures"]');
  const [kept] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-har"]')]);
  assert.ok((await readFile(await kept.path(), 'utf8')).includes(ACCESS_SIGNATURE), 'kept when asked');

  const origin = `chrome-extension://${x.id}/`;
  assert.ok(seen.some((u) => u === `${origin}pkg/cookie_inspector_bg.wasm`), `the protocol saw the panel's own files:\n${seen.join('\n')}`);
  const foreign = seen.filter((u) => !u.startsWith(origin) && !u.startsWith('blob:') && !u.startsWith('data:'));
  assert.deepEqual(foreign, [], `network requests from the panel:\n${foreign.join('\n')}`);
  assert.deepEqual(problems, []);
  await page.screenshot({ path: join(OUTPUT, 'extension-panel-tab.png'), fullPage: true });
  assertClean(tab);
});

// ---- theme ----

test('the panel follows DevTools\' dark theme', { timeout: 60_000 }, async (t) => {
  const first = await openScenario(t, 'theme-switch', {});
  await first.devtools.evaluate(async () => {
    const Common = await import('./core/common/common.js');
    Common.Settings.Settings.instance().moduleSetting('ui-theme').set('dark');
  });
  t.after(() => x.context.pages().find((p) => p.url().startsWith('devtools://'))?.evaluate(async () => {
    const Common = await import('./core/common/common.js');
    Common.Settings.Settings.instance().moduleSetting('ui-theme').set('default');
  }).catch(() => {}));
  const tab = await openScenario(t, 'dark', OAUTH);
  await signIn(tab.page, `${S}/login`, `${S}/dashboard`);
  const frame = await x.selectPanel(tab.devtools);
  await headline(frame, /SameSiteStrict/);
  const look = await frame.evaluate(() => ({
    dark: document.documentElement.classList.contains('ci-theme-dark'),
    bg: getComputedStyle(document.body).backgroundColor,
  }));
  assert.equal(look.dark, true, 'DevTools\' theme name reached the panel');
  assert.equal(look.bg, 'rgb(32, 33, 36)');
  await shoot(tab, 'extension-oauth-strict-dark.png');
  assertClean(tab);
});
