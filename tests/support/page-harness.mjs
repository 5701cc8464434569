// The page under test, for every end-to-end test file: serves www/, launches Debian's Chromium
// once per file, opens the page in a fresh context per test while recording every request, console
// error and page error, and checks afterwards that nothing left the page's origin.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { access } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { chromium } from 'playwright-core';
import { serveStatic } from './static-server.mjs';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const WWW = join(ROOT, 'www');
export const OUTPUT = join(ROOT, 'tests', 'output');
export const TIMEOUT = 10_000;

/** Flags for Chromium as root on a machine whose only network is loopback. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * Registers the file's before/after hooks and returns the harness:
 * `open(t, { viewport, colorScheme, tab })` → `{ page, requests, problems }` with the page ready
 * (and the tab `#tab-<tab>` selected), `assertClean(session)`, and `url()`.
 */
export function pageHarness() {
  let server;
  let browser;
  before(async () => {
    await access(join(WWW, 'pkg', 'cookie_inspector.js')).catch(() => {
      throw new Error('www/pkg is missing: run ./build.sh build first');
    });
    server = await serveStatic(WWW);
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(t, { viewport = { width: 1200, height: 900 }, colorScheme = 'light', tab } = {}) {
    const context = await browser.newContext({ viewport, colorScheme });
    t.after(() => context.close());
    const page = await context.newPage();
    page.setDefaultTimeout(TIMEOUT);
    const requests = [];
    const problems = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console.error: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await page.goto(server.url);
    await page.waitForSelector('html[data-ready="true"]');
    if (tab) await page.click(`#tab-${tab}`);
    return { page, requests, problems };
  }

  function assertClean({ requests, problems }) {
    const origin = new URL(server.url).origin;
    const foreign = requests.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith('data:') && !u.startsWith('blob:'));
    assert.deepEqual(foreign, [], `requests left the page's origin:\n${foreign.join('\n')}\n(all requests:\n${requests.join('\n')})`);
    assert.deepEqual(problems, [], `console or page errors:\n${problems.join('\n')}`);
  }

  return { open, assertClean, url: () => server.url };
}
