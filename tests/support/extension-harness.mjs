// The DevTools extension under test: a copy of extension/ loaded unpacked into Debian's Chromium
// (playwright-core), with the multi-host cookie servers of the differential harness behind it.
//
// The copy differs from extension/ in one way: the permissions the extension asks for at run time
// (site access, and "debugger" for Chromium's verdicts) are granted at install, because a test
// cannot click the browser's own permission prompt. Everything else — the recorder, the panel, the
// core — is the shipped code.
//
// DevTools itself is opened for every tab (--auto-open-devtools-for-tabs); with
// PW_CHROMIUM_ATTACH_TO_OTHER=1 its window is one of the context's pages, so the panel can be
// selected and read like any page (selectPanel: the one place that uses DevTools' internals).
import { chromium } from 'playwright-core';
import { access, cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, WWW, CHROMIUM_ARGS } from './page-harness.mjs';
import { startServers } from '../differential/server.mjs';

export const EXTENSION = join(ROOT, 'extension');
export const HOST_RULES = '--host-resolver-rules=MAP *.test 127.0.0.1, MAP *.vercel.app 127.0.0.1, MAP *.github.io 127.0.0.1';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` until it returns a truthy value (returned) or `ms` pass (throws with `what`). */
export async function until(fn, { ms = 15_000, every = 100, what = 'condition' } = {}) {
  const end = Date.now() + ms;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (error) {
      last = error;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what} (last: ${last?.message ?? JSON.stringify(last)})`);
    await sleep(every);
  }
}

/**
 * A copy of extension/ whose run-time permissions are granted at install (see above), with the
 * core and the shared renderer taken fresh from www/ as build.sh copies them.
 */
async function grantedCopy() {
  await access(join(WWW, 'pkg', 'cookie_inspector_bg.wasm')).catch(() => {
    throw new Error('www/pkg is missing: run ./build.sh build first');
  });
  const dir = await mkdtemp(join(tmpdir(), 'cookie-inspector-ext-'));
  await cp(EXTENSION, dir, { recursive: true });
  await mkdir(join(dir, 'pkg'), { recursive: true });
  await mkdir(join(dir, 'ui'), { recursive: true });
  for (const f of ['cookie_inspector.js', 'cookie_inspector_bg.wasm']) await cp(join(WWW, 'pkg', f), join(dir, 'pkg', f));
  for (const f of await readdir(join(WWW, 'ui'))) if (/\.(js|css)$/.test(f)) await cp(join(WWW, 'ui', f), join(dir, 'ui', f));
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
  manifest.host_permissions = [...(manifest.host_permissions ?? []), ...(manifest.optional_host_permissions ?? [])];
  manifest.permissions = [...(manifest.permissions ?? []), ...(manifest.optional_permissions ?? [])];
  delete manifest.optional_host_permissions;
  delete manifest.optional_permissions;
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return dir;
}

/**
 * Starts the servers and Chromium with the extension; returns the harness. Call `close()` at the end.
 */
export async function launchExtension({ headless = true } = {}) {
  const servers = await startServers();
  const dir = await grantedCopy();
  const profile = await mkdtemp(join(tmpdir(), 'cookie-inspector-profile-'));
  process.env.PW_CHROMIUM_ATTACH_TO_OTHER = '1';
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless,
    viewport: null,
    args: [...CHROMIUM_ARGS, HOST_RULES, '--ignore-certificate-errors', '--window-size=1400,1000',
      `--disable-extensions-except=${dir}`, `--load-extension=${dir}`, '--auto-open-devtools-for-tabs'],
  });
  const worker = context.serviceWorkers()[0] ?? await context.waitForEvent('serviceworker', { timeout: 15_000 });
  const id = new URL(worker.url()).host;

  const harness = {
    context, servers, worker, id,
    url: (path) => `chrome-extension://${id}/${path}`,

    /** The recorder's log of a tab: { meta, entries }. */
    async log(tabId) {
      return worker.evaluate(async (tab) => {
        const all = await chrome.storage.session.get(null);
        const meta = all[`m:${tab}`] ?? null;
        const entries = [];
        if (meta) for (let n = meta.first; n < meta.next; n += 1) if (all[`e:${tab}:${n}`]) entries.push(all[`e:${tab}:${n}`]);
        return { meta, entries };
      }, tabId);
    },

    /** The id of the tab showing `url` (as the extension sees it). */
    async tabIdOf(url) {
      return until(() => worker.evaluate(async (u) => (await chrome.tabs.query({})).find((t) => t.url === u)?.id ?? null, url),
        { what: `the tab of ${url}` });
    },

    /**
     * A new tab with DevTools open on it and the recorder recording it; `start` is a neutral page
     * of the servers (recorded too). Returns { page, tabId, devtools }.
     */
    async openTab(start) {
      const known = new Set(context.pages());
      const page = await context.newPage();
      await page.goto(start);
      const tabId = await harness.tabIdOf(start);
      await until(async () => (await harness.log(tabId)).meta?.inspected, { what: 'the recorder to follow the new tab' });
      const devtools = await until(() => context.pages().find((p) => !known.has(p) && p.url().startsWith('devtools://')),
        { what: 'the DevTools window of the new tab' });
      return { page, tabId, devtools };
    },

    /**
     * Selects the extension's panel in a DevTools window (undocked by default: a window of its
     * own, as wide as the browser's, for readable screenshots); returns the panel's frame.
     */
    async selectPanel(devtools, { dock = 'undocked' } = {}) {
      await until(() => devtools.evaluate(async (side) => {
        const UI = await import('./ui/legacy/legacy.js');
        if (side) UI.DockController.DockController.instance().setDockSide(side);
        const iv = UI.InspectorView.InspectorView.instance();
        const id = iv.tabbedPane.tabIds().find((t) => t.startsWith('chrome-extension://'));
        if (!id) return false;
        await iv.showPanel(id);
        return true;
      }, dock), { what: 'the extension panel in DevTools' });
      const frame = await until(() => devtools.frames().find((f) => f.url().startsWith(`chrome-extension://${id}/panel.html`)),
        { what: 'the panel frame' });
      await frame.waitForSelector('html[data-ready="true"]', { timeout: 15_000 });
      return frame;
    },

    async close() {
      await context.close().catch(() => {});
      await servers.close().catch(() => {});
      await rm(dir, { recursive: true, force: true }).catch(() => {});
      await rm(profile, { recursive: true, force: true }).catch(() => {});
    },
  };

  // Warm-up: for a moment after the worker starts, its webRequest listeners are not live yet.
  const first = context.pages().find((p) => !p.url().startsWith('devtools://')) ?? await context.newPage();
  servers.setScript({ 'https://app.test:18443/warm-up': { setCookie: ['warm=1; Path=/; Secure'] } });
  const warmUrl = 'https://app.test:18443/warm-up';
  await first.goto(warmUrl);
  const warmTab = await harness.tabIdOf(warmUrl);
  await until(async () => {
    await first.goto(warmUrl);
    const { entries } = await harness.log(warmTab);
    return entries.some((e) => e.response.headers.some((x) => /^set-cookie$/i.test(x.name)));
  }, { ms: 20_000, every: 300, what: 'the recorder to see a Set-Cookie' });
  await context.clearCookies();
  return harness;
}
