// Plays every scenario of scenarios.mjs in real Chromium and records, from the DevTools
// protocol, what Chromium decided for every request of the scenario (redirect hops and
// subresources included): which cookies it sent or withheld (and why), and which
// Set-Cookie lines it stored or refused (and why).
//
//   node tests/differential/record.mjs [--out FILE] [--only SUBSTRING]
//
// writes tests/fixtures/chromium-cookie-verdicts.json by default. One browser, one fresh
// context per scenario (the cookie jar starts empty), scenarios one after the other (the
// server's script is global).
//
// Per step: url, method, resourceType, initiator (origin, from the CDP initiator or else the
// Referer/Origin header; null for a browser-initiated navigation), topLevel,
// siteForCookies (DERIVED here from the frame tree: the top frame's schemeful site when every
// ancestor frame is same-site with it, else null), redirectedFrom, status, secFetchSite,
// setCookie (the raw lines), blockedSetCookies, cookies (associatedCookies in header order:
// empty reasons = sent), cookieHeader (what went on the wire, cross-checked against what the
// server received), issues (DevTools cookie issues for this request: Chromium's warnings,
// e.g. WarnSameSiteUnspecifiedLaxAllowUnsafe, its exclusion reasons and site-for-cookies).
import { chromium } from 'playwright-core';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServers, HTTP_PORT, HTTPS_PORT } from './server.mjs';
import { allScenarios, playEach } from './scenarios.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const FIXTURE = join(here, '..', 'fixtures', 'chromium-cookie-verdicts.json');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const LAUNCH_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--host-resolver-rules=MAP *.test 127.0.0.1, MAP *.vercel.app 127.0.0.1, MAP *.github.io 127.0.0.1',
  '--ignore-certificate-errors',
];

// For HAR recording: every frame in its page's process, so that the one DevTools target the
// recorder follows also sees the requests of a frame from another site (an embedded app) and
// their loadingFinished, which an out-of-process frame reports to a target of its own. Where a
// frame runs changes no cookie decision (those are the network service's).
export const HAR_LAUNCH_ARGS = [...LAUNCH_ARGS, '--disable-site-isolation-trials', '--disable-features=IsolateOrigins,site-per-process'];

// Public suffixes among the test hosts (enough for siteForCookies; not a PSL).
const SUFFIXES = ['vercel.app', 'github.io'];
export function schemefulSite(url) {
  let u;
  try { u = new URL(url); } catch { return null; }
  if (!/^https?:$/.test(u.protocol)) return null;
  const labels = u.hostname.split('.');
  let n = 2;
  for (const s of SUFFIXES) if (u.hostname === s || u.hostname.endsWith(`.${s}`)) n = s.split('.').length + 1;
  return `${u.protocol}//${labels.slice(-n).join('.')}`;
}
const originOf = (url) => {
  try { const o = new URL(url).origin; return o === 'null' ? null : o; } catch { return null; }
};
const keyOf = (url) => { const u = new URL(url); return u.origin + u.pathname; };
// Where the browser's cache answered a hop: 'disk', 'memory' or null (it went out). DevTools'
// HAR export writes it as `_fromCache`.
export const fromCache = (h) => (h.response?.fromDiskCache ? 'disk' : h.servedFromCache ? 'memory' : null);
const ignored = (url) => !/^https?:/.test(url) || new URL(url).pathname === '/favicon.ico';

function header(headers, name) {
  if (!headers) return undefined;
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name) return v;
  return undefined;
}

function shortValue(v) {
  return v.length > 40 ? `${v.slice(0, 16)}…(${v.length} chars)` : v;
}

// Collects the CDP events of one page and turns them into steps.
export class Recorder {
  // har: also keep what a HAR export needs (responses, timings, post data, response bodies).
  constructor(cdp, { har = false } = {}) {
    this.cdp = cdp;
    this.har = har;
    this.hops = [];              // in requestWillBeSent order
    this.byId = new Map();       // requestId → [hop, …] (redirect hops share the requestId)
    this.reqExtra = new Map();   // requestId → [requestWillBeSentExtraInfo, …] in order
    this.respExtra = new Map();  // requestId → [responseReceivedExtraInfo, …] in order
    this.frames = new Map();     // frameId → { parentId, url }
    this.mainFrameId = null;
    this.waiters = new Set();
    this.browserInitiated = new Set(); // URLs the recorder navigates to itself
    const on = (name, fn) => cdp.on(name, (p) => { fn(p); this.poke(); });
    on('Page.frameAttached', (p) => {
      const f = this.frames.get(p.frameId) ?? { url: null };
      f.parentId = p.parentFrameId; this.frames.set(p.frameId, f);
    });
    on('Page.frameNavigated', (p) => {
      const f = this.frames.get(p.frame.id) ?? {};
      f.parentId = p.frame.parentId ?? null; f.url = p.frame.url; this.frames.set(p.frame.id, f);
      if (!p.frame.parentId) this.mainFrameId = p.frame.id;
    });
    on('Network.requestWillBeSent', (p) => {
      if (ignored(p.request.url)) return;
      const list = this.byId.get(p.requestId) ?? [];
      const prev = list.at(-1);
      if (p.redirectResponse && prev) {
        prev.status = p.redirectResponse.status; prev.done = true;
        prev.response = p.redirectResponse; prev.responseTime = p.timestamp; prev.endTime = p.timestamp;
      }
      const topLevel = p.type === 'Document' && p.frameId === this.mainFrameId;
      // Navigations report initiator "other" without a URL. A redirect hop keeps the first
      // hop's initiator; a navigation the recorder started (page.goto) has none; any other
      // is started by the document then in the frame (a click, a form submission).
      let initiator = originOf(p.initiator?.url ?? p.initiator?.stack?.callFrames?.[0]?.url ?? '');
      if (!initiator && p.redirectResponse && prev) initiator = prev.initiator;
      else if (!initiator && p.type === 'Document' && !this.browserInitiated.has(p.request.url)) {
        initiator = originOf(this.frames.get(p.frameId)?.url ?? '');
      }
      const hop = { p, index: list.length, prev, topLevel, initiator: initiator ?? null, ancestors: topLevel ? [] : this.ancestorsOf(p), status: null, done: false, error: null, hasRespExtra: null,
        // For HAR export (not part of the steps):
        response: null, responseTime: null, endTime: null, encodedDataLength: null, body: null };
      if (p.redirectResponse && prev) prev.hasRespExtra = p.redirectHasExtraInfo;
      list.push(hop); this.byId.set(p.requestId, list); this.hops.push(hop);
    });
    // DevTools issues: Chromium's own cookie warnings (e.g. WarnSameSiteUnspecifiedLaxAllowUnsafe)
    // and exclusion reasons, with the site-for-cookies it used.
    this.issues = [];
    on('Audits.issueAdded', (p) => {
      const d = p.issue?.details?.cookieIssueDetails;
      if (d?.request?.requestId) this.issues.push(d);
    });
    // Answered from the memory cache: no request went out (DevTools: "(memory cache)").
    on('Network.requestServedFromCache', (p) => {
      const hop = this.byId.get(p.requestId)?.at(-1);
      if (hop) hop.servedFromCache = true;
    });
    on('Network.requestWillBeSentExtraInfo', (p) => this.push(this.reqExtra, p));
    on('Network.responseReceivedExtraInfo', (p) => this.push(this.respExtra, p));
    on('Network.responseReceived', (p) => {
      const hop = this.byId.get(p.requestId)?.at(-1);
      // Answered is enough (an out-of-process iframe's loadingFinished goes to its own target).
      if (hop) {
        hop.status = p.response.status; hop.hasRespExtra = p.hasExtraInfo; hop.done = true;
        hop.response = p.response; hop.responseTime = p.timestamp;
      }
    });
    on('Network.loadingFinished', (p) => {
      const hop = this.byId.get(p.requestId)?.at(-1);
      if (!hop) return;
      hop.done = true; hop.endTime = p.timestamp; hop.encodedDataLength = p.encodedDataLength;
      // Read the body now: DevTools keeps it too, and it may be evicted after a navigation.
      if (this.har) {
        hop.body = this.cdp.send('Network.getResponseBody', { requestId: p.requestId })
          .then((b) => { hop.bodyRead = b; }, () => { hop.bodyRead = null; });
      }
    });
    on('Network.loadingFailed', (p) => {
      const hop = this.byId.get(p.requestId)?.at(-1);
      if (hop) { hop.done = true; hop.endTime = p.timestamp; hop.error = p.errorText + (p.blockedReason ? ` (${p.blockedReason})` : ''); }
    });
  }

  push(map, p) { const l = map.get(p.requestId) ?? []; l.push(p); map.set(p.requestId, l); }

  // A hop's ExtraInfo events (the headers really sent and received, Chromium's cookie verdicts):
  // the hops of a redirect chain share a requestId, and a hop the cache answered has none, so
  // the n-th events belong to the n-th hop that went out.
  extraOf(h) {
    if (fromCache(h)) return { rqx: null, rsx: null };
    const n = (this.byId.get(h.p.requestId) ?? []).slice(0, h.index).filter((x) => !fromCache(x)).length;
    return {
      rqx: this.reqExtra.get(h.p.requestId)?.[n] ?? null,
      rsx: h.hasRespExtra === false ? null : this.respExtra.get(h.p.requestId)?.[n] ?? null,
    };
  }

  // Frames whose site decides site-for-cookies: for a frame's own navigation its ancestors,
  // for a subresource the frame itself and its ancestors.
  ancestorsOf(p) {
    const chain = [];
    let id = p.type === 'Document' ? this.frames.get(p.frameId)?.parentId : p.frameId;
    while (id) {
      const f = this.frames.get(id);
      if (!f) break;
      chain.push(f.url);
      id = f.parentId;
    }
    return chain; // nearest first; the last one is the top frame
  }

  poke() { for (const w of [...this.waiters]) w(); }

  waitUntil(pred, ms, what) {
    return new Promise((resolve, reject) => {
      const check = () => {
        let ok = false;
        try { ok = pred(); } catch (e) { cleanup(); reject(e); return; }
        if (ok) { cleanup(); resolve(); }
      };
      const timer = setTimeout(() => { cleanup(); reject(new Error(`timed out after ${ms} ms waiting for ${what()}`)); }, ms);
      const cleanup = () => { clearTimeout(timer); this.waiters.delete(check); };
      this.waiters.add(check);
      check();
    });
  }

  finished(key) {
    return this.hops.some((h) => keyOf(h.p.request.url) === key && h.done);
  }

  extraComplete() {
    for (const [id, hops] of this.byId) {
      const rq = this.reqExtra.get(id)?.length ?? 0;
      const rs = this.respExtra.get(id)?.length ?? 0;
      const needReq = hops.filter((h) => !fromCache(h) && (!h.error || h.index < hops.length - 1)).length;
      const needResp = hops.filter((h) => h.hasRespExtra).length;
      if (rq < needReq || rs < needResp) return false;
    }
    return true;
  }

  steps() {
    return this.hops.map((h) => {
      const p = h.p;
      const { rqx, rsx } = this.extraOf(h);
      const topLevel = h.topLevel;
      let siteForCookies = null;
      if (topLevel) siteForCookies = schemefulSite(p.request.url);
      else if (h.ancestors.length) {
        const top = schemefulSite(h.ancestors.at(-1));
        siteForCookies = h.ancestors.every((u) => schemefulSite(u) === top) ? top : null;
      }
      const reqHeaders = rqx?.headers ?? p.request.headers;
      const initiator = h.initiator;
      const setCookieRaw = header(rsx?.headers, 'set-cookie');
      const step = {
        url: p.request.url,
        method: p.request.method,
        resourceType: p.type,
        initiator: initiator ?? null,
        topLevel,
        siteForCookies: siteForCookies ?? null,
        redirectedFrom: h.prev ? h.prev.p.request.url : null,
        status: rsx?.statusCode ?? h.status ?? null,
        secFetchSite: header(reqHeaders, 'sec-fetch-site') ?? null,
        setCookie: setCookieRaw ? setCookieRaw.split('\n') : [],
        blockedSetCookies: (rsx?.blockedCookies ?? []).map((b) => ({ line: b.cookieLine, reasons: [...b.blockedReasons] })),
        cookies: (rqx?.associatedCookies ?? []).map((c) => {
          const o = { name: c.cookie.name, value: shortValue(c.cookie.value), reasons: [...c.blockedReasons] };
          if (c.exemptionReason && c.exemptionReason !== 'None') o.exemptionReason = c.exemptionReason;
          return o;
        }),
        cookieHeader: header(reqHeaders, 'cookie') ?? null,
      };
      if (fromCache(h)) step.fromCache = fromCache(h);
      if (rsx?.exemptedCookies?.length) step.exemptedSetCookies = rsx.exemptedCookies.map((e) => ({ line: e.cookieLine, exemptionReason: e.exemptionReason }));
      const issues = [...new Set(this.issues
        .filter((d) => d.request.requestId === p.requestId && (d.cookieUrl ?? p.request.url) === p.request.url)
        .map((d) => JSON.stringify({
          cookie: d.cookie?.name ?? null, line: d.rawCookieLine ?? null, operation: d.operation,
          warnings: d.cookieWarningReasons ?? [], exclusions: d.cookieExclusionReasons ?? [],
          siteForCookies: d.siteForCookies ?? null,
        })))].sort().map((j) => JSON.parse(j));
      if (issues.length) step.issues = issues;
      if (rqx?.siteHasCookieInOtherPartition) step.siteHasCookieInOtherPartition = true;
      if (rsx?.cookiePartitionKey) {
        step.partitionKey = { topLevelSite: rsx.cookiePartitionKey.topLevelSite, hasCrossSiteAncestor: rsx.cookiePartitionKey.hasCrossSiteAncestor };
      }
      if (h.error) step.error = h.error;
      if (!rqx) step.missing = 'requestWillBeSentExtraInfo';
      return step;
    });
  }
}

// Plays one scenario in a fresh context. With { har: true } the result also carries
// `capture` (the recorder's hops and ExtraInfo events, response bodies read) for record-hars.mjs.
export async function runScenario(browser, server, sc, { har = false } = {}) {
  server.setScript(Object.fromEntries(Object.entries(sc.script).map(([u, spec]) => [keyOf(u), spec])));
  // A browser context blocks third-party cookies, as an Incognito window does. A scenario that
  // needs them allowed runs in a profile of its own, whose cookie controls allow them (the
  // setting "Allow third-party cookies"; the DevTools protocol's Network.setCookieControls does
  // not lift the block here).
  let profile = null;
  let context;
  if (sc.thirdPartyCookies === 'allowed') {
    profile = mkdtempSync(join(tmpdir(), 'cookie-diff-profile-'));
    mkdirSync(join(profile, 'Default'));
    writeFileSync(join(profile, 'Default', 'Preferences'), JSON.stringify({ profile: { cookie_controls_mode: 0, block_third_party_cookies: false } }));
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: har ? HAR_LAUNCH_ARGS : LAUNCH_ARGS, ignoreHTTPSErrors: true });
  } else {
    context = await browser.newContext({ ignoreHTTPSErrors: true });
  }
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    const rec = new Recorder(cdp, { har });
    await cdp.send('Page.enable');
    await cdp.send('Audits.enable');
    await cdp.send('Network.enable');
    const tree = await cdp.send('Page.getFrameTree');
    rec.mainFrameId = tree.frameTree.frame.id;
    rec.frames.set(rec.mainFrameId, { parentId: null, url: tree.frameTree.frame.url });
    const expected = Object.keys(sc.script).map(keyOf);
    const T = 8000;
    for (const a of sc.actions) {
      if (a.goto) {
        // For a HAR, let the documents already answered finish loading first: a cross-site
        // navigation swaps the renderer, and a document still loading then never reports
        // loadingFinished (nor loadingFailed), so its entry would have no timings or body.
        if (har) {
          await rec.waitUntil(() => rec.hops.every((h) => !h.topLevel || !h.done || h.endTime !== null), T,
            () => `loadingFinished before ${a.goto}`);
          // And their bodies read: navigating away evicts them (a fetch's JSON body holds tokens).
          await Promise.all(rec.hops.map((h) => h.body));
        }
        rec.browserInitiated.add(a.goto);
        await page.goto(a.goto, { waitUntil: 'commit', timeout: T });
      }
      else if (a.waitFor) {
        await rec.waitUntil(() => rec.finished(keyOf(a.waitFor)), T, () => a.waitFor);
        // For a HAR, also its body: the next navigation would cancel or evict it.
        if (har) await rec.waitUntil(() => rec.hops.some((h) => keyOf(h.p.request.url) === keyOf(a.waitFor) && h.endTime !== null), T, () => `${a.waitFor} loadingFinished`);
      }
      // `settle`: let the page run on this long (a redirect loop, until the browser gives up),
      // then leave it, so that nothing it does later (Chromium reloads an error page after a
      // second) joins the recording.
      else if (a.settle) {
        await new Promise((r) => setTimeout(r, a.settle));
        await page.goto('about:blank', { timeout: T });
      }
      else if (a.click) {
        await page.waitForURL(a.at, { waitUntil: 'commit', timeout: T });
        await page.click(a.click, { timeout: T });
      } else throw new Error(`unknown action ${JSON.stringify(a)}`);
    }
    await rec.waitUntil(() => expected.every((k) => rec.finished(k)), T,
      () => `requests ${expected.filter((k) => !rec.finished(k)).join(', ')}`);
    await rec.waitUntil(() => rec.extraComplete(), 10_000, () => 'ExtraInfo events');
    const steps = rec.steps();
    // Cross-check: the Cookie header Chromium reports is what the server received.
    const seen = [...server.requests];
    for (const st of steps) {
      if (st.fromCache) continue; // the browser's cache answered: no request reached the server
      const u = new URL(st.url);
      const i = seen.findIndex((r) => r.host === u.hostname && r.path === u.pathname && r.method === st.method && `${r.scheme}:` === u.protocol);
      if (i < 0) { if (!st.error) throw new Error(`${sc.id}: the server never saw ${st.method} ${st.url}`); continue; }
      const [r] = seen.splice(i, 1);
      if ((r.cookie ?? null) !== st.cookieHeader) {
        throw new Error(`${sc.id}: ${st.url}: CDP reports Cookie ${JSON.stringify(st.cookieHeader)}, the server got ${JSON.stringify(r.cookie)}`);
      }
    }
    const got = new Set(steps.map((s) => keyOf(s.url)));
    const extra = [...got].filter((k) => !expected.includes(k));
    if (extra.length) throw new Error(`${sc.id}: unexpected requests ${extra.join(', ')}`);
    const result = { id: sc.id, description: sc.description, setCookie: sc.setCookie, deletedByScript: sc.deletedByScript, thirdPartyCookies: sc.thirdPartyCookies, steps };
    if (har) {
      // Every final hop finished (or failed), and its body read, before the context closes.
      const finals = [...rec.byId.values()].map((l) => l.at(-1));
      await rec.waitUntil(() => finals.every((h) => h.endTime !== null), 10_000, () => 'loadingFinished events for ' + finals.filter((h) => h.endTime === null).map((h) => `${h.p.type} ${h.p.request.url} done=${h.done} status=${h.status}`).join(', '));
      await Promise.all(finals.map((h) => h.body));
      // A document replaced at once (the auto-submitting form) may have lost its body, as in
      // DevTools ("No resource with given identifier"); a fetch's body (tokens) must be there.
      const unread = finals.filter((h) => !h.error && /^(Fetch|XHR)$/.test(h.p.type) && !h.bodyRead);
      if (unread.length) throw new Error(`${sc.id}: no response body for ${unread.map((h) => h.p.request.url).join(', ')}`);
      Object.defineProperty(result, 'capture', { value: { hops: rec.hops, reqExtra: rec.reqExtra, respExtra: rec.respExtra, extraOf: (h) => rec.extraOf(h) }, enumerable: false });
    }
    return result;
  } finally {
    await context.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  }
}

export async function record({ only = null, log = () => {} } = {}) {
  const scenarios = allScenarios().filter((s) => !only || s.id.includes(only));
  const server = await startServers();
  let browser;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
    const out = await playEach(scenarios, (sc) => runScenario(browser, server, sc), log, (r) => `${r.steps.length} steps`);
    return {
      chromium: browser.version(),
      recordedAt: new Date().toISOString(),
      ports: { http: HTTP_PORT, https: HTTPS_PORT },
      notes: [
        'Recorded with Chromium DevTools protocol events (Network.requestWillBeSentExtraInfo.associatedCookies, Network.responseReceivedExtraInfo.blockedCookies) by tests/differential/record.mjs.',
        'Each scenario runs in a fresh incognito-like browser context (Playwright), where Chromium blocks third-party cookies.',
        'cookies[].reasons empty = sent; listed in the order Chromium associates them. siteForCookies is derived by the recorder from the frame tree, not reported by Chromium.',
      ],
      scenarios: out,
    };
  } finally {
    await browser?.close();
    await server.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : null; };
  const outFile = opt('--out') ?? FIXTURE;
  const t0 = Date.now();
  const result = await record({ only: opt('--only'), log: (l) => console.error(l) });
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, `${JSON.stringify(result, null, 2)}\n`);
  const steps = result.scenarios.reduce((n, s) => n + s.steps.length, 0);
  console.error(`wrote ${outFile}: ${result.scenarios.length} scenarios, ${steps} steps, Chromium ${result.chromium}, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
