// End-to-end tests of the Set-Cookie "what if" view of the paste page (www/) in Debian's Chromium,
// driving the real wasm build. Run after `./build.sh build`: node --test tests/e2e/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { OUTPUT, pageHarness } from '../support/page-harness.mjs';

const harness = pageHarness();
const { assertClean } = harness;

/** Opens the page on the Set-Cookie view. */
async function openSetCookie(t, viewport) {
  const session = await harness.open(t, { viewport, tab: 'setcookie' });
  await session.page.locator('#sc-lines').waitFor({ state: 'visible' });
  return session;
}

const line = (name, extra = '') => `[data-testid="setcookie-line"][data-name="${name}"]${extra}`;

test('OAuth redirect back: the Strict session is withheld, the Lax csrf is sent; a same-site link sends both', async (t) => {
  const session = await openSetCookie(t);
  const { page, requests } = session;
  assert.equal(await page.locator('#sc-next').inputValue(), 'oauth-redirect-back', 'the OAuth preset is the default');
  await page.fill('#sc-lines', [
    'session=abc; Path=/; Secure; HttpOnly; SameSite=Strict',
    'Set-Cookie: csrf=1; Path=/; Secure; SameSite=Lax',
  ].join('\n'));

  const sessionCard = page.locator(line('session', '[data-sent="false"]'));
  await sessionCard.waitFor();
  assert.equal(await sessionCard.getAttribute('data-stored'), 'true');
  const withheld = sessionCard.locator('[data-verdict="sending"]');
  assert.match(await withheld.innerText(), /^Withheld: SchemefulSameSiteStrict$/);
  const reason = sessionCard.locator('.sc-reason[data-reason="SchemefulSameSiteStrict"]');
  assert.match(await reason.locator('.sc-reason-text').innerText(), /SameSite=Strict/, 'the reason is explained');
  assert.ok((await reason.locator('.ci-fix-code').innerText()).trim().length > 0, 'the reason has a fix');
  assert.ok(await reason.locator('button.ci-copy').isVisible(), 'the fix has a Copy button');
  assert.match(await sessionCard.locator('.sc-raw').innerText(), /^session=abc; Path=\/; Secure; HttpOnly; SameSite=Strict$/);
  assert.equal(await sessionCard.locator('tr[data-attribute="HttpOnly"]').count(), 1, 'the attributes are tabled');

  const csrf = page.locator(line('csrf'));
  assert.equal(await csrf.getAttribute('data-sent'), 'true');
  assert.equal(await csrf.getAttribute('data-stored'), 'true');
  assert.equal(await page.locator('[data-testid="cookie-header"]').getAttribute('data-header'), 'csrf=1');
  const summary = await page.locator('[data-testid="setcookie-summary"]').innerText();
  assert.match(summary, /^1 of 2 cookies reach the next request; session is withheld: SchemefulSameSiteStrict\.$/);
  assert.equal(await page.locator('#sc-status').textContent(), summary, 'the summary is announced');

  await mkdir(OUTPUT, { recursive: true });
  await page.screenshot({ path: join(OUTPUT, 'setcookie-oauth.png'), fullPage: true });

  // A same-site link carries both.
  await page.selectOption('#sc-next', 'same-site-link');
  await page.locator(line('session', '[data-sent="true"]')).waitFor();
  assert.equal(await page.locator(line('csrf')).getAttribute('data-sent'), 'true');
  const header = await page.locator('[data-testid="cookie-header"]').getAttribute('data-header');
  assert.deepEqual(header.split('; ').sort(), ['csrf=1', 'session=abc']);
  assert.match(await page.locator('[data-testid="setcookie-summary"]').innerText(), /^2 of 2 cookies reach the next request\.$/);

  assert.ok(requests.some((u) => u.endsWith('/pkg/cookie_inspector_bg.wasm')), 'the real wasm core was loaded');
  assertClean(session);
});

test('a cookie without SameSite on a cross-site POST five minutes later: Chromium withholds it, Firefox sends it, and each view says what the other browser does', async (t) => {
  const session = await openSetCookie(t);
  const { page } = session;
  await page.selectOption('#sc-next', 'cross-site-form-post');
  await page.fill('#sc-after', '300');
  await page.fill('#sc-lines', 'session=abc; Path=/; Secure; HttpOnly');
  const card = page.locator(line('session', '[data-sent="false"]'));
  await card.waitFor();
  assert.match(await card.locator('[data-verdict="sending"]').innerText(), /SchemefulSameSiteUnspecifiedTreatedAsLax/);
  const other = card.locator('[data-testid="finding"][data-code="cookie.browser-difference"]');
  assert.equal(await other.getAttribute('data-severity'), 'info');
  assert.match(await other.textContent(), /Firefox treats "session" otherwise: it stores it and sends it on the next request/);

  // Firefox's rules: sent, and a warning that Chrome and Edge users lose it.
  await page.locator('#sc-browser label', { hasText: 'Firefox' }).click();
  const sent = page.locator(line('session', '[data-sent="true"]'));
  await sent.waitFor();
  const warning = sent.locator('[data-testid="finding"][data-code="cookie.browser-difference"]');
  assert.equal(await warning.getAttribute('data-severity'), 'warning');
  assert.match(await warning.textContent(), /Chromium treats "session" otherwise: it stores it but does not send it on the next request/);
  await page.screenshot({ path: join(OUTPUT, 'setcookie-firefox-rules.png'), fullPage: true });
  assertClean(session);
});

test('SameSite=None without Secure is rejected; a Secure cookie over http is withheld', async (t) => {
  const session = await openSetCookie(t);
  const { page } = session;
  await page.fill('#sc-lines', 'a=1; SameSite=None');
  const rejected = page.locator(line('a', '[data-stored="false"]'));
  await rejected.waitFor();
  assert.equal(await rejected.getAttribute('data-decision'), 'rejected');
  assert.equal(await rejected.getAttribute('data-sent'), 'false');
  assert.match(await rejected.locator('[data-verdict="storage"]').innerText(), /^Rejected: SameSiteNoneInsecure$/);
  assert.equal(await rejected.locator('.sc-reason[data-reason="SameSiteNoneInsecure"]').count(), 1);
  assert.match(await page.locator('[data-testid="setcookie-summary"]').innerText(), /a is rejected: SameSiteNoneInsecure/);
  assert.equal(await page.locator('[data-testid="cookie-header"]').getAttribute('data-header'), '');

  await page.fill('#sc-lines', 's=1; Path=/; Secure; SameSite=Lax');
  await page.selectOption('#sc-next', 'same-site-link');
  await page.locator(line('s', '[data-sent="true"]')).waitFor();
  await page.check('input[name="sc-scheme"][value="http"]');
  const insecure = page.locator(line('s', '[data-sent="false"]'));
  await insecure.waitFor();
  assert.equal(await insecure.getAttribute('data-stored'), 'true');
  assert.match(await insecure.locator('[data-verdict="sending"]').innerText(), /^Withheld: SecureOnly$/);
  assertClean(session);
});

test('a cookie name carrying markup is rendered as text, never run', async (t) => {
  const session = await openSetCookie(t);
  const { page, requests } = session;
  const markup = '<img src=x onerror=window.__pwned=1>';
  // The name ends at the first "=", so the core names this cookie "<img src"; the whole markup
  // still reaches the page: in the line, the value and the Cookie header.
  await page.fill('#sc-lines', `${markup}=1; Path=/; Secure; SameSite=Lax\n<b>bold</b>=2; Path=/; Secure; SameSite=Strict`);
  await page.selectOption('#sc-next', 'same-site-link');
  const card = page.locator(line('<img src', '[data-sent="true"]'));
  await card.waitFor();
  assert.ok((await card.locator('.sc-raw').innerText()).includes(markup), 'the line is shown as text');
  assert.equal(await page.locator(line('<b>bold</b>')).count(), 1);
  assert.ok((await page.locator('[data-testid="cookie-header"]').innerText()).includes(markup), 'the header is shown as text');
  assert.ok((await page.locator('[data-testid="setcookie-summary"]').innerText()).startsWith('2 of 2'));
  assert.equal(await page.locator('#sc-report img, #sc-report b, #sc-report script, #sc-report svg').count(), 0,
    'no element was made from the lines');
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.ok(!requests.some((u) => new URL(u).pathname === '/x'), 'no image was requested');
  assertClean(session);
});

test('the view switcher works from the keyboard and keeps both views', async (t) => {
  const session = await openSetCookie(t);
  const { page } = session;
  await page.fill('#sc-lines', 'k=1');
  await page.locator(line('k')).waitFor();
  await page.focus('#tab-setcookie');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await page.locator('#tab-token').getAttribute('aria-selected'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'tab-token');
  assert.ok(await page.locator('#token').isVisible(), 'the token view is shown');
  assert.ok(!(await page.locator('#sc-lines').isVisible()), 'the Set-Cookie view is hidden');
  await page.keyboard.press('End');
  assert.equal(await page.locator('#tab-setcookie').getAttribute('aria-selected'), 'true');
  assert.equal(await page.locator('#sc-lines').inputValue(), 'k=1', 'the input survives switching');
  assert.equal(await page.locator(line('k')).count(), 1, 'so does the report');
  const stored = await page.evaluate(() => ({ local: localStorage.length, session: sessionStorage.length, cookie: document.cookie, href: location.href }));
  assert.deepEqual(stored, { local: 0, session: 0, cookie: '', href: harness.url().endsWith('/') ? harness.url() : `${harness.url()}/` });
  assertClean(session);
});
