// Debian's Firefox ESR driven over WebDriver BiDi (its built-in remote protocol), for the tests
// that need real Firefox: the differential recorder (tests/differential/record-firefox-verdicts.mjs)
// and the extension's Firefox test (tests/e2e/firefox-extension.test.mjs). Headless, in a fresh
// profile; host names resolve to 127.0.0.1 through network.dns.localDomains. Node 20's WebSocket
// client is behind a flag: run with --experimental-websocket (./build.sh does).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const FIREFOX = process.env.FIREFOX_PATH ?? 'firefox-esr';

// Quiet, local, and http stays http (HTTPS-First off): what the tests play is what they asked.
const BASE_PREFS = {
  'network.proxy.type': 0,
  'network.trr.mode': 5,
  'dom.security.https_first': false,
  'dom.security.https_first_pbm': false,
  'dom.security.https_first_schemeless': false,
  'browser.shell.checkDefaultBrowser': false,
  'browser.startup.homepage_override.mstone': 'ignore',
  'datareporting.policy.dataSubmissionEnabled': false,
  'toolkit.telemetry.reportingpolicy.firstRun': false,
  'app.update.disabledForTesting': true,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
};

/** A minimal WebDriver BiDi client: commands by id; events to `on(method, fn)` listeners. */
export class Bidi {
  constructor(ws) {
    this.ws = ws;
    this.next = 1;
    this.pending = new Map();
    this.listeners = new Map();
    ws.addEventListener('message', (ev) => {
      const msg = JSON.parse(String(ev.data));
      if (msg.id !== undefined && this.pending.has(msg.id)) {
        const { resolve, reject, method } = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        if (msg.type === 'error') reject(new Error(`${method}: ${msg.error}: ${msg.message}`));
        else resolve(msg.result);
      } else if (msg.type === 'event') {
        for (const fn of this.listeners.get(msg.method) ?? []) fn(msg.params);
      }
    });
  }

  static async connect(url, ms) {
    if (typeof WebSocket !== 'function') throw new Error('no WebSocket client: run node with --experimental-websocket');
    const deadline = Date.now() + ms;
    for (;;) {
      try {
        const ws = new WebSocket(url);
        await new Promise((resolve, reject) => {
          ws.addEventListener('open', resolve, { once: true });
          ws.addEventListener('error', () => reject(new Error(`cannot connect to ${url}`)), { once: true });
        });
        return new Bidi(ws);
      } catch (e) {
        if (Date.now() > deadline) throw e;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }

  on(method, fn) {
    this.listeners.set(method, [...(this.listeners.get(method) ?? []), fn]);
  }

  send(method, params = {}, ms = 15_000) {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { this.pending.delete(id); reject(new Error(`${method}: no answer in ${ms} ms`)); }, ms);
      this.pending.set(id, {
        method,
        resolve: (v) => { clearTimeout(timer); resolve(v); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      });
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  close() { this.ws.close(); }
}

/**
 * Starts Firefox with `hosts` mapped to 127.0.0.1 and `prefs` on top of the quiet defaults, and
 * opens a BiDi session. Returns { bidi, version, close() }.
 */
export async function launchFirefox({ port, hosts = [], prefs = {}, acceptInsecureCerts = false }) {
  const profile = mkdtempSync(join(tmpdir(), 'cookie-inspector-firefox-'));
  const all = { ...BASE_PREFS, 'network.dns.localDomains': hosts.join(','), ...prefs };
  writeFileSync(join(profile, 'user.js'), Object.entries(all).map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});`).join('\n') + '\n');
  const firefox = spawn(FIREFOX, ['--headless', '--no-remote', '--profile', profile, '--remote-debugging-port', String(port), 'about:blank'], {
    stdio: ['ignore', 'ignore', 'pipe'], detached: true,
  });
  let stderr = '';
  firefox.stderr.on('data', (d) => { stderr += d; });
  const close = async (bidi) => {
    try { await bidi?.send('session.end', {}, 2000); } catch { /* closing anyway */ }
    bidi?.close();
    try { process.kill(-firefox.pid, 'SIGTERM'); } catch { /* already gone */ }
    await new Promise((r) => setTimeout(r, 500));
    rmSync(profile, { recursive: true, force: true });
  };
  let bidi;
  try {
    bidi = await Bidi.connect(`ws://127.0.0.1:${port}/session`, 30_000).catch((e) => { throw new Error(`${e.message}\n${stderr}`); });
    const session = await bidi.send('session.new', { capabilities: { alwaysMatch: { acceptInsecureCerts } } });
    return { bidi, version: `${session.capabilities.browserName} ${session.capabilities.browserVersion}`, close: () => close(bidi) };
  } catch (e) {
    await close(bidi);
    throw e;
  }
}
