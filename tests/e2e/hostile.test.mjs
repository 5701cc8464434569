// Hostile content on the paste page (www/), in Debian's Chromium: every payload of
// tests/fixtures/hostile.json, and a 100 KB name, placed in token claims and headers, Set-Cookie
// names, values and attributes, and a HAR's URLs, headers and redirects. Nothing may run (no
// window.__pwned, no request for /pwned or x), the text must be shown as text, and the layout
// must hold: no element made from the input, no page wider than the window.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { OUTPUT, pageHarness } from '../support/page-harness.mjs';

const { open, assertClean } = pageHarness();
const corpus = JSON.parse(await readFile(new URL('../fixtures/hostile.json', import.meta.url), 'utf8'));
const LONG = 'N'.repeat(corpus.long);
const PAYLOADS = [...corpus.payloads, LONG];
const b64url = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Asserts nothing ran, nothing was made from the input, and the page is not wider than its window. */
async function assertInert(page, requests, where) {
  assert.equal(await page.evaluate(() => window.__pwned), undefined, `${where}: a payload ran`);
  const made = await page.locator('main img, main svg, main iframe, main script, main style, main math, main a[href^="javascript"]').count();
  assert.equal(made, 0, `${where}: an element was made from the input`);
  assert.ok(!requests.some((u) => /\/(pwned\.png|x)$/.test(new URL(u).pathname)), `${where}: an image was requested`);
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  assert.ok(scroll <= width + 1, `${where}: the page is ${scroll}px wide in a ${width}px window`);
}

test('hostile claims and headers in the token view: shown as text, nothing runs, the layout holds', { timeout: 120_000 }, async (t) => {
  const session = await open(t, { viewport: { width: 1100, height: 900 } });
  const { page, requests } = session;
  for (const [i, p] of PAYLOADS.entries()) {
    // (The 100 KB text once, so the token stays under the 256 KB input limit.)
    const claims = p === LONG ? { sub: p, iat: 1795420000, exp: 1795423600 } : { sub: p, name: p, iss: p, iat: 1795420000, exp: 1795423600 };
    const token = `${b64url({ alg: 'HS256', typ: 'JWT', kid: p === LONG ? 'k' : p })}.${b64url(claims)}.c2ln`;
    // Empty first, so the report waited for is this token's, not the last one's.
    await page.fill('#token', '');
    await page.locator('#report .empty-state').waitFor();
    await page.fill('#token', `Cookie: theme=dark; session=${token}`);
    await page.locator('[data-testid="claims"]').waitFor();
    const shown = await page.locator('#report').innerText();
    // Shown literally, in the decoded JSON (escaped as JSON escapes it) at least.
    if (!/[\u0000-\u001f\u202e]/.test(p)) {
      const needle = p.slice(0, 24);
      assert.ok(shown.includes(needle) || shown.includes(JSON.stringify(needle).slice(1, -1)), `payload ${i} is shown as text`);
    }
    await assertInert(page, requests, `token payload ${i}`);
  }
  await mkdir(OUTPUT, { recursive: true });
  await page.screenshot({ path: join(OUTPUT, 'hostile-token.png') });
  assertClean(session);
});

test('hostile Set-Cookie lines: shown as text, nothing runs, the layout holds', { timeout: 120_000 }, async (t) => {
  const session = await open(t, { viewport: { width: 1100, height: 900 }, tab: 'setcookie' });
  const { page, requests } = session;
  const lines = PAYLOADS.map((p, i) => `c${i}${p.replace(/[;=\n]/g, '')}=${p.replace(/[;\n]/g, '')}; Path=/${p.replace(/[;\n]/g, '')}; Domain=${p.replace(/[;\n]/g, '').slice(0, 40)}`);
  await page.fill('#sc-lines', lines.join('\n'));
  await page.locator('[data-testid="setcookie-summary"]').waitFor();
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="sc-line"]').length >= n, lines.length - 1).catch(() => {});
  assert.ok((await page.locator('#sc-report').innerText()).includes('<img src=x onerror'), 'the markup is shown as text');
  await assertInert(page, requests, 'Set-Cookie lines');
  await page.screenshot({ path: join(OUTPUT, 'hostile-setcookie.png') });
  assertClean(session);
});

test('a hostile HAR: URLs, headers and redirects carrying markup are shown as text, nothing runs, the layout holds', { timeout: 120_000 }, async (t) => {
  const session = await open(t, { viewport: { width: 1100, height: 900 }, tab: 'har' });
  const { page, requests } = session;
  const start = Date.UTC(2026, 10, 23, 10, 0, 0);
  const entries = PAYLOADS.map((p, i) => ({
    startedDateTime: new Date(start + i * 100).toISOString(),
    time: 10,
    request: {
      method: i % 2 ? 'GET' : p.slice(0, 30),
      url: `https://app.test/${p}`,
      headers: [
        { name: 'Cookie', value: `a${i}=${p}` },
        { name: 'Referer', value: p },
        { name: p.slice(0, 200), value: p },
        { name: 'Authorization', value: `Bearer ${b64url({ alg: 'HS256' })}.${b64url({ sub: p, exp: 1795423600 })}.c2ln` },
      ],
    },
    response: {
      status: i % 3 ? 200 : 302,
      headers: [{ name: 'Set-Cookie', value: `s${i}${p.replace(/[;=\n]/g, '')}=${p.replace(/[;\n]/g, '')}; Path=/; Secure` }],
      redirectURL: i % 3 ? '' : p,
      content: { mimeType: 'application/json', text: JSON.stringify({ access_token: `${b64url({ alg: 'none' })}.${b64url({ name: p })}.` }) },
    },
    _resourceType: i % 2 ? 'fetch' : 'document',
    _initiator: { type: 'script', url: p },
  }));
  const har = JSON.stringify({ log: { version: '1.2', creator: { name: corpus.payloads[0], version: corpus.payloads[1] }, entries } });
  await page.setInputFiles('#har-file', { name: `${corpus.payloads[0]}.har`, mimeType: 'application/json', buffer: Buffer.from(har) });
  await page.locator('[data-testid="har-row"]').first().waitFor();
  assert.equal(await page.locator('[data-testid="har-row"]').count(), PAYLOADS.length);
  // Open a row's details and the tokens: more untrusted text on screen.
  await page.locator('[data-testid="har-row"]').nth(3).click();
  for (const d of await page.locator('details').all()) await d.evaluate((el) => { el.open = true; });
  assert.ok((await page.locator('main').innerText()).includes('<svg onload'), 'the markup is shown as text');
  await assertInert(page, requests, 'HAR');
  // A bidi override cannot reorder what is shown: it is shown as its code point.
  const main = await page.locator('main').innerText();
  assert.ok(!main.includes('\u202e') && main.includes('⟨U+202E⟩'), 'the bidi override is made visible');
  // A long method does not spill over the URL beside it.
  const method = await page.locator('[data-testid="har-row"]').first().locator('.har-method').boundingBox();
  const url = await page.locator('[data-testid="har-row"]').first().locator('.har-url').boundingBox();
  assert.ok(method.x + method.width <= url.x + 1, `the method (${method.x}+${method.width}) overlaps the URL (${url.x})`);
  await page.screenshot({ path: join(OUTPUT, 'hostile-har.png') });
  assertClean(session);
});
