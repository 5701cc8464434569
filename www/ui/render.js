// The one rendering module for the core's reports, shared by the page and the browser extension.
//
// Every function takes a container element and (part of) a report returned by the core's
// `analyzeToken` or `analyzeSetCookie` and builds DOM with `h()`. Everything in a report is
// untrusted (it comes from pasted tokens and Set-Cookie lines), so text only ever reaches the page
// as text nodes or attribute values; no HTML strings, no inline styles in markup (positions are set
// through the CSSOM, which CSP allows). This module never parses tokens or cookies, decodes base64
// or does date maths: the core does, and gives positions as percents.

import { h, clear } from './dom.js';

const SEVERITY = {
  error: { icon: '✖', label: 'Error' },
  warning: { icon: '▲', label: 'Warning' },
  info: { icon: 'ℹ', label: 'Info' },
};

const SIGNATURE = {
  valid: 'Signature valid',
  invalid: 'Signature invalid',
  'not-checked': 'Signature not checked',
  unsigned: 'Unsigned (alg none)',
  missing: 'Signature missing',
  unsupported: 'Signature not checkable here',
  encrypted: 'Encrypted (JWE)',
  none: 'No signature',
};

const LIFETIME = {
  valid: 'Valid',
  expired: 'Expired',
  'not-yet-valid': 'Not yet valid',
  'no-expiry': 'No expiry',
  broken: 'Broken',
};

const SOURCE = {
  bare: 'bare token',
  bearer: 'Bearer token',
  'authorization-header': 'Authorization header',
  'cookie-header': 'Cookie header',
  'set-cookie-header': 'Set-Cookie header',
  'cookie-pair': 'cookie',
  json: 'JSON',
};

const list = (value) => (Array.isArray(value) ? value : []);
const text = (value) => (value === null || value === undefined ? '' : String(value));
const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A one-line summary of a report, for an aria-live region or a badge title. */
export function reportSummary(report) {
  if (!report) return '';
  const c = report.counts ?? {};
  const parts = [plural(c.error ?? 0, 'error'), plural(c.warning ?? 0, 'warning'), `${c.info ?? 0} info`];
  const life = report.lifetime?.summary ? ` — ${report.lifetime.summary}` : '';
  return `${parts.join(', ')}${life}`;
}

/** A `<section>` with a heading; `testid` goes on the section. */
function section(title, testid, ...children) {
  return h('section', { class: 'ci-section', 'data-testid': testid, 'aria-label': title },
    h('h2', { class: 'ci-h' }, title), ...children);
}

/**
 * Renders the whole report into `container` (its previous content is removed).
 * `options.sections` may list the sections to show, in order (default: all).
 */
export function renderReport(container, report, options = {}) {
  clear(container);
  if (!report || typeof report !== 'object') {
    renderError(container, 'The core returned no report.');
    return container;
  }
  const builders = {
    overview: renderOverview,
    token: renderTokenParts,
    lifetime: renderLifetime,
    findings: renderFindings,
    signature: renderSignature,
    claims: renderClaims,
    json: renderJson,
  };
  const order = options.sections ?? ['overview', 'token', 'lifetime', 'findings', 'signature', 'claims', 'json'];
  for (const name of order) {
    const el = builders[name]?.(h('div', { class: `ci-slot ci-slot-${name}` }), report);
    if (el && el.firstChild) container.appendChild(el);
  }
  return container;
}

/** A visible error panel (the core failed to load or stopped). */
export function renderError(container, message, detail) {
  clear(container);
  container.appendChild(
    h('div', { class: 'ci-error-panel', role: 'alert', 'data-testid': 'error-panel' },
      h('strong', null, text(message)),
      detail ? h('pre', { class: 'ci-pre' }, text(detail)) : null),
  );
  return container;
}

/** Kind, source and counts: the badges at the top. */
export function renderOverview(container, report) {
  const c = report.counts ?? {};
  const src = report.source ?? {};
  let where = SOURCE[src.kind] ?? text(src.kind);
  if (src.cookieName !== null && src.cookieName !== undefined) where += ` “${src.cookieName}”`;
  container.appendChild(
    h('div', { class: 'ci-overview' },
      h('span', { class: 'ci-badge ci-kind' }, text(report.kind).toUpperCase() || 'UNKNOWN'),
      h('span', { class: 'ci-meta' }, `from ${where}`, typeof src.length === 'number' ? ` · ${plural(src.length, 'char')}` : ''),
      h('span', { class: 'ci-counts' },
        countBadge('error', c.error), countBadge('warning', c.warning), countBadge('info', c.info)),
    ),
  );
  return container;
}

function countBadge(severity, n) {
  const s = SEVERITY[severity];
  return h('span', { class: `ci-count ci-sev-${severity}`, title: `${n ?? 0} ${s.label.toLowerCase()}` },
    h('span', { class: 'ci-icon', 'aria-hidden': 'true' }, s.icon), ` ${n ?? 0}`);
}

/** The token's dot-separated segments, each in its own colour. */
export function renderTokenParts(container, report) {
  const parts = list(report.parts);
  if (parts.length === 0) return container;
  const code = h('code', { class: 'ci-token' });
  parts.forEach((part, i) => {
    if (i > 0) code.appendChild(h('span', { class: 'ci-dot', 'aria-hidden': 'true' }, '.'));
    const name = text(part.name);
    code.appendChild(
      h('span', {
        class: `ci-part ci-part-${/^[a-z_]+$/.test(name) ? name : 'extra'}${part.ok === false ? ' ci-part-bad' : ''}`,
        title: part.ok === false ? `${name} (cannot be read)` : name,
        'data-part': name,
      }, text(part.text) || '∅'),
    );
  });
  const legend = h('ul', { class: 'ci-legend', 'aria-label': 'Token parts' },
    parts.map((part) => h('li', { class: `ci-legend-item ci-part-${text(part.name)}${part.ok === false ? ' ci-part-bad' : ''}` },
      h('span', { class: 'ci-swatch', 'aria-hidden': 'true' }), text(part.name), part.ok === false ? ' (unreadable)' : '')));
  container.appendChild(section('Token', 'token-parts', h('div', { class: 'ci-token-box' }, code), legend));
  return container;
}

/** Findings, in the order the core sorted them (errors first). */
export function renderFindings(container, report) {
  const findings = list(report.findings);
  const body = findings.length === 0
    ? h('p', { class: 'ci-empty' }, 'No findings.')
    : renderFindingList(findings);
  container.appendChild(section(`Findings (${findings.length})`, 'findings', body));
  return container;
}

/** The list of findings (`<ol>`) that every view uses: one item per finding, in the given order. */
export function renderFindingList(findings) {
  return h('ol', { class: 'ci-findings' }, list(findings).map(renderFinding));
}

function renderFinding(f) {
  const severity = SEVERITY[f.severity] ? f.severity : 'info';
  const s = SEVERITY[severity];
  return h('li', { class: `ci-finding ci-sev-${severity}`, 'data-testid': 'finding', 'data-code': text(f.code), 'data-severity': text(f.severity) },
    h('div', { class: 'ci-finding-head' },
      h('span', { class: 'ci-sev-label' }, h('span', { class: 'ci-icon', 'aria-hidden': 'true' }, s.icon), ` ${s.label}`),
      h('span', { class: 'ci-finding-title' }, text(f.title)),
      h('code', { class: 'ci-code' }, text(f.code))),
    f.detail ? h('p', { class: 'ci-detail' }, text(f.detail)) : null,
    f.fix ? fixBlock(text(f.fix)) : null,
    (f.spec || f.where)
      ? h('dl', { class: 'ci-refs' },
        f.where ? [h('dt', null, 'Where'), h('dd', null, h('code', null, text(f.where)))] : null,
        f.spec ? [h('dt', null, 'Spec'), h('dd', null, text(f.spec))] : null)
      : null,
  );
}

function fixBlock(fix) {
  const code = h('code', null, fix);
  const pre = h('pre', { class: 'ci-pre ci-fix-code' }, code);
  const button = copyButton(fix, code, 'Copy the fix', { 'data-testid': 'copy-fix' });
  return h('div', { class: 'ci-fix' }, h('div', { class: 'ci-fix-label' }, 'Fix'), h('div', { class: 'ci-fix-body' }, pre, button));
}

/** Copies text: the async clipboard API, else a selection and execCommand, else just selects it. */
export async function copyText(value, node) {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(value);
      return true;
    }
  } catch { /* fall through: insecure context or permission denied */ }
  try {
    const selection = window.getSelection();
    const range = document.createRange();
    range.selectNodeContents(node);
    selection.removeAllRanges();
    selection.addRange(range);
    const ok = document.execCommand('copy');
    if (ok) selection.removeAllRanges();
    return ok;
  } catch {
    return false;
  }
}

/** The lifetime bar: valid range shaded, a marker per iat/nbf/exp/now at its percent position. */
export function renderLifetime(container, report) {
  const life = report.lifetime;
  if (!life) return container;
  const status = text(life.status);
  const bar = h('div', { class: 'ci-bar', role: 'img', 'aria-label': `Token lifetime: ${text(life.summary)}` });
  const track = h('div', { class: 'ci-track' });
  bar.appendChild(track);
  if (life.valid && Number.isFinite(life.valid.from) && Number.isFinite(life.valid.to)) {
    const range = h('div', { class: `ci-valid${life.valid.openEnded ? ' ci-open' : ''}`, title: life.valid.openEnded ? 'valid (open-ended)' : 'valid' });
    range.style.left = `${clamp(life.valid.from)}%`;
    range.style.width = `${Math.max(0, clamp(life.valid.to) - clamp(life.valid.from))}%`;
    track.appendChild(range);
  }
  // Sort by position and put labels that would overlap on alternate rows (a layout choice only).
  const markers = list(life.markers)
    .filter((m) => Number.isFinite(m.position))
    .slice()
    .sort((a, b) => a.position - b.position);
  const lastRowEnd = [-Infinity, -Infinity, -Infinity];
  let rows = 1;
  for (const m of markers) {
    const pos = clamp(m.position);
    const width = Math.min(45, 2 + text(m.label).length * 0.75); // rough label width in percent
    const anchor = pos < 12 ? 'start' : pos > 88 ? 'end' : 'middle';
    const start = anchor === 'start' ? pos : anchor === 'end' ? pos - width : pos - width / 2;
    let row = lastRowEnd.findIndex((end) => start > end + 1);
    if (row < 0) row = lastRowEnd.indexOf(Math.min(...lastRowEnd));
    lastRowEnd[row] = start + width;
    rows = Math.max(rows, row + 1);
    bar.appendChild(renderMarker(m, pos, row, anchor));
  }
  bar.classList.add(`ci-rows-${rows}`);
  container.appendChild(section('Lifetime', 'lifetime',
    h('div', { class: `ci-life ci-life-${status}`, 'data-status': status },
      h('p', { class: 'ci-life-caption' },
        h('span', { class: `ci-badge ci-status ci-status-${status}` }, LIFETIME[status] ?? status),
        ' ', h('span', { class: 'ci-life-summary' }, text(life.summary))),
      bar)));
  return container;
}

function renderMarker(m, pos, row, anchor) {
  const name = text(m.name);
  const clipped = m.clipped === 'before' || m.clipped === 'after' ? m.clipped : null;
  const arrow = clipped === 'before' ? '← ' : '';
  const arrowAfter = clipped === 'after' ? ' →' : '';
  const classes = ['ci-marker', `ci-marker-${/^[a-z_]+$/.test(name) ? name : 'other'}`, `ci-row-${row}`];
  if (clipped) classes.push(`ci-clipped-${clipped}`);
  if (m.suspect) classes.push('ci-suspect');
  if (anchor !== 'middle') classes.push(`ci-anchor-${anchor}`);
  const title = [text(m.label), m.iso ? text(m.iso) : null, clipped ? `off the bar (${clipped})` : null, m.suspect ? 'suspect value' : null]
    .filter(Boolean).join(' — ');
  const el = h('div', {
    class: classes.join(' '),
    'data-testid': 'lifetime-marker',
    'data-name': name,
    'data-clipped': clipped ?? '',
    'data-suspect': m.suspect ? 'true' : 'false',
    title,
  },
  h('span', { class: 'ci-tick', 'aria-hidden': 'true' }),
  h('span', { class: 'ci-marker-label' }, arrow, text(m.label), arrowAfter));
  el.style.left = `${pos}%`;
  return el;
}

const clamp = (n) => Math.min(100, Math.max(0, Number(n) || 0));

/** The signature verdict. */
export function renderSignature(container, report) {
  const sig = report.signature;
  if (!sig) return container;
  const status = text(sig.status);
  container.appendChild(section('Signature', 'signature',
    h('div', { class: `ci-sig ci-sig-${status}`, 'data-status': status },
      h('span', { class: `ci-badge ci-sig-badge ci-sig-${status}` }, SIGNATURE[status] ?? status),
      sig.alg ? h('code', { class: 'ci-alg' }, text(sig.alg)) : null,
      h('p', { class: 'ci-detail' }, text(sig.detail)))));
  return container;
}

/** The time claims as a table. */
export function renderClaims(container, report) {
  const claims = list(report.claims);
  if (claims.length === 0) return container;
  const head = h('thead', null, h('tr', null,
    ['Claim', 'Raw value', 'Time (UTC)', 'Relative', 'Read as', 'Note'].map((t) => h('th', { scope: 'col' }, t))));
  const rows = claims.map((c) => {
    const reading = text(c.reading);
    const odd = reading !== 'seconds';
    return h('tr', { class: odd ? 'ci-odd' : null, 'data-claim': text(c.name) },
      h('th', { scope: 'row' }, h('code', null, text(c.name))),
      h('td', null, h('code', null, rawText(c.raw))),
      h('td', null, c.iso ? h('code', null, text(c.iso)) : '—'),
      h('td', null, text(c.relative) || '—'),
      h('td', null, h('span', { class: `ci-reading${odd ? ' ci-reading-odd' : ''}` }, reading)),
      h('td', { class: 'ci-note' }, text(c.note)));
  });
  container.appendChild(section('Time claims', 'claims',
    h('div', { class: 'ci-table-wrap' }, h('table', { class: 'ci-table' }, head, h('tbody', null, rows)))));
  return container;
}

function rawText(raw) {
  if (typeof raw === 'string') return JSON.stringify(raw);
  if (raw === undefined) return '';
  try { return JSON.stringify(raw) ?? String(raw); } catch { return String(raw); }
}

/** Header and payload, pretty-printed by the core (falls back to JSON.stringify of the values). */
export function renderJson(container, report) {
  const blocks = [];
  for (const [key, title] of [['header', 'Header'], ['payload', 'Payload']]) {
    const pretty = report[`${key}Text`] ?? (report[key] !== null && report[key] !== undefined ? JSON.stringify(report[key], null, 2) : null);
    if (pretty === null || pretty === undefined) continue;
    blocks.push(h('figure', { class: `ci-json ci-json-${key}`, 'data-testid': `json-${key}` },
      h('figcaption', null, title), h('pre', { class: 'ci-pre' }, h('code', null, text(pretty)))));
  }
  if (blocks.length) container.appendChild(section('Decoded', 'decoded', h('div', { class: 'ci-json-grid' }, blocks)));
  return container;
}

// ---------------------------------------------------------------------------------------------
// The "what if" view: a report from the core's `analyzeSetCookie` — per Set-Cookie line whether
// the browser stores the cookie and whether the next request carries it, with Chromium's
// (DevTools') reason names. Counting and joining only: every verdict comes from the core.

const DECISION = {
  stored: { label: 'Stored', tone: 'ok' },
  rejected: { label: 'Rejected', tone: 'bad' },
  deletesExisting: { label: 'Deletes the stored cookie', tone: 'warn' },
};

const cookieName = (name) => (text(name) === '' ? '(no name)' : text(name));
const reasonNames = (reasons) => list(reasons).map((r) => text(typeof r === 'string' ? r : r?.reason)).filter(Boolean);

/** Where a line ends up: 'stored' | 'rejected' | … and whether the next request carries it. */
function lineVerdict(line) {
  const storage = line?.storage ?? null;
  const sending = line?.sending ?? null;
  const decision = storage ? text(storage.decision) : '';
  const storedReasons = storage
    ? (list(storage.explained).length ? reasonNames(storage.explained) : reasonNames(storage.reasons))
    : [];
  return {
    decision,
    stored: decision === 'stored',
    storedReasons,
    sent: sending?.sent === true,
    sending,
    sendReasons: reasonNames(sending?.reasons),
    replaced: sending?.replacedByLaterLine === true,
    laxAllowingUnsafe: sending?.laxAllowingUnsafe === true,
  };
}

/** The one-sentence summary as a list of parts: strings, and { code } for names and reasons. */
function summaryParts(report) {
  const lines = list(report?.lines);
  if (lines.length === 0) return ['No Set-Cookie lines.'];
  if (!report.nextRequest) {
    return [`${plural(lines.length, 'line')} read, but the browser's verdict could not be worked out: see the findings.`];
  }
  const verdicts = lines.map((line) => ({ line, v: lineVerdict(line) }));
  const sent = verdicts.filter(({ v }) => v.sent).length;
  const parts = [`${sent} of ${plural(lines.length, 'cookie')} ${sent === 1 && lines.length === 1 ? 'reaches' : 'reach'} the next request`];
  const issues = [];
  for (const { line, v } of verdicts) {
    if (v.sent) continue;
    const name = { code: cookieName(line.cookie?.name) };
    const reasons = (names) => names.flatMap((r, i) => (i ? [', ', { code: r }] : [{ code: r }]));
    if (v.decision === 'rejected') issues.push([name, ' is rejected', v.storedReasons.length ? ': ' : '', ...reasons(v.storedReasons)]);
    else if (v.decision === 'deletesExisting') issues.push([name, ' deletes the stored cookie']);
    else if (v.replaced) issues.push([name, ` (line ${text(line.lineNumber)}) is replaced by a later line`]);
    else if (v.sending) issues.push([name, ' is withheld', v.sendReasons.length ? ': ' : '', ...reasons(v.sendReasons)]);
    else if (v.decision) issues.push([name, ' is not sent']);
  }
  const shown = issues.slice(0, 4);
  shown.forEach((issue, i) => parts.push(i === 0 ? '; ' : ', ', ...issue));
  if (issues.length > shown.length) parts.push(`, and ${issues.length - shown.length} more`);
  parts.push('.');
  return parts;
}

/** The summary as plain text, for an aria-live region. */
export function setCookieSummary(report) {
  return summaryParts(report).map((p) => (typeof p === 'string' ? p : p.code)).join('');
}

/**
 * Renders a whole `analyzeSetCookie` report into `container` (its previous content is removed):
 * report-level findings, the summary with the next request's Cookie header, then a card per line.
 * `options.nextLabel` may describe the next request in words (the page knows which it chose).
 */
export function renderSetCookieReport(container, report, options = {}) {
  clear(container);
  if (!report || typeof report !== 'object') {
    renderError(container, 'The core returned no report.');
    return container;
  }
  const top = list(report.findings);
  if (top.length) container.appendChild(section(`Findings (${top.length})`, 'findings', renderFindingList(top)));
  renderSetCookieSummary(container, report, options);
  const lines = list(report.lines);
  if (lines.length) {
    container.appendChild(h('ol', { class: 'sc-lines', 'aria-label': 'Set-Cookie lines' },
      lines.map((line) => h('li', null, renderSetCookieLine(line)))));
  }
  return container;
}

/** The summary sentence and the Cookie header the next request carries. */
export function renderSetCookieSummary(container, report, options = {}) {
  const next = report.nextRequest ?? null;
  const sentence = h('p', { class: 'sc-summary', 'data-testid': 'setcookie-summary' },
    summaryParts(report).map((p) => (typeof p === 'string' ? p : h('code', null, p.code))));
  let header = null;
  if (next) {
    const value = text(next.header);
    const code = h('code', { class: 'sc-header-value' }, value === '' ? '' : value);
    header = h('div', { class: `sc-header${value === '' ? ' sc-header-empty' : ''}`, 'data-testid': 'cookie-header', 'data-header': value },
      h('span', { class: 'sc-header-name' }, 'Cookie:'),
      value === ''
        ? h('span', { class: 'sc-header-none' }, 'no Cookie header — the next request carries no cookies')
        : code,
      value === '' ? null : copyButton(`Cookie: ${value}`, code, 'Copy the Cookie header'));
  }
  container.appendChild(section('Next request', 'next-request',
    options.nextLabel ? h('p', { class: 'sc-next-label' }, text(options.nextLabel)) : null,
    sentence, header));
  return container;
}

/** One line's card: the raw line, the two verdicts with reasons, the attributes, the findings. */
export function renderSetCookieLine(line) {
  const v = lineVerdict(line);
  const cookie = line?.cookie ?? null;
  const name = cookie ? text(cookie.name) : '';
  const card = h('article', {
    class: `sc-card sc-card-${cardTone(v)}`,
    'data-testid': 'setcookie-line',
    'data-line': text(line?.lineNumber),
    'data-name': name,
    'data-stored': v.stored ? 'true' : 'false',
    'data-decision': v.decision,
    'data-sent': v.sent ? 'true' : 'false',
    'aria-label': `Line ${text(line?.lineNumber)}: ${cookieName(name)}`,
  });
  card.appendChild(h('header', { class: 'sc-card-head' },
    h('span', { class: 'sc-lineno', title: 'line number in the input' }, `L${text(line?.lineNumber)}`),
    h('code', { class: 'sc-raw', title: 'the line as the server sent it' }, text(line?.line))));
  card.appendChild(renderVerdicts(line, v));
  const stored = line?.storage?.cookie;
  if (stored && v.decision === 'stored') card.appendChild(renderStoredAs(stored));
  if (cookie) card.appendChild(renderAttributes(cookie));
  const findings = list(line?.findings);
  if (findings.length) {
    // Errors and warnings stay open, except those that only repeat a reason shown in the verdict
    // above (same fix); those and the info notes are one click away.
    const shownFixes = new Set([...list(line?.storage?.explained), ...list(line?.sending?.reasons)].map((r) => text(r.fix)).filter(Boolean));
    const loud = (f) => (f.severity === 'error' || f.severity === 'warning') && !shownFixes.has(text(f.fix));
    const open = findings.filter(loud);
    const folded = findings.filter((f) => !loud(f));
    card.appendChild(h('div', { class: 'sc-findings' },
      open.length ? renderFindingList(open) : null,
      folded.length
        ? h('details', { class: 'sc-notes' },
          h('summary', null, open.length ? `${plural(folded.length, 'more finding')}` : plural(folded.length, 'finding'),
            h('span', { class: 'sc-notes-codes' }, ` — ${folded.map((f) => text(f.code)).join(', ')}`)),
          renderFindingList(folded))
        : null));
  }
  return card;
}

function cardTone(v) {
  if (v.sent) return 'sent';
  if (v.decision === 'rejected') return 'rejected';
  if (v.decision === 'deletesExisting') return 'deletes';
  if (v.replaced) return 'replaced';
  return v.sending ? 'withheld' : 'unknown';
}

function verdictBadge(kind, tone, label, reasons) {
  return h('span', { class: `ci-badge sc-verdict sc-tone-${tone}`, 'data-verdict': kind },
    label, reasons.length ? ': ' : '',
    reasons.map((r, i) => [i ? ', ' : '', h('span', { class: 'sc-reason-name' }, r)]));
}

function renderVerdicts(line, v) {
  const storage = line?.storage ?? null;
  // Storage.
  let storeBadge;
  if (!storage) storeBadge = verdictBadge('storage', 'muted', 'Not evaluated', []);
  else {
    const d = DECISION[v.decision] ?? { label: v.decision || 'Unknown', tone: 'muted' };
    storeBadge = verdictBadge('storage', d.tone, d.label, v.decision === 'rejected' ? v.storedReasons : []);
  }
  // Sending.
  let sendBadge;
  let sendNote = null;
  if (v.sent) {
    sendBadge = verdictBadge('sending', v.laxAllowingUnsafe ? 'warn' : 'ok', 'Sent', []);
    if (v.laxAllowingUnsafe) {
      sendNote = 'Only within Chromium\'s two-minute Lax-allowing-unsafe window: the same request after 120 seconds goes without it.';
    }
  } else if (v.sending) {
    if (v.replaced) {
      sendBadge = verdictBadge('sending', 'muted', 'Replaced by a later line', []);
      sendNote = 'A later line sets a cookie with the same name, domain and path, so this value never reaches a request.';
    } else {
      sendBadge = verdictBadge('sending', 'bad', 'Withheld', v.sendReasons);
      if (v.sendReasons.length === 0) {
        const f = list(line.findings).find((x) => x.code === 'cookie.withheld');
        sendNote = f ? text(f.title) : 'The browser has no reason name for this; see the findings.';
      }
    }
  } else {
    sendBadge = verdictBadge('sending', 'muted', storage ? 'Not sent' : 'Not evaluated', []);
    if (v.decision === 'rejected') sendNote = 'Never stored, so never sent.';
    else if (v.decision === 'deletesExisting') sendNote = 'The line removes the cookie, so no request carries it.';
  }
  const reasons = [
    ...list(storage?.explained).map((r) => ({ phase: 'Storage', ...r })),
    ...list(line?.sending?.reasons).map((r) => ({ phase: 'Next request', ...r })),
  ];
  return h('div', { class: 'sc-verdicts' },
    h('div', { class: 'sc-badges' },
      h('span', { class: 'sc-badge-label' }, 'Storage'), storeBadge,
      h('span', { class: 'sc-badge-label' }, 'Next request'), sendBadge),
    sendNote ? h('p', { class: 'sc-note' }, sendNote) : null,
    reasons.length
      ? h('ul', { class: 'sc-reasons' }, reasons.map((r) => h('li', { class: 'sc-reason', 'data-reason': text(r.reason) },
        h('div', { class: 'sc-reason-head' },
          h('code', { class: 'sc-reason-code', title: 'the reason name Chromium DevTools shows' }, text(r.reason)),
          h('span', { class: 'sc-reason-phase' }, r.phase)),
        r.explanation ? h('p', { class: 'sc-reason-text' }, text(r.explanation)) : null,
        r.fix ? fixBlock(text(r.fix)) : null)))
      : null);
}

/** What the browser keeps: the stored cookie's scope and flags, as the core computed them. */
function renderStoredAs(c) {
  const chip = (label, value, title) => h('span', { class: 'sc-chip', title: title ?? null },
    h('span', { class: 'sc-chip-k' }, label), value === undefined ? null : h('code', null, value));
  return h('div', { class: 'sc-stored-as', 'aria-label': 'Stored as' },
    h('span', { class: 'sc-stored-label' }, 'Stored as'),
    chip(c.hostOnly ? 'host-only' : 'domain', text(c.domain),
      c.hostOnly ? 'sent to this host only' : 'sent to this domain and its subdomains'),
    chip('path', text(c.path), 'sent only to request paths under this one'),
    chip(c.expiry === null || c.expiry === undefined ? 'session cookie' : 'persistent'),
    c.secure ? chip('Secure') : null,
    c.httpOnly ? chip('HttpOnly') : null,
    chip('SameSite', text(c.sameSite) || '—'),
    c.partitioned ? chip('Partitioned', c.partitionKey ? text(c.partitionKey) : undefined) : null);
}

/** The pair and the attributes as the server wrote them, and whether the browser used each. */
function renderAttributes(cookie) {
  const attrs = list(cookie.attributes);
  const pair = h('p', { class: 'sc-pair' },
    h('span', { class: 'sc-pair-k' }, 'name'), h('code', { class: 'sc-pair-v' }, text(cookie.name) === '' ? '(empty)' : text(cookie.name)),
    h('span', { class: 'sc-pair-k' }, 'value'), h('code', { class: 'sc-pair-v sc-value' }, text(cookie.value) === '' ? '(empty)' : text(cookie.value)));
  if (attrs.length === 0) return h('div', { class: 'sc-attrs' }, pair, h('p', { class: 'ci-empty sc-no-attrs' }, 'No attributes.'));
  const head = h('thead', null, h('tr', null, ['Attribute', 'Value', 'Browser'].map((t) => h('th', { scope: 'col' }, t))));
  const rows = attrs.map((a) => h('tr', { class: a.used ? null : 'sc-ignored', 'data-attribute': text(a.name) },
    h('th', { scope: 'row' }, h('code', null, text(a.name))),
    h('td', null, a.value === null || a.value === undefined ? h('span', { class: 'sc-flag' }, 'flag') : h('code', { class: 'sc-value' }, text(a.value))),
    h('td', null, h('span', { class: a.used ? 'sc-used' : 'sc-unused' }, a.used ? 'used' : 'ignored'),
      a.note ? h('span', { class: 'sc-attr-note' }, ` — ${text(a.note)}`) : null)));
  return h('div', { class: 'sc-attrs' }, pair,
    h('div', { class: 'ci-table-wrap' }, h('table', { class: 'ci-table sc-attr-table' }, head, h('tbody', null, rows))));
}

/** A Copy button for `value` (`node` is selected instead where the clipboard is unavailable). */
function copyButton(value, node, label, attrs = {}) {
  const button = h('button', { type: 'button', class: 'ci-copy', 'aria-label': label, ...attrs }, 'Copy');
  button.addEventListener('click', async () => {
    const ok = await copyText(value, node);
    button.textContent = ok ? 'Copied' : 'Select and copy';
    button.classList.toggle('ci-copied', ok);
    setTimeout(() => { button.textContent = 'Copy'; button.classList.remove('ci-copied'); }, 1500);
  });
  return button;
}
