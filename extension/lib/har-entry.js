// webRequest events → HAR 1.2 entries: the one place that knows both shapes. Pure functions
// (no chrome.* calls), so they can be read and checked on their own.
//
// A request and each of its redirect hops become one entry each, in the shape DevTools exports
// ("Export HAR (with sensitive data)"), with only the headers the analysis reads: what a sign-in
// depends on (Cookie, Set-Cookie, Authorization, Location) and what tells who started a request
// (Origin, Referer, Sec-Fetch-*, and Access-Control-Request-Method for a preflight), what marks a
// prefetch, Clear-Site-Data, and what tells whether a cache keeps or gave the answer. Request
// bodies are never kept: a sign-in form carries the password.

const REQUEST_HEADERS = new Set([
  'cookie', 'authorization', 'origin', 'referer', 'sec-fetch-site', 'sec-fetch-mode',
  'sec-fetch-dest', 'sec-fetch-user', 'content-type',
  // Marks a CORS preflight, which never carries cookies (not a fetch that left them out).
  'access-control-request-method',
  // Mark a prefetch, which the user did not ask for (the core's replay.rs, is_prefetch).
  'sec-purpose', 'purpose', 'x-moz', 'next-router-prefetch', 'x-middleware-prefetch',
]);
const RESPONSE_HEADERS = new Set([
  'set-cookie', 'location', 'content-type', 'date', 'www-authenticate',
  // Deletes every cookie of the site (the core's clear_site_data.rs).
  'clear-site-data',
  // Whether browsers keep a redirect, and whether a shared cache answered (the core's cache.rs).
  'cache-control', 'expires', 'vary', 'age', 'cache-status', 'x-cache', 'cf-cache-status',
  'x-vercel-cache', 'x-nextjs-cache', 'akamai-cache-status', 'x-cache-status', 'x-proxy-cache',
]);

/** webRequest's resource types (Chromium's and Firefox's) → HAR `_resourceType`. */
const RESOURCE_TYPE = {
  main_frame: 'document',
  sub_frame: 'subdocument',
  object: 'subdocument',
  xmlhttprequest: 'fetch',
  stylesheet: 'stylesheet',
  script: 'script',
  image: 'image',
  imageset: 'image',
  font: 'font',
  media: 'media',
  websocket: 'websocket',
  ping: 'ping',
  beacon: 'ping',
  csp_report: 'ping',
  other: 'other',
};

export const resourceType = (type) => RESOURCE_TYPE[type] ?? 'other';

/** Keeps the headers the analysis reads; a header with several lines becomes one header per line. */
export function keepHeaders(headers, wanted) {
  const out = [];
  for (const header of Array.isArray(headers) ? headers : []) {
    const name = String(header?.name ?? '');
    if (!wanted.has(name.toLowerCase())) continue;
    let value = header.value;
    // Binary values (Firefox may give binaryValue): as Latin-1 text.
    if (value === undefined && Array.isArray(header.binaryValue)) value = String.fromCharCode(...header.binaryValue);
    for (const line of String(value ?? '').split('\n')) out.push({ name, value: line });
  }
  return out;
}

export const requestHeaders = (headers) => keepHeaders(headers, REQUEST_HEADERS);
export const responseHeaders = (headers) => keepHeaders(headers, RESPONSE_HEADERS);

/** The start of a hop, from onBeforeRequest. */
export function startHop(d) {
  return {
    requestId: String(d.requestId),
    started: d.timeStamp,
    method: String(d.method ?? 'GET'),
    url: String(d.url ?? ''),
    type: resourceType(d.type),
    frameId: d.frameId ?? 0,
    initiator: d.initiator ?? d.originUrl ?? null,
    requestHeaders: null,
    status: null,
    statusLine: null,
    responseHeaders: null,
    redirectURL: '',
    error: null,
    ended: null,
    fromCache: false,
  };
}

/** "HTTP/1.1 302 Found" → "Found". */
function statusText(statusLine) {
  const m = /^\S+\s+\d{3}\s*(.*)$/.exec(String(statusLine ?? ''));
  return m ? m[1] : '';
}

function httpVersion(statusLine) {
  const m = /^(HTTP\/[\d.]+)/i.exec(String(statusLine ?? ''));
  return m ? m[1].toUpperCase() : 'HTTP/1.1';
}

/** The HAR entry of a hop (finished or not: a hop without a response has status 0). */
export function toEntry(hop) {
  const status = Number.isInteger(hop.status) ? hop.status : 0;
  const headers = hop.responseHeaders ?? [];
  let redirectURL = hop.redirectURL || '';
  if (!redirectURL && status >= 300 && status < 400) {
    redirectURL = headers.find((x) => x.name.toLowerCase() === 'location')?.value ?? '';
  }
  const entry = {
    startedDateTime: new Date(hop.started).toISOString(),
    time: hop.ended !== null && hop.ended !== undefined ? Math.max(0, Math.round(hop.ended - hop.started)) : -1,
    request: {
      method: hop.method,
      url: hop.url.split('#')[0],
      httpVersion: httpVersion(hop.statusLine),
      headers: hop.requestHeaders ?? [],
      queryString: [],
      cookies: [],
      headersSize: -1,
      bodySize: -1,
    },
    response: {
      status,
      statusText: statusText(hop.statusLine),
      httpVersion: httpVersion(hop.statusLine),
      headers,
      cookies: [],
      content: { size: -1, mimeType: headers.find((x) => x.name.toLowerCase() === 'content-type')?.value ?? '' },
      redirectURL,
      headersSize: -1,
      bodySize: -1,
    },
    cache: {},
    timings: { send: 0, wait: 0, receive: 0 },
    _resourceType: hop.type,
  };
  if (hop.initiator) entry._initiator = { type: 'other', url: hop.initiator };
  if (hop.error) entry._error = String(hop.error);
  // webRequest's fromCache is the disk cache (memory-cache hits never reach webRequest); the
  // core then neither sends nor stores cookies for the entry, as DevTools' `_fromCache` says.
  if (hop.fromCache) entry._fromCache = 'disk';
  // onSendHeaders gave the headers as sent, Cookie included (Chromium with extraHeaders; Firefox
  // always): a request without a Cookie header sent no cookie, which the core may then read as
  // the session being gone, or left out by a fetch's credentials mode.
  else if (hop.requestHeaders !== null) entry._requestHeadersAsSent = true;
  return entry;
}

/** Approximate stored size of an entry, for the recorder's byte budget. */
export const entrySize = (entry) => JSON.stringify(entry).length;
