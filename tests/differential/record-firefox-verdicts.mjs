// Plays every scenario of scenarios.mjs in real Firefox and records, for every request, the
// Cookie header the server received, and at the end the cookie jar. Firefox tells no reasons
// (no DevTools protocol with cookie verdicts), so its verdicts are what it did: the cookies it
// sent on each request, and the cookies it kept.
//
//   node tests/differential/record-firefox-verdicts.mjs [--out FILE] [--only SUBSTRING]
//
// writes tests/fixtures/firefox-cookie-verdicts.json by default. Needs firefox-esr (the Debian
// package) and the ports 18080, 18443 and 18444 free. Not part of ./build.sh test: the tests
// read the committed file (tests/differential.rs replays it with the Firefox rules).
//
// How: Firefox runs headless in a fresh profile with its WebDriver BiDi server on
// (--remote-debugging-port), driven over a WebSocket. Each scenario gets a fresh user context
// (a container: its own cookie jar) and a tab in it; `goto` is browsingContext.navigate (a
// browser-initiated navigation, as Playwright's page.goto in the Chromium recorder), `click` a
// script click on the element once its page has loaded. Host names resolve to 127.0.0.1 through
// network.dns.localDomains. Firefox's cookie settings are its defaults (Total Cookie Protection
// included); HTTPS-First is off, so the http requests of a scenario stay http.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServers, HTTP_PORT, HTTPS_PORT } from './server.mjs';
import { allScenarios, harOnlyFlows, playEach } from './scenarios.mjs';
import { launchFirefox } from '../support/firefox.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const FIREFOX_FIXTURE = join(here, '..', 'fixtures', 'firefox-cookie-verdicts.json');
const BIDI_PORT = 18444;

const keyOf = (url) => { const u = new URL(url); return u.origin + u.pathname; };

function hostsOf(scenarios) {
  const hosts = new Set();
  for (const sc of scenarios) {
    for (const u of Object.keys(sc.script)) hosts.add(new URL(u).hostname);
    for (const a of sc.actions) for (const u of [a.goto, a.at, a.waitFor]) if (u) hosts.add(new URL(u).hostname);
  }
  return [...hosts].sort();
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function until(pred, ms, what) {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await pred()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what()}`);
    await sleep(50);
  }
}

async function runScenario(bidi, server, sc) {
  server.setScript(Object.fromEntries(Object.entries(sc.script).map(([u, spec]) => [keyOf(u), spec])));
  const { userContext } = await bidi.send('browser.createUserContext');
  try {
    const { context } = await bidi.send('browsingContext.create', { type: 'tab', userContext });
    const seen = () => new Set(server.requests.map((r) => `${r.scheme}://${r.host}:${r.scheme === 'https' ? HTTPS_PORT : HTTP_PORT}${r.path}`));
    const evaluate = async (expression) => {
      const r = await bidi.send('script.evaluate', { expression, target: { context }, awaitPromise: false, userActivation: true });
      return r.type === 'success' ? r.result?.value : undefined;
    };
    const T = 10_000;
    for (const a of sc.actions) {
      if (a.goto) {
        await bidi.send('browsingContext.navigate', { context, url: a.goto, wait: 'none' });
        await until(() => seen().has(keyOf(a.goto)), T, () => a.goto);
      } else if (a.waitFor) {
        await until(() => seen().has(keyOf(a.waitFor)), T, () => a.waitFor);
      } else if (a.settle) {
        // As in Chromium's recorder: let the page run on, then leave it.
        await sleep(a.settle);
        await bidi.send('browsingContext.navigate', { context, url: 'about:blank', wait: 'complete' });
      } else if (a.click) {
        const sel = JSON.stringify(a.click);
        const at = JSON.stringify(keyOf(a.at));
        await until(async () => (await evaluate(`location.origin + location.pathname === ${at} && document.readyState !== 'loading' && !!document.querySelector(${sel})`)) === true,
          T, () => `${a.click} on ${a.at}`);
        await evaluate(`document.querySelector(${sel}).click()`);
      } else throw new Error(`unknown action ${JSON.stringify(a)}`);
    }
    const expected = Object.keys(sc.script).map(keyOf);
    await until(() => expected.every((k) => seen().has(k)), T,
      () => `requests ${expected.filter((k) => !seen().has(k)).join(', ')}`);
    // Let the last responses be read (their Set-Cookie stored) before the jar is.
    await sleep(300);
    const { cookies } = await bidi.send('storage.getCookies', { partition: { type: 'storageKey', userContext } });
    // Firefox asks for /favicon.ico on a page without an icon link (nginx's error page): the
    // browser's own request, not the flow's.
    const requests = server.requests.filter((r) => r.path !== '/favicon.ico').map((r) => ({
      url: `${r.scheme}://${r.host}:${r.scheme === 'https' ? HTTPS_PORT : HTTP_PORT}${r.path}`,
      method: r.method,
      cookieHeader: r.cookie ?? null,
    }));
    const jar = cookies.map((c) => ({
      name: c.name, domain: c.domain, path: c.path, secure: c.secure, httpOnly: c.httpOnly,
      sameSite: c.sameSite, ...(c.expiry !== undefined ? { session: false } : { session: true }),
    })).sort((x, y) => (x.name + x.domain + x.path).localeCompare(y.name + y.domain + y.path));
    await bidi.send('browsingContext.close', { context }).catch(() => {});
    return { id: sc.id, description: sc.description, requests, jar };
  } finally {
    await bidi.send('browser.removeUserContext', { userContext }).catch(() => {});
  }
}

// The differential scenarios, then the flows only the HAR fixtures have (tests/fixtures/hars/):
// their Firefox verdicts check the HAR replay under Firefox's rules (tests/har_fixtures.rs).
const scenariosToPlay = () => [...allScenarios(), ...harOnlyFlows()];

export async function record({ only = null, log = () => {} } = {}) {
  const scenarios = scenariosToPlay().filter((s) => !only || s.id.includes(only));
  const server = await startServers();
  let firefox;
  try {
    firefox = await launchFirefox({
      port: BIDI_PORT,
      hosts: hostsOf(scenariosToPlay()),
      prefs: JSON.parse(process.env.FIREFOX_PREFS ?? '{}'),
      acceptInsecureCerts: true,
    });
    const { bidi, version } = firefox;
    const out = await playEach(scenarios, (sc) => runScenario(bidi, server, sc), log, (r) => `${r.requests.length} requests`);
    return {
      firefox: version,
      recordedAt: new Date().toISOString(),
      ports: { http: HTTP_PORT, https: HTTPS_PORT },
      notes: [
        'Recorded in headless Firefox over WebDriver BiDi by tests/differential/record-firefox-verdicts.mjs, default cookie settings (Total Cookie Protection).',
        'requests: every request the server received, in order, with the Cookie header it carried. jar: storage.getCookies of the scenario\'s user context at the end.',
        'Each scenario runs in a fresh user context (its own cookie jar).',
      ],
      scenarios: out,
    };
  } finally {
    await firefox?.close();
    await server.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : null; };
  const outFile = opt('--out') ?? FIREFOX_FIXTURE;
  const t0 = Date.now();
  const result = await record({ only: opt('--only'), log: (l) => console.error(l) });
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, `${JSON.stringify(result, null, 2)}\n`);
  const n = result.scenarios.reduce((k, s) => k + s.requests.length, 0);
  console.error(`wrote ${outFile}: ${result.scenarios.length} scenarios, ${n} requests, ${result.firefox}, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
