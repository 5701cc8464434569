// What the recorder (background.js) and the pages (devtools.js, panel.js) share: the messages they
// send each other and the layout of the recording in chrome.storage.session.
//
// Storage layout, per inspected tab (only the recorder writes these; the panel reads them and
// follows chrome.storage.onChanged):
//   m:<tab>            meta: { epoch, first, next, bytes, dropped, preserve, inspected, full }
//                      entries first … next-1 exist; epoch changes when the log is cleared
//   e:<tab>:<n>        entry n: one HAR 1.2 entry (a request or one redirect hop)
//   p:<tab>:<request>  a request in flight (not yet an entry)
//
// Messages (chrome.runtime), page → recorder, one switch in background.js:
//   { type: 'inspect', tabId }            on a port named 'inspect': record this tab while connected
//   { type: 'clear', tabId }              forget the tab's recording
//   { type: 'set-preserve', tabId, value } keep the log across top-level navigations (default true)

export const MSG = Object.freeze({
  INSPECT: 'inspect',
  CLEAR: 'clear',
  SET_PRESERVE: 'set-preserve',
});

export const PORT_NAME = 'inspect';

/** Entries kept per tab; the oldest go first (in batches) past it. */
export const MAX_ENTRIES = 5000;
/** Bytes of entries kept per tab (chrome.storage.session holds 10 MB for the whole extension). */
export const MAX_BYTES = 6_000_000;
/** How many of the oldest entries go at once when a limit is reached. */
export const DROP_BATCH = 250;

export const metaKey = (tab) => `m:${tab}`;
export const entryKey = (tab, n) => `e:${tab}:${n}`;
export const pendingKey = (tab, request) => `p:${tab}:${request}`;

/** Parses a storage key: { kind: 'm'|'e'|'p', tab, n|request } or null. */
export function parseKey(key) {
  const m = /^([mep]):(\d+)(?::(.+))?$/.exec(key);
  if (!m) return null;
  const tab = Number(m[2]);
  if (m[1] === 'e') return { kind: 'e', tab, n: Number(m[3]) };
  if (m[1] === 'p') return { kind: 'p', tab, request: m[3] };
  return { kind: 'm', tab };
}

export const newMeta = (epoch = Date.now()) => ({
  epoch, first: 0, next: 0, bytes: 0, dropped: 0, preserve: true, inspected: false, full: false,
});
