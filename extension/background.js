// The recorder: a service worker (Chromium) or event page (Firefox) that writes down, per
// inspected tab, every request and redirect hop with its Cookie, Set-Cookie and Authorization
// headers, as HAR entries in chrome.storage.session. It keeps nothing that matters in memory —
// the browser may stop it between two events — only write-through caches of what is stored.
// It analyses nothing and sends nothing anywhere: the panel reads the entries and runs the core.
//
// A tab is recorded while DevTools is open on it (devtools.js, or the panel, holds a port named
// 'inspect'), so the recording is there when the panel is first opened, and nothing is recorded
// for tabs nobody inspects.
import {
  MSG, PORT_NAME, MAX_ENTRIES, MAX_BYTES, DROP_BATCH, metaKey, entryKey, pendingKey, newMeta, parseKey,
} from './lib/protocol.js';
import { startHop, toEntry, requestHeaders, responseHeaders, entrySize } from './lib/har-entry.js';

const api = globalThis.chrome;
const store = api.storage.session;

// ---- one event at a time: every change is a read-modify-write of the tab's meta ----

let queue = Promise.resolve();
function serially(fn) {
  const next = queue.then(fn);
  queue = next.catch((error) => console.warn('Cookie Inspector recorder:', error));
  return next;
}

// ---- write-through caches of what is in storage (filled on first use after a restart) ----

const metas = new Map(); // tab → meta | null
const hops = new Map(); // "tab:requestId" → hop | null

async function getMeta(tab) {
  if (metas.has(tab)) return metas.get(tab);
  const key = metaKey(tab);
  const meta = (await store.get(key))[key] ?? null;
  metas.set(tab, meta);
  return meta;
}

async function getHop(tab, requestId) {
  const id = `${tab}:${requestId}`;
  if (hops.has(id)) return hops.get(id);
  const key = pendingKey(tab, requestId);
  const hop = (await store.get(key))[key] ?? null;
  hops.set(id, hop);
  return hop;
}

async function putHop(tab, hop) {
  hops.set(`${tab}:${hop.requestId}`, hop);
  await store.set({ [pendingKey(tab, hop.requestId)]: hop });
}

async function dropHop(tab, requestId) {
  hops.delete(`${tab}:${requestId}`);
  await store.remove(pendingKey(tab, requestId));
}

/** Every stored key of a tab. */
async function keysOf(tab) {
  const all = typeof store.getKeys === 'function' ? await store.getKeys() : Object.keys(await store.get(null));
  return all.filter((k) => parseKey(k)?.tab === tab);
}

/** Forgets a tab's recording; `keep` keeps it recorded (with its settings) from a fresh log. */
async function clearTab(tab, keep) {
  const old = await getMeta(tab);
  await store.remove(await keysOf(tab));
  for (const id of [...hops.keys()]) if (id.startsWith(`${tab}:`)) hops.delete(id);
  if (keep && old) {
    const meta = { ...newMeta(), preserve: old.preserve, inspected: old.inspected };
    metas.set(tab, meta);
    await store.set({ [metaKey(tab)]: meta });
  } else {
    metas.set(tab, null);
  }
}

/** Turns a hop into the tab's next entry; past the limits the oldest entries go first. */
async function finish(tab, hop, ended) {
  if (hop.done) return;
  hop.done = true;
  hop.ended = ended ?? hop.ended;
  const meta = await getMeta(tab);
  if (!meta) return;
  const entry = toEntry(hop);
  const size = entrySize(entry);
  const n = meta.next;
  meta.next += 1;
  meta.bytes += size;
  if (meta.next - meta.first > MAX_ENTRIES || meta.bytes > MAX_BYTES) await dropOldest(tab, meta);
  try {
    await store.set({ [entryKey(tab, n)]: entry, [metaKey(tab)]: meta, [pendingKey(tab, hop.requestId)]: hop });
  } catch {
    // Storage full (other tabs' recordings share it): make room once, else stop recording this tab.
    await dropOldest(tab, meta);
    try {
      await store.set({ [entryKey(tab, n)]: entry, [metaKey(tab)]: meta, [pendingKey(tab, hop.requestId)]: hop });
    } catch {
      meta.full = true;
      meta.next = n;
      await store.set({ [metaKey(tab)]: meta }).catch(() => {});
    }
  }
  hops.set(`${tab}:${hop.requestId}`, hop);
}

async function dropOldest(tab, meta) {
  const count = meta.next - meta.first;
  const batch = Math.min(DROP_BATCH, Math.max(0, count - 1));
  if (batch <= 0) return;
  const keys = [];
  for (let n = meta.first; n < meta.first + batch; n += 1) keys.push(entryKey(tab, n));
  meta.bytes = Math.round(meta.bytes * ((count - batch) / count));
  meta.first += batch;
  meta.dropped += batch;
  await store.remove(keys);
}

// ---- webRequest: every hop of every request of an inspected tab ----

const recordable = (d) => d.tabId >= 0 && /^(https?|wss?):/i.test(String(d.url ?? ''));

/** The `extraHeaders` option where the browser has it (Chromium: needed to see Cookie and Set-Cookie). */
function spec(options, ...wanted) {
  const extra = options?.EXTRA_HEADERS;
  return extra ? [...wanted, extra] : wanted;
}

async function inspected(tab) {
  const meta = await getMeta(tab);
  return meta?.inspected ? meta : null;
}

function onBeforeRequest(d) {
  if (!recordable(d)) return;
  serially(async () => {
    const meta = await inspected(d.tabId);
    if (!meta) return;
    const previous = await getHop(d.tabId, d.requestId);
    // A redirect's next hop has the same requestId; a new top-level page without "Preserve log"
    // starts a fresh log.
    if (!previous && d.type === 'main_frame' && d.frameId === 0 && !meta.preserve && meta.next > meta.first) {
      await clearTab(d.tabId, true);
    }
    if (previous && !previous.done) await finish(d.tabId, previous, d.timeStamp);
    await putHop(d.tabId, startHop(d));
  });
}

/** Runs `update(hop)` for an event of a recorded hop that is still open, one event at a time. */
function onOpenHop(d, update) {
  if (!recordable(d)) return;
  serially(async () => {
    if (!(await inspected(d.tabId))) return;
    const hop = await getHop(d.tabId, d.requestId);
    if (!hop || hop.done) return;
    await update(hop);
  });
}

/** The request headers as sent (Chromium reports them for an answer from its disk cache too: see onResponseStarted). */
function onSendHeaders(d) {
  onOpenHop(d, async (hop) => {
    hop.requestHeaders = requestHeaders(d.requestHeaders);
    await putHop(d.tabId, hop);
  });
}

/** The response of a hop: its headers are final here (Set-Cookie is applied now). */
function onHeadersReceived(d) {
  onOpenHop(d, async (hop) => {
    hop.status = d.statusCode;
    hop.statusLine = d.statusLine ?? null;
    hop.responseHeaders = responseHeaders(d.responseHeaders);
    await putHop(d.tabId, hop);
  });
}

/**
 * The hop is written down when its response starts (or when it redirects, ends or fails): not at
 * onHeadersReceived, because Chromium also reports an answer from its disk cache through
 * onSendHeaders (Cookie included) and onHeadersReceived, and says it came from the cache only
 * from here on.
 */
function onResponseStarted(d) {
  onOpenHop(d, async (hop) => {
    if (d.fromCache) hop.fromCache = true;
    if (Number.isInteger(d.statusCode)) hop.status = d.statusCode;
    if (d.statusLine) hop.statusLine = d.statusLine;
    if (d.responseHeaders) hop.responseHeaders = responseHeaders(d.responseHeaders);
    await finish(d.tabId, hop, d.timeStamp);
  });
}

function onBeforeRedirect(d) {
  onOpenHop(d, async (hop) => {
    // A redirect without a response of its own (e.g. an HSTS upgrade), or one from the cache.
    if (d.fromCache) hop.fromCache = true;
    hop.status = d.statusCode;
    hop.statusLine = d.statusLine ?? null;
    hop.responseHeaders = responseHeaders(d.responseHeaders);
    hop.redirectURL = String(d.redirectUrl ?? '');
    await finish(d.tabId, hop, d.timeStamp);
  });
}

function onEnd(d) {
  if (!recordable(d)) return;
  serially(async () => {
    if (!(await inspected(d.tabId))) return;
    const hop = await getHop(d.tabId, d.requestId);
    if (!hop) return;
    if (!hop.done) {
      // Served without onHeadersReceived (cache), or failed before a response.
      if (d.fromCache) hop.fromCache = true;
      if (Number.isInteger(d.statusCode)) hop.status = d.statusCode;
      if (d.statusLine) hop.statusLine = d.statusLine;
      if (d.responseHeaders) hop.responseHeaders = responseHeaders(d.responseHeaders);
      if (d.error) hop.error = d.error;
      await finish(d.tabId, hop, d.timeStamp);
    }
    await dropHop(d.tabId, d.requestId);
  });
}

const wr = api.webRequest;
const filter = { urls: ['<all_urls>'] };
wr.onBeforeRequest.addListener(onBeforeRequest, filter);
wr.onSendHeaders.addListener(onSendHeaders, filter, spec(wr.OnSendHeadersOptions, 'requestHeaders'));
wr.onHeadersReceived.addListener(onHeadersReceived, filter, spec(wr.OnHeadersReceivedOptions, 'responseHeaders'));
wr.onResponseStarted.addListener(onResponseStarted, filter, spec(wr.OnResponseStartedOptions, 'responseHeaders'));
wr.onBeforeRedirect.addListener(onBeforeRedirect, filter, spec(wr.OnBeforeRedirectOptions, 'responseHeaders'));
wr.onCompleted.addListener(onEnd, filter, spec(wr.OnCompletedOptions, 'responseHeaders'));
wr.onErrorOccurred.addListener(onEnd, filter);

// ---- the pages: who is inspecting which tab, and their commands ----

const ports = new Map(); // tab → Set<port>

async function setInspected(tab, value) {
  let meta = await getMeta(tab);
  if (!meta && !value) return;
  if (!meta) meta = newMeta();
  if (meta.inspected === value) return;
  meta.inspected = value;
  metas.set(tab, meta);
  await store.set({ [metaKey(tab)]: meta });
}

api.runtime.onConnect.addListener((port) => {
  if (port.name !== PORT_NAME) return;
  let tab = null;
  port.onMessage.addListener((msg) => {
    if (msg?.type !== MSG.INSPECT || !Number.isInteger(msg.tabId) || tab !== null) return;
    tab = msg.tabId;
    if (!ports.has(tab)) ports.set(tab, new Set());
    ports.get(tab).add(port);
    serially(() => setInspected(tab, true));
  });
  port.onDisconnect.addListener(() => {
    if (tab === null) return;
    const set = ports.get(tab);
    set?.delete(port);
    if (set && set.size === 0) {
      ports.delete(tab);
      serially(() => setInspected(tab, false));
    }
  });
});

api.runtime.onMessage.addListener((msg, sender, reply) => {
  // Only this extension's own pages talk to the recorder.
  if (sender.id !== api.runtime.id || !Number.isInteger(msg?.tabId)) return false;
  switch (msg.type) {
    case MSG.CLEAR:
      serially(() => clearTab(msg.tabId, true)).then(() => reply({ ok: true }), (e) => reply({ ok: false, error: String(e) }));
      return true;
    case MSG.SET_PRESERVE:
      serially(async () => {
        const meta = (await getMeta(msg.tabId)) ?? newMeta();
        meta.preserve = msg.value !== false;
        metas.set(msg.tabId, meta);
        await store.set({ [metaKey(msg.tabId)]: meta });
      }).then(() => reply({ ok: true }), (e) => reply({ ok: false, error: String(e) }));
      return true;
    default:
      return false;
  }
});

api.tabs?.onRemoved?.addListener((tab) => serially(() => clearTab(tab, false)));
