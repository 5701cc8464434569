// The DevTools panel: follows the recorder's log of the inspected tab (chrome.storage.session),
// feeds each new request once to the core's FlowSession (loaded once), and draws what the core
// says — the headline, the timeline, the findings and tokens — with the shared renderer (ui/,
// the same module as the page). Beside the flow: the browser's cookie jar for the flow's sites
// (analyzeJar), tokens in localStorage/sessionStorage (analyzeStorage), and, when switched on,
// Chromium's own verdicts. It makes no network requests: everything it loads is its own files.
//
// Also usable in a normal tab as panel.html?tabId=N (no Web Storage there: that needs DevTools).
import init, { FlowSession, analyzeJar, analyzeStorage, redactTokens, version } from './pkg/cookie_inspector.js';
import {
  updateFlowReport, renderJarReport, renderStorageReport, renderError, flowSummary,
} from './ui/render.js';
import { h, clear } from './ui/dom.js';
import { MSG, PORT_NAME, MAX_ENTRIES, DROP_BATCH, metaKey, entryKey, parseKey } from './lib/protocol.js';
import { ChromiumVerdicts } from './lib/verdicts.js';

const api = globalThis.chrome;
const devtools = api.devtools ?? null;
const params = new URLSearchParams(location.search);
const tabId = Number.isInteger(devtools?.inspectedWindow?.tabId) ? devtools.inspectedWindow.tabId : Number(params.get('tabId'));
const store = api.storage.session;
const ALL_SITES = { origins: ['<all_urls>'] };
const RENDER_MS = 120;
const JAR_MS = 400;
const STORAGE_MS = 800;

const el = {
  rec: document.getElementById('rec'),
  recLabel: document.getElementById('rec-label'),
  clear: document.getElementById('clear'),
  preserve: document.getElementById('preserve'),
  chromium: document.getElementById('chromium'),
  chromiumOption: document.getElementById('chromium-option'),
  tpc: document.getElementById('tpc'),
  count: document.getElementById('count'),
  exportReport: document.getElementById('export-report'),
  exportHar: document.getElementById('export-har'),
  keepSignatures: document.getElementById('keep-signatures'),
  status: document.getElementById('status'),
  banners: document.getElementById('banners'),
  flow: document.getElementById('flow'),
  verdicts: document.getElementById('verdicts'),
  jar: document.getElementById('jar'),
  secretForm: document.getElementById('secret-form'),
  secret: document.getElementById('secret'),
  secretOld: document.getElementById('secret-old'),
  storage: document.getElementById('storage'),
};

// ---------- theme: DevTools' own ----------

function applyTheme(name) {
  const root = document.documentElement;
  root.classList.toggle('ci-theme-dark', name === 'dark');
  root.classList.toggle('ci-theme-light', name === 'default' || name === 'light');
}
applyTheme(devtools?.panels?.themeName ?? params.get('theme'));
devtools?.panels?.onThemeChanged?.addListener?.(applyTheme); // Firefox

// ---------- the recording, as the panel has it ----------

const rec = {
  epoch: null,
  next: 0, // the next entry number to push
  meta: null,
  items: [], // { har, replay } in push order
  waiting: new Map(), // entry number → HAR entry that arrived early
};
let flow = null;
let core = false;
let verdicts = null;
let verdictCache = new WeakMap();
let lastJar = null;
let lastStorage = null;

// Whose cookie rules the replay follows: the browser the panel runs in (runtime.getBrowserInfo
// exists only in Firefox).
const BROWSER = typeof globalThis.browser?.runtime?.getBrowserInfo === 'function' ? 'firefox' : 'chromium';

const replays = () => rec.items.filter((x) => x.replay).map((x) => x.replay);

function newSession() {
  flow?.free();
  flow = new FlowSession({ thirdPartyCookies: el.tpc.value, browser: BROWSER, compareBrowsers: true });
  const secrets = typedSecrets();
  if (secrets.length) flow.setSecrets(secrets);
}

/**
 * Starts over from the stored log (a cleared log, a changed option, too many dropped entries).
 * Entries that arrive meanwhile wait in `rec.waiting`; a log cleared meanwhile loads again.
 */
let loading = null;
let loadAgain = false;
async function reload() {
  if (loading) {
    loadAgain = true;
    return loading;
  }
  loading = (async () => {
    do {
      loadAgain = false;
      rec.waiting.clear();
      const key = metaKey(tabId);
      const meta = (await store.get(key))[key] ?? null;
      rec.meta = meta;
      rec.epoch = meta?.epoch ?? null;
      rec.items = [];
      rec.next = meta?.first ?? 0;
      verdictCache = new WeakMap();
      if (verdicts) for (const hop of verdicts.hops) hop.matched = false;
      if (core) newSession();
      if (meta && meta.next > meta.first) {
        const keys = [];
        for (let n = meta.first; n < meta.next; n += 1) keys.push(entryKey(tabId, n));
        const got = await store.get(keys);
        for (let n = meta.first; n < meta.next; n += 1) {
          if (got[entryKey(tabId, n)] && !rec.waiting.has(n)) rec.waiting.set(n, got[entryKey(tabId, n)]);
        }
      }
    } while (loadAgain);
  })();
  try {
    await loading;
  } finally {
    loading = null;
  }
  // A fresh container: the renderer keeps per-container state.
  const fresh = h('div', { id: 'flow', class: 'ci-report', 'data-testid': 'flow', 'aria-label': 'Recorded sign-in' });
  el.flow.replaceWith(fresh);
  el.flow = fresh;
  if (rec.meta) el.preserve.checked = rec.meta.preserve !== false;
  drain();
  scheduleRender();
  scheduleJar();
  scheduleStorage();
}

/** Pushes the entries that are next in line, each exactly once. */
function drain() {
  if (!core || loading) return;
  let pushed = 0;
  for (;;) {
    // Entries the recorder dropped before we read them: go on from the oldest it keeps.
    if (rec.meta && rec.next < rec.meta.first) rec.next = rec.meta.first;
    if (!rec.waiting.has(rec.next)) break;
    const har = rec.waiting.get(rec.next);
    rec.waiting.delete(rec.next);
    rec.next += 1;
    let replay = null;
    try {
      replay = flow.push(har);
    } catch (error) {
      failed(error);
      return;
    }
    rec.items.push({ har, replay });
    pushed += 1;
    const res = har?.response;
    if ((res?.headers ?? []).some((x) => /^set-cookie$/i.test(x.name))) scheduleJar();
    if (har?._resourceType === 'document' || har?._resourceType === 'fetch') scheduleStorage();
  }
  for (const n of [...rec.waiting.keys()]) if (n < rec.next) rec.waiting.delete(n);
  if (pushed) scheduleRender();
  // The recorder dropped its oldest entries: start over from what it keeps, once a batch has gone.
  if (rec.items.length > MAX_ENTRIES + DROP_BATCH) reload();
}

api.storage.onChanged.addListener((changes, area) => {
  if (area !== 'session') return;
  const metaChange = changes[metaKey(tabId)];
  if (metaChange) {
    const meta = metaChange.newValue ?? null;
    if (!meta || meta.epoch !== rec.epoch) {
      reload(); // cleared (or the tab's log is gone): start over
      return;
    }
    rec.meta = meta;
    el.preserve.checked = meta.preserve !== false;
    updateRecording();
  }
  for (const [key, change] of Object.entries(changes)) {
    const k = parseKey(key);
    if (k?.kind === 'e' && k.tab === tabId && change.newValue && (loading || k.n >= rec.next)) rec.waiting.set(k.n, change.newValue);
  }
  drain();
});

// ---------- drawing ----------

let renderTimer = 0;
function scheduleRender() {
  if (renderTimer) return;
  renderTimer = setTimeout(() => requestAnimationFrame(() => { renderTimer = 0; render(); }), RENDER_MS);
}

function render() {
  if (!core) return;
  const entries = replays();
  updateRecording();
  if (entries.length === 0) {
    clear(el.flow);
    el.flow.appendChild(h('div', { class: 'px-empty', 'data-testid': 'empty' },
      h('p', null, h('strong', null, 'Recording this tab.'), ' Sign in in the page: every request and redirect shows up here, with the cookies it set and carried.'),
      h('p', null, 'The verdict — which cookie killed the session, and why — appears at the top as soon as the core sees it.')));
    el.status.textContent = 'No requests recorded yet.';
    renderVerdicts();
    return;
  }
  let summary;
  try {
    summary = flow.summary();
  } catch (error) {
    failed(error);
    return;
  }
  const report = { ...summary, entries };
  // "Copy as text": the core writes it, with the tokens' signatures redacted.
  updateFlowReport(el.flow, report, { follow: true, copyText: () => flow.text() });
  el.status.textContent = flowSummary(report);
  renderVerdicts();
}

function updateRecording() {
  const meta = rec.meta;
  const n = rec.items.length;
  el.count.textContent = `${n.toLocaleString('en-US')} request${n === 1 ? '' : 's'}`;
  const state = !hostAccess ? 'blocked' : meta?.inspected ? 'on' : 'off';
  el.rec.dataset.state = state;
  el.recLabel.textContent = state === 'on' ? 'Recording' : state === 'blocked' ? 'Needs site access' : 'Not recording';
  banner('limit', meta && meta.dropped > 0 ? 'warning' : null,
    `The log keeps the newest ${MAX_ENTRIES.toLocaleString('en-US')} requests of this tab: ${meta?.dropped?.toLocaleString('en-US')} older ones were dropped. Clear the log before signing in to keep the whole flow.`);
  banner('full', meta?.full ? 'error' : null,
    'Recording stopped: the browser\'s storage for extension sessions is full. Clear the log (or close other inspected tabs) to record again.');
}

function failed(error) {
  renderError(el.flow, 'The analysis core stopped unexpectedly. This is a bug; closing and reopening DevTools restarts it.', String(error?.message ?? error));
  core = false;
}

/** Shows (severity set) or removes (null) the banner with this id. */
function banner(id, severity, message, ...actions) {
  const old = el.banners.querySelector(`[data-banner="${id}"]`);
  if (!severity) { old?.remove(); return; }
  const node = h('div', { class: `px-banner px-banner-${severity}`, 'data-banner': id, 'data-testid': `banner-${id}`, role: severity === 'error' ? 'alert' : null },
    h('p', null, message), ...actions);
  if (old) old.replaceWith(node); else el.banners.appendChild(node);
}

// ---------- site access: the one permission asked for at run time ----------

let hostAccess = true;

async function checkAccess() {
  hostAccess = await api.permissions.contains(ALL_SITES).catch(() => false);
  if (hostAccess) banner('access', null);
  else {
    const allow = h('button', { type: 'button', 'data-testid': 'allow-access' }, 'Allow access to sites');
    allow.addEventListener('click', requestAccess);
    banner('access', 'warning',
      'To record a sign-in, Cookie Inspector needs to see the requests of every site it passes through (your app and the identity provider) and read their cookies. Nothing leaves the browser.',
      allow);
  }
  updateRecording();
}

async function requestAccess() {
  try {
    if (await api.permissions.request(ALL_SITES)) {
      await checkAccess();
      banner('granted', 'info', 'Access granted: requests from now on are recorded. Sign in again to record the whole flow.');
      scheduleJar();
    }
  } catch {
    // Some browsers refuse permission prompts from DevTools: ask from a tab of our own instead.
    api.tabs.create({ url: api.runtime.getURL('grant.html') });
  }
}
api.permissions.onAdded?.addListener(checkAccess);
api.permissions.onRemoved?.addListener(checkAccess);

// ---------- the cookie jar of the flow's sites ----------

let jarTimer = 0;
function scheduleJar() {
  clearTimeout(jarTimer);
  jarTimer = setTimeout(refreshJar, JAR_MS);
}
api.cookies.onChanged.addListener(() => scheduleJar());

async function pageUrl() {
  try {
    const tab = await api.tabs.get(tabId);
    if (tab?.url) return tab.url;
  } catch { /* the tab is gone */ }
  // Without access to the tab's URL, the last top-level page the recording saw.
  const page = [...rec.items].reverse().find((x) => x.har?._resourceType === 'document');
  return page?.har?.request?.url ?? null;
}

/** The cookie store the inspected tab uses (an incognito tab has its own). */
async function storeId() {
  try {
    const stores = await api.cookies.getAllCookieStores();
    return stores.find((s) => (s.tabIds ?? []).includes(tabId))?.id;
  } catch {
    return undefined;
  }
}

/** Every host the flow touched, and each parent domain of it: where its cookies can live. */
function jarDomains(urls) {
  const domains = new Set();
  for (const url of urls) {
    let host;
    try { host = new URL(url).hostname; } catch { continue; }
    if (!host) continue;
    domains.add(host);
    if (/^[\d.]+$/.test(host) || host.includes(':') || host.startsWith('[')) continue; // an IP address
    const labels = host.split('.');
    for (let i = 1; i < labels.length - 1; i += 1) domains.add(labels.slice(i).join('.'));
  }
  return domains;
}

async function getAll(filter) {
  try {
    return await api.cookies.getAll({ ...filter, partitionKey: {} }); // partitioned ones too
  } catch {
    return api.cookies.getAll(filter); // a browser without partitioned cookies
  }
}

/** The secrets typed into the panel, current first. They live in the inputs only. */
function typedSecrets() {
  return [el.secret.value, el.secretOld.value].filter(Boolean);
}

let secretTimer = 0;
for (const input of [el.secret, el.secretOld]) {
  input.addEventListener('input', () => {
    clearTimeout(secretTimer);
    secretTimer = setTimeout(() => {
      // The flow's tokens are analysed again with the secrets (not the replay); then the jar.
      flow?.setSecrets(typedSecrets());
      scheduleRender();
      refreshJar();
    }, 250);
  });
}
el.secretForm.addEventListener('submit', (event) => event.preventDefault());

async function refreshJar() {
  if (!core) return;
  const page = await pageUrl();
  const urls = new Set(rec.items.map((x) => x.har?.request?.url).filter(Boolean));
  if (page && /^https?:/i.test(page)) urls.add(page);
  const sid = await storeId();
  const seen = new Set();
  const cookies = [];
  for (const domain of jarDomains(urls)) {
    const found = await getAll(sid ? { domain, storeId: sid } : { domain }).catch(() => []);
    for (const c of found) {
      const key = JSON.stringify([c.name, c.domain, c.path, c.storeId, c.partitionKey?.topLevelSite ?? null]);
      if (seen.has(key)) continue;
      seen.add(key);
      cookies.push(c);
    }
  }
  try {
    // The secrets live in these two inputs only: never in storage, messages or logs.
    lastJar = analyzeJar(cookies, { now: Date.now() / 1000, secrets: typedSecrets() });
  } catch (error) {
    renderError(el.jar, 'The core could not analyse the cookie jar.', String(error?.message ?? error));
    return;
  }
  // Ask for the secret when the jar holds a session cookie only it can open (or the one given
  // does not open it); keep the form while a secret is typed in.
  const codes = new Set((lastJar.findings ?? []).map((f) => f.code));
  el.secretForm.hidden = !(codes.has('jwe.secret-needed') || codes.has('jwe.wrong-secret') || el.secret.value || el.secretOld.value);
  const open = openDetails(el.jar);
  renderJarReport(el.jar, lastJar, {
    title: 'Cookie jar of the flow\'s sites',
    empty: hostAccess ? 'No cookies for the sites of this flow yet.' : 'No access to the sites\' cookies yet.',
  });
  reopenDetails(el.jar, open);
}

/** The tokens a reader opened, so a refresh keeps them open. */
function openDetails(container) {
  return [...container.querySelectorAll('details[data-token]')].map((d) => ({ testid: d.dataset.testid, token: d.dataset.token, open: d.open }));
}

function reopenDetails(container, before) {
  for (const { testid, token, open } of before) {
    const d = container.querySelector(`details[data-testid="${CSS.escape(testid ?? '')}"][data-token="${CSS.escape(token ?? '')}"]`);
    if (d && d.open !== open) d.open = open;
  }
}

// ---------- tokens in localStorage / sessionStorage ----------

// Runs in the inspected page: reads keys and values, changes nothing. Capped in count and size.
const READ_STORAGE = `(() => {
  const out = [];
  for (const area of ['localStorage', 'sessionStorage']) {
    let s = null;
    try { s = window[area]; } catch (e) { continue; }
    if (!s) continue;
    const n = Math.min(s.length, 500);
    for (let i = 0; i < n; i += 1) {
      const key = s.key(i);
      if (key === null) continue;
      const value = String(s.getItem(key) ?? '');
      out.push({ area, origin: location.origin, key, value: value.length > 262144 ? value.slice(0, 262144) : value });
    }
  }
  return out;
})()`;

let storageTimer = 0;
function scheduleStorage() {
  clearTimeout(storageTimer);
  storageTimer = setTimeout(refreshStorage, STORAGE_MS);
}
devtools?.network?.onNavigated?.addListener(() => scheduleStorage());

function refreshStorage() {
  if (!core) return;
  if (!devtools) {
    renderStorageReport(el.storage, { items: [], findings: [], tokens: [], counts: {} },
      { note: 'Web Storage is read through DevTools: open this panel in DevTools to see it.' });
    return;
  }
  devtools.inspectedWindow.eval(READ_STORAGE, (result, exception) => {
    const items = !exception && Array.isArray(result) ? result : [];
    try {
      lastStorage = analyzeStorage(items, { now: Date.now() / 1000 });
    } catch (error) {
      renderError(el.storage, 'The core could not analyse Web Storage.', String(error?.message ?? error));
      return;
    }
    const open = openDetails(el.storage);
    renderStorageReport(el.storage, lastStorage, exception
      ? { note: 'The page\'s storage could not be read (a page the browser protects, or none loaded yet).' }
      : {});
    reopenDetails(el.storage, open);
  });
}

// ---------- Chromium's own verdicts (optional; needs the "debugger" permission) ----------

const DEBUGGER = { permissions: ['debugger'] };
// Offered where the manifest can ask for it (Chromium's); Firefox has no debugger API.
const manifest = api.runtime.getManifest();
el.chromiumOption.hidden = ![...(manifest.permissions ?? []), ...(manifest.optional_permissions ?? [])].includes('debugger');

async function setChromium(on) {
  if (!on) {
    await verdicts?.stop();
    verdicts = null;
    renderVerdicts();
    return;
  }
  try {
    // Asked for here, in the click (the first call, so the click still counts as the user's):
    // the first time it prompts, later it answers at once.
    if (!(await api.permissions.request(DEBUGGER))) {
      el.chromium.checked = false;
      return;
    }
    if (!ChromiumVerdicts.available(api)) throw new Error('this browser has no debugger API');
    verdicts = new ChromiumVerdicts(api, tabId, () => scheduleRender());
    await verdicts.start();
    banner('chromium', 'info', 'Chromium\'s verdicts are recorded for the requests from now on: sign in again to compare them with the prediction.');
  } catch (error) {
    verdicts = null;
    el.chromium.checked = false;
    banner('chromium', 'error', `Chromium's verdicts are not available: ${String(error?.message ?? error)}`);
  }
  renderVerdicts();
}

function renderVerdicts() {
  if (!verdicts) {
    el.verdicts.hidden = true;
    clear(el.verdicts);
    banner('differ', null);
    return;
  }
  // Only a detach that happened after attaching (onDetach sets the reason): while start() is
  // still attaching, a render must not undo the user's switch.
  if (!verdicts.attached && verdicts.detachReason != null && el.chromium.checked) {
    el.chromium.checked = false;
    banner('chromium', 'warning', `Chromium's verdicts stopped: the debugger was detached (${String(verdicts.detachReason ?? 'closed')}).`);
  }
  const rows = verdicts.compare(rec.items.filter((x) => x.replay).map((x) => x.har), replays(), verdictCache);
  const observed = rows.filter((r) => r.observed);
  const lines = [];
  for (const r of observed) {
    for (const c of r.cookies) if (c.chromium !== 'sent' || c.differs || c.reasonsDiffer) lines.push({ r, kind: 'Cookie', ...c });
    for (const c of r.setCookies) if (c.chromium !== 'stored' || c.differs || c.reasonsDiffer) lines.push({ r, kind: 'Set-Cookie', ...c });
  }
  const differ = lines.filter((l) => l.differs);
  const head = h('thead', null, h('tr', null, ['#', 'Request', 'Header', 'Cookie', 'Chromium', 'Prediction', ''].map((t) => h('th', { scope: 'col' }, t))));
  const reasons = (list) => list.map((x, i) => [i ? ', ' : '', h('code', { class: 'px-reason' }, x)]);
  const body = h('tbody', null, lines.map((l) => h('tr', { class: l.differs ? 'px-row-differs' : null, 'data-testid': 'verdict-row', 'data-cookie': l.name, 'data-differs': l.differs ? 'true' : 'false' },
    h('td', null, `#${l.r.index}`),
    h('td', null, h('code', null, `${l.r.method} ${l.r.url}`)),
    h('td', null, l.kind),
    h('th', { scope: 'row' }, h('code', null, l.name)),
    h('td', null, l.chromium, l.chromiumReasons.length ? ': ' : '', reasons(l.chromiumReasons)),
    h('td', null, l.ours === 'unknown' ? 'not judged (set before the recording)' : l.ours, l.oursReasons.length ? ': ' : '', reasons(l.oursReasons)),
    h('td', null, l.differs ? h('span', { class: 'px-differs' }, 'differs') : l.reasonsDiffer ? 'other reasons' : h('span', { class: 'px-agree' }, 'agrees')))));
  clear(el.verdicts);
  el.verdicts.hidden = false;
  el.verdicts.appendChild(h('section', { class: 'ci-section', 'data-testid': 'chromium-verdicts', 'aria-label': 'Chromium\'s verdicts' },
    h('h2', { class: 'ci-h' }, 'Chromium\'s verdicts'),
    h('p', { class: 'px-verdict-sum' },
      `${observed.length} recorded request${observed.length === 1 ? '' : 's'} observed by Chromium's DevTools protocol; `,
      differ.length
        ? h('span', { class: 'px-differs' }, `${differ.length} verdict${differ.length === 1 ? ' differs' : 's differ'} from the prediction.`)
        : h('span', { class: 'px-agree' }, 'every verdict agrees with the prediction.')),
    lines.length
      ? h('div', { class: 'ci-table-wrap' }, h('table', { class: 'ci-table px-vtable' }, head, body))
      : h('p', { class: 'ci-empty' }, 'Chromium withheld or refused no cookie in the observed requests.')));
  banner('differ', differ.length ? 'error' : null,
    `Chromium and the prediction differ on ${differ.length} cookie verdict${differ.length === 1 ? '' : 's'}: see “Chromium's verdicts” below.`);
}

// ---------- export ----------

function download(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h('a', { href: url, download: name, hidden: true });
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const stamp = () => new Date().toISOString().replace(/[:.]/g, '-');

/** An export's text: tokens' signatures and tags redacted (by the core) unless the user ticked
 * "Keep signatures", so a file attached to a bug report cannot be used to sign in. */
function exported(value) {
  const text = JSON.stringify(value, null, 2);
  if (el.keepSignatures.checked) return text;
  if (!core) {
    // Without the core nothing can be redacted: refuse rather than write working tokens.
    banner('export', 'error', 'The analysis core is not loaded, so the export cannot be redacted. Tick "Keep signatures" to export as recorded.');
    return null;
  }
  return redactTokens(text).text;
}

el.exportReport.addEventListener('click', async () => {
  if (!core) return;
  const report = {
    creator: { name: 'Cookie Inspector', version: version() },
    exported: new Date().toISOString(),
    page: await pageUrl(),
    thirdPartyCookies: el.tpc.value,
    browser: BROWSER,
    flow: flow.report(),
    jar: lastJar,
    storage: lastStorage,
    chromiumVerdicts: verdicts ? verdicts.compare(rec.items.filter((x) => x.replay).map((x) => x.har), replays(), verdictCache) : null,
  };
  const text = exported(report);
  if (text !== null) download(`cookie-inspector-report-${stamp()}.json`, text, 'application/json');
});

el.exportHar.addEventListener('click', () => {
  const har = {
    log: {
      version: '1.2',
      creator: { name: 'Cookie Inspector', version: core ? version() : '' },
      comment: 'Recorded by the Cookie Inspector extension: the headers a sign-in depends on (Cookie, Set-Cookie, Authorization, Location, Origin, Referer, Sec-Fetch-*); no bodies.',
      pages: [],
      entries: rec.items.map((x) => x.har),
    },
  };
  const text = exported(har);
  if (text !== null) download(`cookie-inspector-${stamp()}.har`, text, 'application/json');
});

// ---------- controls ----------

el.clear.addEventListener('click', () => {
  api.runtime.sendMessage({ type: MSG.CLEAR, tabId });
});
el.preserve.addEventListener('change', () => {
  api.runtime.sendMessage({ type: MSG.SET_PRESERVE, tabId, value: el.preserve.checked });
});
el.chromium.addEventListener('change', () => setChromium(el.chromium.checked));
el.tpc.addEventListener('change', () => reload()); // a user's choice: replay the flow again

// ---------- start ----------

// Keep the tab recorded while the panel is open (devtools.js does too; in a normal tab, only this).
function connect() {
  const port = api.runtime.connect({ name: PORT_NAME });
  port.postMessage({ type: MSG.INSPECT, tabId });
  port.onDisconnect.addListener(() => {
    void api.runtime.lastError;
    setTimeout(connect, 100);
  });
}

async function start() {
  if (!Number.isInteger(tabId) || tabId < 0) {
    renderError(el.flow, 'No tab to inspect: open this panel from DevTools (or as panel.html?tabId=N).');
    return;
  }
  connect();
  checkAccess();
  try {
    await init();
    core = true;
  } catch (error) {
    renderError(el.flow, 'The analysis core could not be loaded.', String(error?.message ?? error));
    return;
  }
  await reload();
  document.documentElement.dataset.ready = 'true';
}

start();
