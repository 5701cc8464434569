// Chromium's own cookie verdicts, beside the core's prediction (an option the user switches on;
// Chromium only). Attaches chrome.debugger to the inspected tab and listens to the DevTools
// protocol's Network domain: `requestWillBeSentExtraInfo.associatedCookies[].blockedReasons`
// (which cookies went with a request, and why the others did not) and
// `responseReceivedExtraInfo.blockedCookies` (which Set-Cookie lines Chromium refused, and why).
//
// Redirect hops share one requestId; the n-th ExtraInfo event of a requestId belongs to its n-th
// hop. A recorded entry is matched to the first unmatched hop with the same method and URL.
// The comparison only lines up names and reason lists; the judging is the core's (the prediction)
// and Chromium's (the verdict).

const PROTOCOL = '1.3';

export class ChromiumVerdicts {
  /** `onChange()` is called (throttled by the caller) whenever something new was observed. */
  constructor(api, tabId, onChange) {
    this.api = api;
    this.target = { tabId };
    this.onChange = onChange;
    this.attached = false;
    this.since = Infinity; // when the debugger was attached (ms since 1970)
    this.hops = []; // in requestWillBeSent order
    this.byId = new Map(); // requestId → hops
    this.reqExtra = new Map(); // requestId → [associatedCookies…]
    this.respExtra = new Map(); // requestId → [blockedCookies…]
    this.onEvent = (source, method, params) => {
      if (source.tabId !== this.target.tabId) return;
      this.event(method, params ?? {});
    };
    this.onDetach = (source, reason) => {
      if (source.tabId !== this.target.tabId) return;
      this.attached = false;
      this.detachReason = reason;
      this.onChange();
    };
  }

  /** Whether this browser has chrome.debugger at all (Firefox does not). */
  static available(api) {
    return Boolean(api.debugger?.attach);
  }

  async start() {
    if (this.attached) return;
    const dbg = this.api.debugger;
    dbg.onEvent.addListener(this.onEvent);
    dbg.onDetach.addListener(this.onDetach);
    try {
      await dbg.attach(this.target, PROTOCOL);
      this.attached = true;
      this.since = Date.now();
      await dbg.sendCommand(this.target, 'Network.enable', {});
    } catch (error) {
      this.stopListening();
      this.attached = false;
      throw error;
    }
    this.onChange();
  }

  async stop() {
    this.stopListening();
    if (!this.attached) return;
    this.attached = false;
    try {
      await this.api.debugger.detach(this.target);
    } catch { /* already detached (tab closed, or the user cancelled the infobar) */ }
  }

  stopListening() {
    this.api.debugger.onEvent.removeListener(this.onEvent);
    this.api.debugger.onDetach.removeListener(this.onDetach);
  }

  event(method, p) {
    switch (method) {
      case 'Network.requestWillBeSent': {
        if (!/^https?:/i.test(String(p.request?.url ?? ''))) return;
        const list = this.byId.get(p.requestId) ?? [];
        const hop = { requestId: p.requestId, index: list.length, url: String(p.request.url).split('#')[0], method: String(p.request.method ?? 'GET'), matched: false };
        list.push(hop);
        this.byId.set(p.requestId, list);
        this.hops.push(hop);
        break;
      }
      case 'Network.requestWillBeSentExtraInfo':
        push(this.reqExtra, p.requestId, (p.associatedCookies ?? []).map((c) => ({
          name: String(c.cookie?.name ?? ''),
          reasons: (c.blockedReasons ?? []).map(String),
          exemption: c.exemptionReason ? String(c.exemptionReason) : null,
        })));
        break;
      case 'Network.responseReceivedExtraInfo':
        push(this.respExtra, p.requestId, (p.blockedCookies ?? []).map((c) => ({
          name: String(c.cookie?.name ?? ''),
          line: String(c.cookieLine ?? ''),
          reasons: (c.blockedReasons ?? []).map(String),
        })));
        break;
      default:
        return;
    }
    this.onChange();
  }

  /** The hop Chromium reported for a recorded HAR entry, or null (not observed). */
  hopFor(entry, cache) {
    if (cache.has(entry)) return cache.get(entry);
    const url = String(entry.request?.url ?? '');
    const method = String(entry.request?.method ?? 'GET');
    const hop = this.hops.find((x) => !x.matched && x.url === url && x.method === method) ?? null;
    if (hop) hop.matched = true;
    // Not seen (yet): final for a request from before the debugger was attached, else asked again.
    if (hop || Date.parse(entry.startedDateTime) < this.since) cache.set(entry, hop);
    return hop;
  }

  /**
   * For each recorded entry (HAR) and its replay (the core's prediction), Chromium's verdicts and
   * where they differ: [{ index, method, url, cookies: [...], setCookies: [...], observed }].
   */
  compare(hars, replays, cache) {
    const out = [];
    hars.forEach((har, i) => {
      const replay = replays[i];
      const hop = this.hopFor(har, cache);
      if (!hop || !replay) return;
      const sentTo = this.reqExtra.get(hop.requestId)?.[hop.index] ?? null;
      const refused = this.respExtra.get(hop.requestId)?.[hop.index] ?? null;
      const req = replay.request ?? {};
      const sent = new Set([...(req.cookiesSent ?? []), ...(req.preexisting ?? [])].map(String));
      const withheld = new Map((req.cookiesWithheld ?? []).map((w) => [String(w?.name ?? ''), (w?.reasons ?? []).map(reasonName)]));
      const cookies = (sentTo ?? []).map((c) => {
        const chromium = c.reasons.length ? 'withheld' : 'sent';
        const ours = sent.has(c.name) ? 'sent' : withheld.has(c.name) ? 'withheld' : 'unknown';
        const oursReasons = withheld.get(c.name) ?? [];
        return {
          name: c.name, chromium, chromiumReasons: c.reasons, ours, oursReasons,
          differs: ours !== 'unknown' && ours !== chromium,
          reasonsDiffer: ours === 'withheld' && chromium === 'withheld' && !sameSet(oursReasons, c.reasons),
        };
      });
      const setCookies = refused === null ? [] : (replay.response?.setCookies ?? []).map((sc) => {
        const block = refused.find((b) => b.line === String(sc.line ?? '')) ?? refused.find((b) => b.name === String(sc.name ?? ''));
        const chromium = block ? 'rejected' : 'stored';
        const ours = sc.stored || sc.deletes ? 'stored' : 'rejected';
        const oursReasons = (sc.reasons ?? []).map(reasonName);
        return {
          name: String(sc.name ?? ''), line: String(sc.line ?? ''), chromium, chromiumReasons: block?.reasons ?? [], ours, oursReasons,
          differs: ours !== chromium,
          reasonsDiffer: ours === 'rejected' && chromium === 'rejected' && !sameSet(oursReasons, block.reasons),
        };
      });
      out.push({ index: replay.index, method: replay.method, url: replay.url, observed: sentTo !== null || refused !== null, cookies, setCookies });
    });
    return out;
  }
}

function push(map, id, value) {
  const list = map.get(id) ?? [];
  list.push(value);
  map.set(id, list);
}

const reasonName = (r) => String(typeof r === 'string' ? r : r?.reason ?? '');
const sameSet = (a, b) => a.length === b.length && a.every((x) => b.includes(x));
