// End-to-end tests of the paste page (www/) in Debian's Chromium, driving the real wasm build.
// Run after `./build.sh build`: node --test tests/e2e/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OUTPUT, pageHarness } from '../support/page-harness.mjs';

const { open, assertClean } = pageHarness();
const openPage = (t, viewport) => open(t, { viewport });

const b64url = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwt = (header, payload, signature = 'c2lnbmF0dXJl') => `${b64url(header)}.${b64url(payload)}.${signature}`;
function hs256(header, payload, secret) {
  const input = `${b64url(header)}.${b64url(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

const finding = (code) => `[data-testid="finding"][data-code="${code}"]`;

test('exp in milliseconds: an error finding with a fix, and exp clipped off the end of the lifetime bar', async (t) => {
  const session = await openPage(t);
  const { page, requests } = session;
  const now = Math.floor(Date.now() / 1000);
  const token = jwt({ alg: 'HS256', typ: 'JWT' }, { sub: 'user-8412', iat: now, exp: Date.now() + 3600 });
  await page.fill('#token', `Authorization: Bearer ${token}`);

  const f = page.locator(finding('jwt.exp-milliseconds'));
  await f.waitFor();
  assert.equal(await f.getAttribute('data-severity'), 'error');
  assert.match(await f.locator('.ci-finding-title').innerText(), /\S/);
  const fix = (await f.locator('.ci-fix-code').innerText()).trim();
  assert.ok(fix.length > 0, 'the finding shows a fix');
  assert.ok(await f.locator('button.ci-copy').isVisible(), 'the fix has a Copy button');
  // Errors are listed first.
  assert.equal(await page.locator('[data-testid="finding"]').first().getAttribute('data-severity'), 'error');

  const exp = page.locator('[data-testid="lifetime"] [data-testid="lifetime-marker"][data-name="exp"]');
  await exp.waitFor();
  assert.equal(await exp.getAttribute('data-clipped'), 'after');
  assert.equal(await exp.getAttribute('data-suspect'), 'true');
  assert.match(await exp.innerText(), /→/);
  assert.ok(await exp.isVisible());
  const iat = page.locator('[data-testid="lifetime-marker"][data-name="iat"]');
  assert.equal(await iat.getAttribute('data-suspect'), 'false');
  assert.equal(await page.locator('[data-testid="lifetime-marker"][data-name="now"]').count(), 1);
  assert.match(await page.locator('[data-testid="claims"] tr[data-claim="exp"]').innerText(), /milliseconds/);
  assert.match(await page.locator('#status').textContent(), /1 error/);

  assert.ok(requests.some((u) => u.endsWith('/pkg/cookie_inspector_bg.wasm')), 'the real wasm core was loaded');
  await mkdir(OUTPUT, { recursive: true });
  await page.screenshot({ path: join(OUTPUT, 'page-exp-milliseconds.png'), fullPage: true });
  assertClean(session);
});

test('script in claims and header is rendered as text, never run', async (t) => {
  const session = await openPage(t);
  const { page, requests } = session;
  const sub = '<img src=x onerror=window.__pwned=1>';
  const kid = '</script><script>window.__pwned=1</script>';
  const now = Math.floor(Date.now() / 1000);
  const token = jwt({ alg: 'HS256', typ: 'JWT', kid }, { sub, name: '<svg onload="window.__pwned=1">', iat: now, exp: now + 3600 });
  await page.fill('#token', `Cookie: session=${token}`);
  await page.locator('[data-testid="findings"]').waitFor();

  const payload = page.locator('[data-testid="json-payload"]');
  const header = page.locator('[data-testid="json-header"]');
  assert.ok(await payload.isVisible() && await header.isVisible());
  assert.ok((await payload.innerText()).includes(sub), 'the sub claim is shown as text');
  assert.ok((await header.innerText()).includes(kid), 'the kid header is shown as text');
  assert.equal(await page.locator('#report img, #report script, #report svg').count(), 0, 'no element was made from token text');
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.ok(!requests.some((u) => new URL(u).pathname === '/x'), 'no image was requested');
  assertClean(session);
});

test('HMAC secret: valid and invalid signatures, and nothing stored or put in the URL', async (t) => {
  const session = await openPage(t);
  const { page, requests } = session;
  const secret = 'correct horse battery staple';
  const now = Math.floor(Date.now() / 1000);
  const token = hs256({ alg: 'HS256', typ: 'JWT' }, { sub: 'user-1', iat: now, exp: now + 3600 }, secret);

  await page.fill('#token', token);
  await page.locator('[data-testid="signature"][aria-label]').waitFor();
  assert.equal(await page.locator('#secret').getAttribute('type'), 'password');
  assert.equal(await page.locator('#secret').getAttribute('autocomplete'), 'off');

  await page.fill('#secret', secret);
  await page.locator(finding('jwt.signature-valid')).waitFor();
  assert.equal(await page.locator('[data-testid="signature"] .ci-sig').getAttribute('data-status'), 'valid');

  await page.fill('#secret', `${secret}!`);
  await page.locator(finding('jwt.signature-invalid')).waitFor();
  assert.equal(await page.locator(finding('jwt.signature-valid')).count(), 0);
  assert.equal(await page.locator('[data-testid="signature"] .ci-sig').getAttribute('data-status'), 'invalid');

  const stored = await page.evaluate(() => ({
    local: localStorage.length, session: sessionStorage.length, cookie: document.cookie, href: location.href,
  }));
  assert.equal(stored.local, 0, 'localStorage is empty');
  assert.equal(stored.session, 0, 'sessionStorage is empty');
  assert.equal(stored.cookie, '', 'no cookie was set');
  for (const url of [page.url(), stored.href, ...requests]) {
    assert.ok(!url.includes(token.split('.')[1]) && !url.includes(encodeURIComponent(secret)) && !url.includes('horse'),
      `the token or secret leaked into a URL: ${url}`);
  }
  assertClean(session);
});

test('an Auth.js session cookie made by @auth/core: wrong secret, then the old secret of a rotation decrypts it', async (t) => {
  const session = await openPage(t);
  const { page, requests } = session;
  const vectors = JSON.parse(await readFile(new URL('../fixtures/jwe-vectors.json', import.meta.url), 'utf8'));
  // A token @auth/core's encode wrote with the secret before the rotation, in a Cookie header.
  const rotated = vectors.tokens.find((v) => v.library === '@auth/core' && v.secrets?.length === 2) ?? vectors.tokens.find((v) => v.library === '@auth/core');
  const [current, previous] = rotated.secrets ?? [vectors.secrets.current];
  // Every console message, of any level: a secret must never be logged.
  const logged = [];
  page.on('console', (m) => logged.push(m.text()));
  await page.fill('#token', `Cookie: theme=dark; ${rotated.cookieName}=${rotated.token}`);
  await page.locator(finding('jwe.secret-needed')).waitFor();
  await page.fill('#secret', vectors.secrets.other);
  await page.locator(finding('jwe.wrong-secret')).waitFor();
  assert.equal(await page.locator(finding('jwe.wrong-secret')).getAttribute('data-severity'), 'error');
  await page.fill('#secret', current);
  if (previous) await page.fill('#secret-old', previous);
  await page.locator(finding('jwe.decrypted')).waitFor();
  assert.equal(await page.locator(finding('jwe.wrong-secret')).count(), 0);
  // The decrypted claims are shown like a signed token's.
  await page.locator('[data-testid="claims"] tr[data-claim="exp"]').waitFor();
  assert.match(await page.locator('#report').innerText(), new RegExp(String(rotated.payload.sub ?? rotated.payload.email ?? '')));
  assert.equal(await page.locator('#secret-old').getAttribute('type'), 'password');
  const stored = await page.evaluate(() => localStorage.length + sessionStorage.length + document.cookie.length);
  assert.equal(stored, 0, 'nothing stored');
  for (const url of [page.url(), ...requests]) assert.ok(!url.includes(current.slice(0, 12)), `a secret leaked into a URL: ${url}`);
  for (const secret of [current, previous, vectors.secrets.other].filter(Boolean)) {
    assert.ok(!logged.some((line) => line.includes(secret)), 'a secret was written to the console');
  }
  await page.screenshot({ path: join(OUTPUT, 'page-authjs-decrypted.png'), fullPage: true });
  assertClean(session);
});

test('public keys: the full core loads only when a key is given, then verifies an RS256 token with a JWKS and rejects another key', async (t) => {
  const session = await openPage(t);
  const { page, requests } = session;
  const vectors = JSON.parse(await readFile(new URL('../fixtures/jws-vectors.json', import.meta.url), 'utf8'));
  const made = vectors.cases.find((c) => c.kind === 'valid' && c.alg === 'ES256' && c.publicKeys[0] === 'jwk:p256')
    ?? vectors.cases.find((c) => c.kind === 'valid' && c.alg === 'RS256');
  await page.fill('#token', made.token);
  await page.locator('[data-testid="claims"]').waitFor();
  assert.ok(!requests.some((u) => u.includes('/pkg-keys/')), 'the page starts with the smaller core only');

  await page.fill('#public-key', vectors.keyTexts.jwks);
  await page.locator(finding('jwt.signature-valid')).waitFor();
  assert.equal(await page.locator('[data-testid="signature"] .ci-sig').getAttribute('data-status'), 'valid');
  assert.ok(requests.some((u) => u.endsWith('/pkg-keys/cookie_inspector_bg.wasm')), 'the full core was loaded for the key');

  const other = made.alg === 'ES256' ? 'spki:p256-other' : 'spki:rsa-other';
  await page.fill('#public-key', vectors.keyTexts[other]);
  await page.locator(finding('jwt.signature-invalid')).waitFor();
  assert.equal(await page.locator('[data-testid="signature"] .ci-sig').getAttribute('data-status'), 'invalid');
  assertClean(session);
});

test('a failing core shows a visible error panel, not a blank page', async (t) => {
  const session = await openPage(t);
  const { page } = session;
  // Make the wasm unreachable for a fresh load: the loader must report it.
  await page.route('**/pkg/cookie_inspector_bg.wasm', (route) => route.fulfill({ status: 404, body: 'not found' }));
  session.problems.length = 0;
  page.removeAllListeners('console');
  await page.reload();
  const panel = page.locator('[data-testid="error-panel"]');
  await panel.waitFor();
  assert.match(await panel.innerText(), /could not be loaded/);
});
