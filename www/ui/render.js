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
// Untrusted text as shown: bidirectional overrides and isolates (U+202A–202E, U+2066–2069, the
// marks) would reorder what is displayed — "\u202Egnp.exe" reads "exe.png" — so they are shown as
// their code point; other control characters as their Unicode control pictures. The value itself
// (copied, exported) is untouched.
const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const visible = (c) => {
  const code = c.codePointAt(0);
  if (code < 0x20) return String.fromCodePoint(0x2400 + code);
  if (code === 0x7f) return '\u2421';
  return `⟨U+${code.toString(16).toUpperCase().padStart(4, '0')}⟩`;
};
const text = (value) => (value === null || value === undefined ? '' : String(value).replace(INVISIBLE, visible));
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

/** Empties `container` for a report: false, with an error shown, when the core gave none. */
function beginReport(container, report, what) {
  clear(container);
  if (report && typeof report === 'object') return true;
  renderError(container, `The core returned no ${what}.`);
  return false;
}

/**
 * Renders the whole report into `container` (its previous content is removed).
 * `options.sections` may list the sections to show, in order (default: all).
 */
export function renderReport(container, report, options = {}) {
  if (!beginReport(container, report, 'report')) return container;
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

/**
 * The list of findings (`<ol>`) that every view uses: one item per finding, in the given order.
 * `options.head(finding)` may return extra nodes for a finding's head line (e.g. a link to an entry).
 */
export function renderFindingList(findings, options = {}) {
  return h('ol', { class: 'ci-findings' }, list(findings).map((f) => renderFinding(f, options)));
}

function renderFinding(f, options = {}) {
  const severity = SEVERITY[f.severity] ? f.severity : 'info';
  const s = SEVERITY[severity];
  return h('li', { class: `ci-finding ci-sev-${severity}`, 'data-testid': 'finding', 'data-code': text(f.code), 'data-severity': text(f.severity) },
    h('div', { class: 'ci-finding-head' },
      h('span', { class: 'ci-sev-label' }, h('span', { class: 'ci-icon', 'aria-hidden': 'true' }, s.icon), ` ${s.label}`),
      h('span', { class: 'ci-finding-title' }, text(f.title)),
      h('code', { class: 'ci-code' }, text(f.code)),
      options.head ? options.head(f) : null),
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
  if (!beginReport(container, report, 'report')) return container;
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

// ---------------------------------------------------------------------------------------------
// The HAR view: a report from the core's `analyzeHar` — every request of a recorded sign-in
// replayed through the cookie jar. The headline, a timeline (requests as rows, cookies as
// columns), the findings with their fixes and the tokens seen in the flow. As everywhere here,
// every name, URL and reason is untrusted text (the HAR may come from anyone) and every verdict
// comes from the core; this code only counts, looks up and lays out.
//
// Long flows: rows are built a chunk at a time (CHUNK rows), when a chunk nears the visible part
// of the timeline and otherwise in idle time; chunks that are built but off-screen skip layout and
// paint (content-visibility). By default a flow of more than SHOW_ALL_UP_TO requests shows only
// its key requests (cookie changes, withheld cookies, navigations, requests with findings).

const FLOW_ROW_PX = 26; // one timeline row; keep equal to .har-row's height in style.css
const FLOW_CHUNK = 100;
const FLOW_COL_PX = 124; // a cookie's column
const FLOW_DROP_COL_PX = 200; // the first drop's column: room for its reason
const SHOW_ALL_UP_TO = 300;

const SITE = {
  strict: { tone: 'same', label: 'same-site', title: 'Same-site request (context “strict”): Strict, Lax and None cookies can be sent.' },
  lax: { tone: 'cross', label: 'cross-site', note: 'nav', title: 'Cross-site top-level navigation with a safe method (context “lax”): Lax and None cookies can be sent, Strict cookies are withheld.' },
  laxMethodUnsafe: { tone: 'cross', label: 'cross-site', note: 'POST', title: 'Cross-site top-level navigation with an unsafe method such as POST (context “laxMethodUnsafe”): Strict and Lax cookies are withheld (Lax-by-default ones ride along for two minutes after they were set).' },
  crossSite: { tone: 'cross', label: 'cross-site', note: 'sub', title: 'Cross-site subresource, fetch or frame (context “crossSite”): only SameSite=None cookies can be sent, and only where third-party cookies are allowed.' },
};

const KIND = {
  navigation: { label: 'doc', title: 'top-level navigation' },
  iframe: { label: 'frame', title: 'iframe or embedded document' },
  fetch: { label: 'xhr', title: 'fetch / XHR' },
  image: { label: 'sub', title: 'subresource (image, script, style…)' },
};

const CELL = {
  set: { glyph: '●', label: 'set (stored)' },
  rejected: { glyph: '⊘', label: 'rejected' },
  deleted: { glyph: '⌫', label: 'deleted' },
  cleared: { glyph: '⌫', label: 'deleted by Clear-Site-Data, with every cookie of the site' },
  evicted: { glyph: '⌫', label: 'evicted: the site passed the browser’s limit of cookies' },
  sent: { glyph: '✓', label: 'sent' },
  withheld: { glyph: '✗', label: 'withheld' },
  omitted: { glyph: '⊝', label: 'not attached: the request does not include credentials' },
  // A font, a module script…: CORS-mode subresources never include credentials.
  uncredentialed: { glyph: '⊝', label: 'not attached: this kind of request never includes credentials' },
  preexisting: { glyph: '✓', label: 'sent, set before the recording started' },
  mismatch: { glyph: '≠', label: 'the recording differs from the prediction' },
};

const flowStates = new WeakMap(); // container → the state of its timeline
const fmt = (n) => (Number.isFinite(n) ? n.toLocaleString('en-US') : text(n));
const isIndex = (n) => Number.isInteger(n) && n >= 0;

/** The path and query of a URL, for a short label (display only: everything after the host). */
function pathLabel(url) {
  const s = text(url);
  const at = s.indexOf('://');
  if (at < 0) return s;
  const slash = s.indexOf('/', at + 3);
  return slash < 0 ? '/' : s.slice(slash);
}

/** The headline and counts as one line of text, for an aria-live region. */
export function flowSummary(report) {
  if (!report) return '';
  const c = report.counts ?? {};
  return `${text(report.headline)} ${plural(list(report.entries).length, 'request')}; ${plural(c.error ?? 0, 'error')}, ${plural(c.warning ?? 0, 'warning')}.`;
}

/**
 * Renders a whole `analyzeHar` report into `container` (its previous content is removed): the
 * headline, the timeline, the findings and the tokens. The first drop is selected and scrolled
 * into view. Options: `showAll` (every request in the timeline; default only for short flows),
 * `maxFindings` (shown before a "show all" button, default 100), `maxTokens` (default 50),
 * `onSelect(entryIndex)` (called when a row is selected), `copyText()` (resolves to the report
 * as plain text: with it, the headline has a "Copy as text" button).
 */
export function renderFlowReport(container, report, options = {}) {
  const old = flowStates.get(container);
  if (old) old.dispose();
  clear(container);
  if (!report || typeof report !== 'object' || !Array.isArray(report.entries)) {
    renderError(container, 'The core returned no flow report.');
    return container;
  }
  const entries = list(report.entries);
  const findings = list(report.findings);
  const drop = report.firstDrop && isIndex(report.firstDrop.entry) ? report.firstDrop : null;
  const state = {
    container,
    report,
    entries,
    byIndex: new Map(entries.map((e) => [e.index, e])),
    findingsByEntry: new Map(),
    cookies: list(report.cookies).map(text),
    drop,
    options,
    showAll: options.showAll ?? entries.length <= SHOW_ALL_UP_TO,
    count: entries.length, // entries drawn so far (updateFlowReport appends after them)
    selected: null,
    disposed: false,
    dispose() {
      this.disposed = true;
      this.observer?.disconnect();
    },
  };
  for (const f of findings) {
    if (!isIndex(f.entry)) continue;
    if (!state.findingsByEntry.has(f.entry)) state.findingsByEntry.set(f.entry, []);
    state.findingsByEntry.get(f.entry).push(f);
  }
  flowStates.set(container, state);

  container.appendChild(renderFlowHeadline(state));
  if (entries.length) container.appendChild(renderTimeline(state));
  container.appendChild(renderFlowFindings(state));
  const tokens = renderFlowTokens(state);
  if (tokens) container.appendChild(tokens);
  if (drop) selectFlowEntry(container, drop.entry, { scroll: true });
  return container;
}

/** Selects a request of a rendered flow report (opens its details, scrolls it into view). */
export function selectFlowEntry(container, index, { focus = false, scroll = true } = {}) {
  const state = flowStates.get(container);
  if (!state || !state.byIndex.has(index) || !state.body) return false;
  if (!state.positions.has(index)) {
    state.showAll = true; // hidden by the filter: show every request
    state.toggle.checked = true;
    fillTimeline(state);
  }
  const row = ensureRow(state, index);
  if (!row) return false;
  if (state.selected !== null && state.selected !== index) closeDetails(state, state.selected);
  if (state.selected !== index) openDetails(state, index, row);
  state.selected = index;
  if (scroll) scrollRowIntoView(state, row);
  if (focus) row.querySelector('.har-idx')?.focus({ preventScroll: true });
  state.options.onSelect?.(index);
  return true;
}

function renderFlowHeadline(state) {
  const { report, drop, entries } = state;
  const c = report.counts ?? {};
  const bad = drop !== null || (c.error ?? 0) > 0;
  const count = (n, word) => `${fmt(n)} ${word}${n === 1 ? '' : 's'}`;
  const facts = [count(entries.length, 'request'), count(state.cookies.length, 'cookie'), count(list(report.tokens).length, 'token')];
  let dropLine = null;
  if (drop) {
    const at = state.byIndex.get(drop.entry);
    const reasons = reasonNames(drop.reasons);
    dropLine = h('p', { class: 'har-drop-line' },
      h('span', { class: 'har-drop-k' }, 'First drop'),
      gotoButton(state, drop.entry, `#${drop.entry}${at ? ` ${text(at.method)} ${pathLabel(at.url)}` : ''}`),
      h('span', { class: 'har-drop-k' }, 'cookie'), h('code', { class: 'har-drop-cookie' }, cookieName(drop.cookie)),
      h('span', { class: `ci-badge har-drop-kind har-state-${/^[a-z-]+$/.test(text(drop.kind)) ? text(drop.kind) : 'other'}` }, text(drop.kind)),
      reasons.length ? h('span', { class: 'har-drop-reasons' }, reasons.map((r, i) => [i ? ', ' : '', h('code', null, r)])) : null,
      isIndex(drop.setBy) ? [h('span', { class: 'har-drop-k' }, 'set by'), gotoButton(state, drop.setBy, `#${drop.setBy}`)] : null);
  }
  // No cookie was lost, and an error finding is the headline (the page's own check sent the
  // user to sign in, say): its hop and its fix stand where a drop's would.
  const lead = drop || !isIndex(report.headlineFinding) ? null : list(report.findings)[report.headlineFinding];
  if (lead && isIndex(lead.entry)) {
    const at = state.byIndex.get(lead.entry);
    dropLine = h('p', { class: 'har-drop-line' },
      h('span', { class: 'har-drop-k' }, 'At'),
      gotoButton(state, lead.entry, `#${lead.entry}${at ? ` ${text(at.method)} ${pathLabel(at.url)}` : ''}`),
      h('code', { class: 'har-drop-code' }, text(lead.code)));
  }
  return h('section', { class: `har-headline har-tone-${bad ? 'bad' : 'ok'}`, 'data-testid': 'har-headline', 'aria-label': 'Verdict' },
    h('p', { class: 'har-headline-text' },
      h('span', { class: 'har-headline-icon', 'aria-hidden': 'true' }, bad ? '✖' : '✓'),
      h('span', null, text(report.headline))),
    dropLine,
    headlineFix(drop ? drop.fix : lead?.fix),
    otherBrowserLine(report),
    h('div', { class: 'har-facts' },
      h('span', { class: 'ci-counts' }, countBadge('error', c.error), countBadge('warning', c.warning), countBadge('info', c.info)),
      h('span', { class: 'har-fact' }, facts.join(' · ')),
      report.creator ? h('span', { class: 'har-fact' }, `recorded with ${text(report.creator)}`) : null,
      h('span', { class: 'har-fact', 'data-testid': 'har-rules' }, `replayed with ${report.browser === 'firefox' ? 'Firefox' : 'Chromium'}'s cookie rules`),
      copyReportButton(state)));
}

/**
 * "Copy as text": the report as plain text for a bug report, which the host makes with the core
 * (`options.copyText()`, resolving to the text: tokens' signatures redacted), into the clipboard.
 * Where the clipboard is unavailable the text is shown, selected, to copy by hand.
 */
function copyReportButton(state) {
  const make = state.options.copyText;
  if (typeof make !== 'function') return null;
  const label = 'Copy as text';
  const button = h('button', {
    type: 'button', class: 'ci-copy har-copy-text', 'data-testid': 'har-copy-text',
    title: 'Copy the verdict, every request and the findings as plain text for a bug report (token signatures redacted)',
  }, label);
  const shown = h('textarea', { class: 'har-copy-shown', readonly: '', rows: '8', hidden: '', 'aria-label': 'The report as text', 'data-testid': 'har-copy-shown' });
  const done = (words, ok) => {
    button.textContent = words;
    button.classList.toggle('ci-copied', ok);
    setTimeout(() => { button.textContent = label; button.classList.remove('ci-copied'); }, 1500);
  };
  button.addEventListener('click', async () => {
    button.disabled = true;
    let value = null;
    try {
      value = await make();
    } catch { /* reported below */ }
    button.disabled = false;
    if (typeof value !== 'string') {
      done('Could not make the text', false);
      return;
    }
    shown.value = value;
    let ok = false;
    try {
      if (navigator.clipboard?.writeText) {
        await navigator.clipboard.writeText(value);
        ok = true;
      }
    } catch { /* shown below instead */ }
    shown.hidden = ok;
    if (!ok) {
      shown.focus();
      shown.select();
      try { ok = document.execCommand('copy'); } catch { ok = false; }
    }
    done(ok ? 'Copied' : 'Select and copy', ok);
  });
  return h('span', { class: 'har-copy' }, button, shown);
}

/** What the flow comes to under the other browser's cookie rules, when it was compared. */
function otherBrowserLine(report) {
  const other = report.otherBrowser;
  if (!other || typeof other !== 'object') return null;
  const name = other.browser === 'firefox' ? 'Firefox' : 'Chromium';
  const lost = other.firstDrop && isIndex(other.firstDrop.entry);
  return h('p', { class: `har-other-browser har-tone-${lost ? 'bad' : 'ok'}`, 'data-testid': 'har-other-browser' },
    h('span', { class: 'har-drop-k' }, `With ${name}'s rules`), ' ', text(other.headline));
}

/** The fix under the verdict: the first drop's (`firstDrop.fix`), or the leading error's. */
function headlineFix(fix) {
  return fix ? h('div', { class: 'har-headline-fix', 'data-testid': 'har-headline-fix' }, fixBlock(text(fix))) : null;
}

function gotoButton(state, index, label) {
  const button = h('button', { type: 'button', class: 'har-goto', 'data-entry': index, title: `Show request #${index} in the timeline` }, label);
  button.addEventListener('click', () => {
    const container = state.container;
    if (container && selectFlowEntry(container, index, { focus: true })) {
      state.timeline?.scrollIntoView({ block: 'nearest' });
    }
  });
  return button;
}

// ---------- the timeline ----------

function isKeyEntry(state, e) {
  return e.index === state.drop?.entry
    || state.findingsByEntry.has(e.index)
    || e.kind === 'navigation' || e.kind === 'iframe'
    || isIndex(e.redirectedFrom) || Boolean(e.redirectTo) || Boolean(e.problem)
    || list(e.response?.setCookies).length > 0
    || list(e.request?.cookiesWithheld).length > 0
    || list(e.request?.mismatches).length > 0;
}

function renderTimeline(state) {
  const { cookies, entries } = state;
  const keyCount = entries.filter((e) => isKeyEntry(state, e)).length;
  state.keyCount = keyCount;
  const toggle = h('input', { type: 'checkbox', class: 'har-all-toggle', 'data-testid': 'har-show-all' });
  toggle.checked = state.showAll;
  state.toggle = toggle;
  const shown = h('span', { class: 'har-shown', 'aria-live': 'polite' });
  state.shownLabel = shown;
  toggle.addEventListener('change', () => {
    state.showAll = toggle.checked;
    fillTimeline(state);
    if (state.selected !== null && state.positions.has(state.selected)) {
      const keep = state.selected;
      state.selected = null;
      selectFlowEntry(state.container, keep, { scroll: true });
    } else state.selected = null;
  });
  const legend = h('ul', { class: 'har-legend', 'aria-label': 'Legend' },
    ['set', 'rejected', 'deleted', 'sent', 'withheld', 'omitted'].map((k) => h('li', null, h('span', { class: `har-glyph har-g-${k}`, 'aria-hidden': 'true' }, CELL[k].glyph), ` ${k === 'omitted' ? 'not attached (credentials)' : k}`)),
    h('li', null, h('span', { class: 'har-glyph har-g-preexisting', 'aria-hidden': 'true' }, '✓'), h('span', { class: 'har-pre' }, 'pre'), ' set before the recording'),
    h('li', null, h('span', { class: 'har-glyph har-g-mismatch', 'aria-hidden': 'true' }, '≠'), ' recording differs'),
    h('li', null, h('span', { class: 'har-redirect', 'aria-hidden': 'true' }, '↳'), ' redirect'));

  // Columns: # | request | status | site | one per cookie.
  const grid = h('div', { class: 'har-grid', role: 'table', 'aria-label': 'Requests and cookies', 'aria-rowcount': entries.length + 1 });
  // One track per cookie; the first drop's column is wide enough for its reason.
  const widths = cookies.map((name) => (state.drop && text(state.drop.cookie) === name ? FLOW_DROP_COL_PX : FLOW_COL_PX));
  grid.style.setProperty('--har-cookie-tracks', widths.map((w) => `${w}px`).join(' ') || '0px');
  grid.style.setProperty('--har-cookies-w', `${widths.reduce((a, b) => a + b, 0)}px`);
  const head = h('div', { class: 'har-row har-head', role: 'row' },
    h('div', { class: 'har-c har-c-idx', role: 'columnheader' }, '#'),
    h('div', { class: 'har-c har-c-req', role: 'columnheader' }, 'Request'),
    h('div', { class: 'har-c har-c-status', role: 'columnheader' }, 'Status'),
    h('div', { class: 'har-c har-c-site', role: 'columnheader' }, 'Context'),
    cookies.map((name) => h('div', {
      class: `har-c har-c-cookie har-col-head${state.drop && text(state.drop.cookie) === name ? ' har-col-drop' : ''}`,
      role: 'columnheader', title: name, 'data-cookie': name,
    }, h('span', { class: 'har-col-name' }, cookieName(name)))));
  const body = h('div', { class: 'har-body', role: 'rowgroup' });
  grid.append(head, body);
  const scroller = h('div', { class: 'har-scroll', tabindex: '-1' }, grid);
  state.body = body;
  state.scroller = scroller;
  state.observer = typeof IntersectionObserver === 'function'
    ? new IntersectionObserver((items) => {
      for (const item of items) if (item.isIntersecting) buildChunk(state, item.target);
    }, { root: scroller, rootMargin: '600px 0px' })
    : null;
  fillTimeline(state);

  const el = h('section', { class: 'ci-section har-timeline', 'data-testid': 'har-timeline', 'aria-label': 'Timeline' },
    h('h2', { class: 'ci-h' }, 'Timeline'),
    h('div', { class: 'har-toolbar' },
      (state.allLabel = h('label', { class: 'har-all', hidden: keyCount === entries.length && !state.showAll ? true : keyCount === entries.length }, toggle, ` Show all ${fmt(entries.length)} requests`)),
      shown, legend),
    scroller);
  state.timeline = el;
  return el;
}

/** (Re)builds the timeline's body as placeholders, one per chunk of the rows to show. */
function fillTimeline(state) {
  state.observer?.disconnect();
  clear(state.body);
  state.generation = (state.generation ?? 0) + 1;
  state.rows = state.showAll ? state.entries : state.entries.filter((e) => isKeyEntry(state, e));
  state.positions = new Map(state.rows.map((e, i) => [e.index, i]));
  state.rowEls = new Map();
  state.chunks = [];
  for (let start = 0; start < state.rows.length; start += FLOW_CHUNK) {
    const n = Math.min(FLOW_CHUNK, state.rows.length - start);
    const chunk = h('div', { class: 'har-chunk', role: 'presentation' });
    chunk.dataset.start = String(start);
    chunk.style.height = `${n * FLOW_ROW_PX}px`;
    state.chunks.push(chunk);
    state.body.appendChild(chunk);
    state.observer?.observe(chunk);
  }
  updateShownLabel(state);
  // Build the rest in idle time, so finding in the page works and scrolling never waits.
  const generation = state.generation;
  const idle = typeof requestIdleCallback === 'function' ? requestIdleCallback : (fn) => setTimeout(() => fn({ timeRemaining: () => 8 }), 16);
  const work = (deadline) => {
    if (state.disposed || state.generation !== generation) return;
    let next = state.chunks.find((c) => !c.dataset.built);
    while (next && deadline.timeRemaining() > 4) {
      buildChunk(state, next);
      next = state.chunks.find((c) => !c.dataset.built);
    }
    if (next) idle(work);
  };
  idle(work);
}

function updateShownLabel(state) {
  const hidden = state.entries.length - state.rows.length;
  state.shownLabel.textContent = hidden > 0
    ? `${fmt(state.rows.length)} key requests shown (cookie changes, withheld cookies, navigations, findings); ${fmt(hidden)} that only resend cookies are hidden.`
    : `${fmt(state.rows.length)} request${state.rows.length === 1 ? '' : 's'}.`;
}

function buildChunk(state, chunk) {
  if (chunk.dataset.built || state.disposed) return;
  chunk.dataset.built = 'true';
  state.observer?.unobserve(chunk);
  const start = Number(chunk.dataset.start);
  const rows = state.rows.slice(start, start + FLOW_CHUNK);
  const fragment = document.createDocumentFragment();
  for (const e of rows) {
    const row = buildRow(state, e);
    state.rowEls.set(e.index, row);
    fragment.appendChild(row);
  }
  chunk.appendChild(fragment);
  chunk.style.height = '';
  chunk.style.setProperty('contain-intrinsic-size', `auto ${rows.length * FLOW_ROW_PX}px`);
  chunk.classList.add('har-chunk-built');
}

function ensureRow(state, index) {
  const pos = state.positions.get(index);
  if (pos === undefined) return null;
  const chunk = state.chunks[Math.floor(pos / FLOW_CHUNK)];
  if (chunk) buildChunk(state, chunk);
  return state.rowEls.get(index) ?? null;
}

/** Per cookie name, what happened to it in this entry. */
function entryCells(e) {
  const cells = new Map();
  const get = (name) => {
    const key = text(name);
    let c = cells.get(key);
    if (!c) cells.set(key, (c = { states: [], withheld: [], sets: [], mismatch: null }));
    return c;
  };
  const add = (c, s) => { if (!c.states.includes(s)) c.states.push(s); };
  for (const n of list(e.request?.cookiesSent)) add(get(n), 'sent');
  for (const w of list(e.request?.cookiesWithheld)) {
    const c = get(w?.name);
    add(c, 'withheld');
    c.withheld.push(...reasonNames(w?.reasons));
  }
  for (const n of list(e.request?.credentialsOmitted)) add(get(n), e.kind === 'fetch' ? 'omitted' : 'uncredentialed');
  for (const n of list(e.request?.preexisting)) add(get(n), 'preexisting');
  for (const sc of list(e.response?.setCookies)) {
    const c = get(sc?.name);
    const s = sc?.deletes ? 'deleted' : sc?.stored ? 'set' : 'rejected';
    add(c, s);
    c.sets.push({ state: s, sc });
  }
  for (const n of list(e.response?.clearedCookies)) add(get(n), 'cleared');
  for (const n of list(e.response?.evictedCookies)) add(get(n), 'evicted');
  for (const m of list(e.request?.mismatches)) {
    const c = get(m?.name);
    c.mismatch = m;
    add(c, 'mismatch');
  }
  return cells;
}

function cellTitle(name, c) {
  const parts = [];
  for (const s of c.states) {
    if (s === 'withheld') parts.push(`withheld${c.withheld.length ? `: ${c.withheld.join(', ')}` : ''}`);
    else if (s === 'mismatch') parts.push(`prediction ${text(c.mismatch?.predicted)}, recording ${text(c.mismatch?.observed)}`);
    else if (s === 'set' || s === 'rejected' || s === 'deleted') {
      for (const x of c.sets.filter((x) => x.state === s)) {
        const reasons = reasonNames(x.sc?.reasons);
        parts.push(`${CELL[s].label}${reasons.length ? `: ${reasons.join(', ')}` : ''}`);
      }
    } else parts.push(CELL[s].label);
  }
  return `${cookieName(name)} — ${parts.join('; ')}`;
}

/** What answered a hop, or who asked for it, when that is not the server and the user. */
function rowTags(e) {
  const tags = [];
  if (e.fromCache) tags.push([`${text(e.fromCache)} cache`, 'answered from the browser\'s cache: no request reached the server']);
  else if (e.fromServiceWorker === true) tags.push(['service worker', 'answered by the page\'s service worker']);
  if (e.prefetch === true) tags.push(['prefetch', 'a prefetch: asked for ahead of a click, not by the user']);
  return tags.map(([label, title]) => h('span', { class: 'har-tag', title, 'data-testid': 'har-tag' }, label));
}

function buildRow(state, e) {
  const index = e.index;
  const drop = state.drop?.entry === index;
  const kind = KIND[e.kind] ?? { label: text(e.kind), title: text(e.kind) };
  const site = SITE[e.site] ?? null;
  const status = Number(e.status);
  const statusClass = !Number.isFinite(status) || status <= 0 ? 'har-st-fail' : status >= 400 ? 'har-st-err' : status >= 300 ? 'har-st-redir' : 'har-st-ok';
  const findings = state.findingsByEntry.get(index) ?? [];
  const worst = findings.some((f) => f.severity === 'error') ? 'error' : findings.some((f) => f.severity === 'warning') ? 'warning' : findings.length ? 'info' : null;
  const row = h('div', {
    class: `har-row${drop ? ' har-row-drop' : ''}${worst ? ` har-row-${worst}` : ''}${e.problem ? ' har-row-problem' : ''}`,
    role: 'row',
    'data-testid': 'har-row',
    'data-entry': index,
    'data-drop': drop ? 'true' : null,
    'aria-rowindex': (state.positions.get(index) ?? 0) + 2,
  });
  const idx = h('button', { type: 'button', class: 'har-idx', 'aria-expanded': 'false', title: `Request #${index}: show the details`, 'aria-label': `Request ${index}, details` },
    worst ? h('span', { class: `har-flag ci-sev-${worst}`, 'aria-hidden': 'true' }, SEVERITY[worst].icon) : null,
    String(index));
  idx.addEventListener('click', () => {
    if (state.selected === index) {
      closeDetails(state, index);
      state.selected = null;
    } else selectFlowEntry(state.container, index, { scroll: false });
  });
  idx.addEventListener('keydown', (event) => onRowKey(state, index, event));
  const url = text(e.url);
  row.append(
    h('div', { class: 'har-c har-c-idx', role: 'cell' }, idx),
    h('div', { class: 'har-c har-c-req', role: 'rowheader', title: `${text(e.method)} ${url}` },
      isIndex(e.redirectedFrom) ? h('span', { class: 'har-redirect', title: `redirected from #${e.redirectedFrom}` }, '↳') : null,
      h('span', { class: `har-kind har-kind-${/^[a-z]+$/.test(text(e.kind)) ? text(e.kind) : 'other'}`, title: kind.title }, kind.label),
      h('span', { class: 'har-method' }, text(e.method)),
      h('span', { class: 'har-url' }, h('span', { class: 'har-host' }, text(e.host)), h('span', { class: 'har-path' }, pathLabel(url))),
      rowTags(e)),
    h('div', { class: `har-c har-c-status ${statusClass}`, role: 'cell', title: e.redirectTo ? `→ ${text(e.redirectTo)}` : null },
      Number.isFinite(status) && status > 0 ? String(status) : '—'),
    h('div', { class: 'har-c har-c-site', role: 'cell' },
      site
        ? h('span', { class: `har-site har-site-${site.tone}`, title: site.title, 'data-site': text(e.site) },
          site.label, site.note ? h('span', { class: 'har-site-note' }, ` ${site.note}`) : null)
        : h('span', { class: 'har-site har-site-none', title: 'not judged' }, '—')));
  const cells = entryCells(e);
  for (const name of state.cookies) {
    const c = cells.get(name);
    const dropCol = state.drop && text(state.drop.cookie) === name;
    const cls = `har-c har-c-cookie${dropCol ? ' har-col-drop' : ''}${drop && dropCol ? ' har-cell-drop' : ''}`;
    if (!c) {
      row.appendChild(h('div', { class: cls, role: 'cell', 'data-testid': 'har-cell', 'data-cookie': name, 'data-state': 'none' }));
      continue;
    }
    const why = [
      ...c.withheld,
      ...c.sets.filter((x) => x.state !== 'set').flatMap((x) => reasonNames(x.sc?.reasons)),
    ];
    const title = cellTitle(name, c);
    row.appendChild(h('div', {
      class: `${cls} har-cell-${c.states[0]}`,
      role: 'cell',
      'data-testid': 'har-cell',
      'data-cookie': name,
      'data-state': c.states.join(' '),
      title,
      'aria-label': title,
    },
    c.states.map((s) => h('span', { class: `har-glyph har-g-${s}`, 'aria-hidden': 'true' }, CELL[s].glyph,
      s === 'preexisting' ? h('span', { class: 'har-pre' }, 'pre') : null)),
    why.length ? h('span', { class: 'har-why' }, [...new Set(why)].join(', ')) : null));
  }
  return row;
}

function onRowKey(state, index, event) {
  const step = { ArrowDown: 1, ArrowUp: -1, Home: -Infinity, End: Infinity }[event.key];
  if (step === undefined) return;
  event.preventDefault();
  const pos = state.positions.get(index);
  const to = Math.max(0, Math.min(state.rows.length - 1, Number.isFinite(step) ? pos + step : step < 0 ? 0 : state.rows.length - 1));
  const row = ensureRow(state, state.rows[to].index);
  if (!row) return;
  scrollRowIntoView(state, row, true);
  row.querySelector('.har-idx')?.focus({ preventScroll: true });
}

function scrollRowIntoView(state, row, nearest = false) {
  const scroller = state.scroller;
  if (!scroller || !scroller.isConnected) return;
  const head = scroller.querySelector('.har-head');
  const headH = head ? head.offsetHeight : 0;
  const sRect = scroller.getBoundingClientRect();
  const rRect = row.getBoundingClientRect();
  const top = rRect.top - sRect.top + scroller.scrollTop;
  const visibleTop = scroller.scrollTop + headH;
  const visibleBottom = scroller.scrollTop + scroller.clientHeight;
  if (nearest) {
    if (top < visibleTop) scroller.scrollTop = top - headH;
    else if (top + FLOW_ROW_PX > visibleBottom) scroller.scrollTop = top + FLOW_ROW_PX - scroller.clientHeight;
  } else if (top < visibleTop || top + Math.min(rRect.height, scroller.clientHeight / 2) > visibleBottom) {
    scroller.scrollTop = Math.max(0, top - headH - scroller.clientHeight / 4);
  }
  // The first drop's column, if it is off to the right.
  const cell = row.querySelector('.har-cell-drop');
  if (cell) {
    const sticky = [...row.querySelectorAll('.har-c-idx, .har-c-req')].reduce((w, el) => w + el.offsetWidth, 0);
    const cRect = cell.getBoundingClientRect();
    const left = cRect.left - sRect.left + scroller.scrollLeft;
    if (left + cRect.width > scroller.scrollLeft + scroller.clientWidth || left < scroller.scrollLeft + sticky) {
      scroller.scrollLeft = Math.max(0, left - sticky - 24);
    }
  }
}

function closeDetails(state, index) {
  const row = state.rowEls.get(index);
  if (!row) return;
  row.classList.remove('har-row-selected');
  row.querySelector('.har-idx')?.setAttribute('aria-expanded', 'false');
  const next = row.nextElementSibling;
  if (next && next.classList.contains('har-details')) next.remove();
}

function openDetails(state, index, row) {
  const e = state.byIndex.get(index);
  row.classList.add('har-row-selected');
  const id = `har-details-${index}`;
  const idx = row.querySelector('.har-idx');
  idx?.setAttribute('aria-expanded', 'true');
  idx?.setAttribute('aria-controls', id);
  const details = buildDetails(state, e);
  details.id = id;
  const width = state.scroller?.clientWidth;
  if (width) details.style.maxWidth = `${width}px`;
  row.after(details);
}

/** Everything about one request, in words: the cells' reasons, the Set-Cookie lines, the findings. */
function buildDetails(state, e) {
  const req = e.request ?? {};
  const items = [];
  const kv = (k, ...v) => items.push(h('dt', null, k), h('dd', null, ...v));
  const names = (arr) => list(arr).map((n, i) => [i ? ', ' : '', h('code', null, cookieName(n))]);
  const where = [text(KIND[e.kind]?.title ?? e.kind)];
  if (SITE[e.site]) where.push(`${SITE[e.site].label} (context “${text(e.site)}”)`);
  kv('Request', h('code', { class: 'har-d-url' }, `${text(e.method)} ${text(e.url)}`));
  kv('Kind', where.join(' · '), e.status ? ` · status ${text(e.status)}` : '');
  // The ISO form of `time` is made here, for display: the report carries the number only.
  const started = Number.isFinite(e.time) ? new Date(e.time * 1000) : null;
  if (started && Number.isFinite(started.getTime())) {
    kv('Started', started.toISOString(), Number.isFinite(e.offsetMs) ? ` (+${fmt(e.offsetMs)} ms into the flow)` : '');
  }
  if (isIndex(e.redirectedFrom)) kv('Redirected from', gotoButton(state, e.redirectedFrom, `#${e.redirectedFrom}`));
  if (e.redirectTo) kv('Redirects to', h('code', null, text(e.redirectTo)));
  if (e.problem) kv('Not replayed', h('span', { class: 'har-d-bad' }, text(e.problem)));
  if (e.prefetch === true) kv('Prefetch', 'asked for ahead of a click', h('span', { class: 'ci-empty' }, ' — by the browser (Sec-Purpose: prefetch) or the app\'s router, not by the user'));
  if (e.fromCache) kv('Served from', `the browser's ${text(e.fromCache)} cache`, h('span', { class: 'ci-empty' }, ' — no request reached the server: no cookie was sent, no Set-Cookie was read'));
  else if (e.fromServiceWorker === true) kv('Served by', 'the page\'s service worker', h('span', { class: 'ci-empty' }, ' — this request reached no server: no cookie was sent, no Set-Cookie was read; a request the worker made is an entry of its own'));
  else kv('Sent', list(req.cookiesSent).length ? names(req.cookiesSent) : h('span', { class: 'ci-empty' }, 'no cookies (predicted)'));
  if (list(req.credentialsOmitted).length) {
    kv(h('span', { class: 'har-d-bad' }, 'Not attached'), names(req.credentialsOmitted),
      h('span', { class: 'ci-empty' }, ' — a cross-origin request sent without credentials (the credentials mode of a fetch, a font, a module script): the browser held these cookies for it, and the request carried no Cookie header'));
  }
  for (const w of list(req.cookiesWithheld)) {
    kv(h('span', { class: 'har-d-bad' }, 'Withheld'), h('code', null, cookieName(w?.name)), ' — ',
      reasonNames(w?.reasons).map((r, i) => [i ? ', ' : '', h('code', { class: 'har-reason' }, r)]),
      w?.explanation ? h('p', { class: 'har-d-expl' }, text(w.explanation)) : null,
      w?.fix ? fixBlock(text(w.fix)) : null);
  }
  if (list(req.preexisting).length) kv('Set before the recording', names(req.preexisting), h('span', { class: 'ci-empty' }, ' — sent by the browser; not set in this HAR, so not judged'));
  if (req.observedSent !== null && req.observedSent !== undefined) {
    kv('Recorded Cookie header', list(req.observedSent).length ? names(req.observedSent) : h('span', { class: 'ci-empty' }, 'none: the request was recorded with the headers it sent, and no cookie went out'));
  }
  for (const m of list(req.mismatches)) {
    kv(h('span', { class: 'har-d-warn' }, 'Differs'), h('code', null, cookieName(m?.name)), ` — predicted ${text(m?.predicted)}, the recording shows ${m?.observed === 'sent' ? 'sent' : 'not sent'}`);
  }
  const sets = list(e.response?.setCookies);
  const setList = sets.length
    ? h('ul', { class: 'har-d-sets' }, sets.map((sc) => {
      const s = sc?.deletes ? 'deleted' : sc?.stored ? 'set' : 'rejected';
      const reasons = reasonNames(sc?.reasons);
      return h('li', { class: `har-d-set har-d-${s}`, 'data-cookie': text(sc?.name) },
        h('div', { class: 'har-d-set-head' },
          h('span', { class: `har-glyph har-g-${s}`, 'aria-hidden': 'true' }, CELL[s].glyph),
          h('strong', null, CELL[s].label), reasons.length ? ': ' : '',
          reasons.map((r, i) => [i ? ', ' : '', h('code', { class: 'har-reason' }, r)]),
          sc?.domain ? h('span', { class: 'har-d-scope' }, ` · ${sc.hostOnly ? 'host-only' : 'domain'} `, h('code', null, text(sc.domain))) : null),
        h('code', { class: 'har-d-line' }, text(sc?.line)),
        sc?.explanation ? h('p', { class: 'har-d-expl' }, text(sc.explanation)) : null,
        sc?.fix ? fixBlock(text(sc.fix)) : null);
    }))
    : null;
  const cleared = list(e.response?.clearedCookies);
  const clearedLine = cleared.length
    ? h('p', { class: 'har-d-cleared' }, h('span', { class: 'har-glyph har-g-deleted', 'aria-hidden': 'true' }, CELL.cleared.glyph), ' ',
      h('strong', null, 'Clear-Site-Data deleted'), ' ', names(cleared), h('span', { class: 'ci-empty' }, ' — every cookie of the site, after this response\'s Set-Cookie lines'))
    : null;
  const evicted = list(e.response?.evictedCookies);
  const evictedLine = evicted.length
    ? h('p', { class: 'har-d-evicted' }, h('span', { class: 'har-glyph har-g-evicted', 'aria-hidden': 'true' }, CELL.evicted.glyph), ' ',
      h('strong', null, 'Evicted'), ' ', names(evicted), h('span', { class: 'ci-empty' }, ' — the least recently used, to keep the site within the browser\'s limit of cookies'))
    : null;
  const findings = state.findingsByEntry.get(e.index) ?? [];
  return h('div', { class: 'har-details', role: 'region', 'aria-label': `Request #${e.index}`, 'data-testid': 'har-details', 'data-entry': e.index },
    h('dl', { class: 'har-d-kv' }, items),
    setList ? [h('div', { class: 'har-d-sub' }, 'Set-Cookie'), setList] : null,
    clearedLine,
    evictedLine,
    findings.length
      ? [h('div', { class: 'har-d-sub' }, plural(findings.length, 'finding')),
        h('ul', { class: 'har-d-findings' }, findings.map((f) => h('li', { class: `ci-sev-${SEVERITY[f.severity] ? f.severity : 'info'}` },
          h('span', { class: 'ci-icon', 'aria-hidden': 'true' }, (SEVERITY[f.severity] ?? SEVERITY.info).icon), ' ',
          text(f.title), ' ', h('code', { class: 'ci-code' }, text(f.code)))))]
      : null);
}

// ---------- findings and tokens ----------

function renderFlowFindings(state) {
  const findings = list(state.report.findings);
  const max = state.options.maxFindings ?? 100;
  const head = (f) => (isIndex(f.entry) && state.byIndex.has(f.entry)
    ? gotoButton(state, f.entry, `#${f.entry}`)
    : null);
  const body = h('div', { class: 'har-findings-body' });
  if (findings.length === 0) body.appendChild(h('p', { class: 'ci-empty' }, 'No findings.'));
  else {
    body.appendChild(renderFindingList(findings.slice(0, max), { head }));
    if (findings.length > max) {
      const more = h('button', { type: 'button', class: 'har-more' }, `Show all ${fmt(findings.length)} findings`);
      more.addEventListener('click', () => {
        body.querySelector('.ci-findings').append(...renderFindingList(findings.slice(max), { head }).children);
        more.remove();
      });
      body.appendChild(more);
    }
  }
  return h('section', { class: 'ci-section har-findings', 'data-testid': 'har-findings', 'aria-label': 'Findings' },
    h('h2', { class: 'ci-h' }, `Findings (${fmt(findings.length)})`), body);
}

function renderFlowTokens(state) {
  const tokens = list(state.report.tokens);
  if (tokens.length === 0) return null;
  // Per token, the places it travelled (first seen first), each with the entries that carried it.
  const sightings = new Map();
  for (const s of list(state.report.tokenSightings)) {
    if (!sightings.has(s.token)) sightings.set(s.token, []);
    sightings.get(s.token).push(s);
  }
  const max = state.options.maxTokens ?? 50;
  const openFirst = tokens.length <= 3;
  const item = (t, i) => {
    const seen = sightings.get(i) ?? [];
    const times = seen.reduce((n, s) => n + list(s.entries).length, 0);
    const first = seen.find((s) => list(s.entries).length > 0);
    const c = t?.counts ?? {};
    const status = text(t?.lifetime?.status);
    const summary = h('summary', { class: 'har-token-sum' },
      h('span', { class: 'ci-badge ci-kind' }, text(t?.kind).toUpperCase() || 'TOKEN'),
      status ? h('span', { class: `ci-badge ci-status ci-status-${status}` }, LIFETIME[status] ?? status) : null,
      h('span', { class: 'har-token-life' }, text(t?.lifetime?.summary)),
      h('span', { class: 'har-token-seen' }, first ? `seen ${plural(times, 'time')}, first in #${list(first.entries)[0]} ${text(first.location)}` : ''),
      h('span', { class: 'ci-counts' }, (c.error ?? 0) ? countBadge('error', c.error) : null, (c.warning ?? 0) ? countBadge('warning', c.warning) : null));
    const details = h('details', { class: 'har-token', 'data-testid': 'har-token', 'data-token': i }, summary);
    let built = false;
    const build = () => {
      if (built) return;
      built = true;
      // Where in a request it travelled: location → the entries, first few as links.
      const byLocation = new Map();
      for (const s of seen) {
        const key = text(s.location);
        if (!byLocation.has(key)) byLocation.set(key, []);
        const at = byLocation.get(key);
        for (const entry of list(s.entries)) if (isIndex(entry)) at.push(entry);
      }
      const where = h('dl', { class: 'har-token-where' },
        [...byLocation].map(([location, at]) => [
          h('dt', null, h('code', null, location)),
          h('dd', null, at.slice(0, 8).map((entry) => gotoButton(state, entry, `#${entry}`)),
            at.length > 8 ? h('span', { class: 'ci-empty' }, ` and ${fmt(at.length - 8)} more`) : null)]));
      details.append(where, renderReport(h('div', { class: 'ci-report har-token-report' }), t,
        { sections: ['token', 'lifetime', 'findings', 'claims', 'json'] }));
    };
    details.addEventListener('toggle', () => { if (details.open) build(); });
    if (openFirst && i === 0) { details.open = true; build(); }
    return details;
  };
  const listEl = h('div', { class: 'har-tokens-list' }, tokens.slice(0, max).map(item));
  const section = h('section', { class: 'ci-section har-tokens', 'data-testid': 'har-tokens', 'aria-label': 'Tokens' },
    h('h2', { class: 'ci-h' }, `Tokens in the flow (${fmt(tokens.length)})`), listEl);
  if (tokens.length > max) {
    const more = h('button', { type: 'button', class: 'har-more' }, `Show all ${fmt(tokens.length)} tokens`);
    more.addEventListener('click', () => { listEl.append(...tokens.slice(max).map((t, j) => item(t, max + j))); more.remove(); });
    section.appendChild(more);
  }
  return section;
}

// ---------------------------------------------------------------------------------------------
// A live flow: the extension's DevTools panel records a sign-in as it happens and gets a newer
// report after every few requests (the core's FlowSession: the same entries, more after them).
// Redrawing the whole timeline each time would lose the reader's place, so the rows already drawn
// stay and the new ones are appended.

/**
 * Updates a flow report drawn by `renderFlowReport` (or by an earlier call) to a newer report of
 * the same flow. Rows already drawn stay, with the selected request and the scroll position; new
 * requests are appended; the headline, findings and tokens are redrawn (open tokens stay open).
 * When the columns change (a new cookie, a new first drop) the report is drawn again, keeping the
 * selection. `options` as for `renderFlowReport`, plus `follow` (keep the timeline scrolled to its
 * end while it is there and nothing dropped yet).
 */
export function updateFlowReport(container, report, options = {}) {
  const state = flowStates.get(container);
  if (!report || typeof report !== 'object' || !Array.isArray(report.entries)) {
    return renderFlowReport(container, report, options);
  }
  const entries = report.entries;
  const drop = report.firstDrop && isIndex(report.firstDrop.entry) ? report.firstDrop : null;
  const cookies = list(report.cookies).map(text);
  const count = state?.count ?? 0;
  const last = count > 0 ? state.entries[count - 1] : null;
  const appendable = state && !state.disposed && state.body && state.container === container
    && entries.length >= count && count > 0 && entries[count - 1]?.index === last?.index
    && text(entries[count - 1]?.url) === text(last?.url)
    && sameList(cookies, state.cookies)
    && (drop?.entry ?? null) === (state.drop?.entry ?? null) && text(drop?.cookie) === text(state.drop?.cookie);
  if (!appendable) return redrawFlowReport(container, report, options, state);

  // Findings per entry: rows whose findings changed are drawn again.
  const before = state.findingsByEntry;
  const after = new Map();
  for (const f of list(report.findings)) {
    if (!isIndex(f.entry)) continue;
    if (!after.has(f.entry)) after.set(f.entry, []);
    after.get(f.entry).push(f);
  }
  const changed = [...new Set([...before.keys(), ...after.keys()])]
    .filter((i) => (before.get(i)?.length ?? 0) !== (after.get(i)?.length ?? 0));
  // A request hidden by the key-request filter that now has a finding needs the filter re-run.
  if (!state.showAll && changed.some((i) => i < (last?.index ?? 0) && !state.positions.has(i) && state.byIndex.has(i))) {
    return redrawFlowReport(container, report, options, state);
  }
  const followed = options.follow && !drop && atEnd(state.scroller);
  state.report = report;
  state.entries = entries;
  state.findingsByEntry = after;
  state.count = entries.length;
  const added = entries.slice(count);
  for (const e of added) state.byIndex.set(e.index, e);
  for (const i of changed) {
    const old = state.rowEls.get(i);
    if (!old || !state.byIndex.has(i)) continue;
    const row = buildRow(state, state.byIndex.get(i));
    if (state.selected === i) {
      row.classList.add('har-row-selected');
      row.querySelector('.har-idx')?.setAttribute('aria-expanded', 'true');
    }
    old.replaceWith(row);
    state.rowEls.set(i, row);
  }
  if (state.rows === state.entries || state.rows === entries) state.rows = state.rows.slice(0, state.positions.size);
  for (const e of added) {
    const key = isKeyEntry(state, e);
    if (key) state.keyCount = (state.keyCount ?? 0) + 1;
    if (!state.showAll && !key) continue;
    const pos = state.rows.length;
    state.rows.push(e);
    state.positions.set(e.index, pos);
    const at = Math.floor(pos / FLOW_CHUNK);
    let chunk = state.chunks[at];
    if (!chunk) {
      chunk = h('div', { class: 'har-chunk', role: 'presentation' });
      chunk.dataset.start = String(at * FLOW_CHUNK);
      state.chunks.push(chunk);
      state.body.appendChild(chunk);
    }
    const n = pos - at * FLOW_CHUNK + 1;
    if (chunk.dataset.built) {
      const row = buildRow(state, e);
      state.rowEls.set(e.index, row);
      chunk.appendChild(row);
      chunk.style.setProperty('contain-intrinsic-size', `auto ${n * FLOW_ROW_PX}px`);
    } else {
      chunk.style.height = `${n * FLOW_ROW_PX}px`;
      state.observer?.observe(chunk);
    }
  }
  state.scroller.firstChild?.setAttribute('aria-rowcount', String(entries.length + 1));
  if (state.allLabel) {
    state.allLabel.lastChild.textContent = ` Show all ${fmt(entries.length)} requests`;
    state.allLabel.hidden = state.keyCount === entries.length;
  }
  updateShownLabel(state);

  // Headline, findings and tokens: small, drawn again.
  const swap = (testid, node) => {
    const old = container.querySelector(`:scope > [data-testid="${testid}"]`);
    if (old && node) old.replaceWith(node);
    else if (old) old.remove();
    else if (node) container.appendChild(node);
  };
  swap('har-headline', renderFlowHeadline(state));
  swap('har-findings', renderFlowFindings(state));
  const open = openTokens(container);
  swap('har-tokens', renderFlowTokens(state));
  reopenTokens(container, open);
  if (followed) state.scroller.scrollTop = state.scroller.scrollHeight;
  return container;
}

function sameList(a, b) {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function atEnd(scroller) {
  return !scroller || scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - FLOW_ROW_PX;
}

function openTokens(container) {
  return [...container.querySelectorAll(':scope > [data-testid="har-tokens"] details[open]')].map((d) => d.dataset.token);
}

function reopenTokens(container, open) {
  for (const i of open) {
    const d = container.querySelector(`:scope > [data-testid="har-tokens"] details[data-token="${CSS.escape(i)}"]`);
    if (d) d.open = true;
  }
}

/** Draws the report again, keeping what the reader chose: the selected request, "show all", the open tokens. */
function redrawFlowReport(container, report, options, state) {
  const keep = state && !state.disposed ? {
    selected: state.selected,
    drop: state.drop?.entry ?? null,
    showAll: state.toggle ? state.showAll : undefined,
    scrollTop: state.scroller?.scrollTop ?? 0,
    scrollLeft: state.scroller?.scrollLeft ?? 0,
    open: openTokens(container),
    followed: options.follow && atEnd(state.scroller),
  } : null;
  renderFlowReport(container, report, keep?.showAll === undefined ? options : { ...options, showAll: keep.showAll });
  const next = flowStates.get(container);
  if (!keep || !next) return container;
  reopenTokens(container, keep.open);
  const newDrop = next.drop?.entry ?? null;
  if (newDrop !== null && newDrop !== keep.drop) return container; // a new first drop: shown and selected
  if (keep.selected !== null && keep.selected !== newDrop && next.byIndex.has(keep.selected)) {
    selectFlowEntry(container, keep.selected, { scroll: false });
  }
  if (next.scroller) {
    if (keep.followed && newDrop === null) next.scroller.scrollTop = next.scroller.scrollHeight;
    else {
      next.scroller.scrollTop = keep.scrollTop;
      next.scroller.scrollLeft = keep.scrollLeft;
    }
  }
  return container;
}

// ---------------------------------------------------------------------------------------------
// The browser's cookie jar and Web Storage, as the extension reads them (`analyzeJar`,
// `analyzeStorage`): a table with the columns of DevTools' Application › Cookies plus the core's
// flags, the findings, and the tokens found in values with their lifetime bars. Names, values
// and keys come from the inspected site: text only.

const SAMESITE_TITLE = {
  Strict: 'Sent only with same-site requests',
  Lax: 'Sent with same-site requests and cross-site top-level GET navigations',
  None: 'Sent with every request (needs Secure)',
  '': 'No SameSite attribute: Chromium treats it as Lax',
};

function worstSeverity(findings) {
  const all = list(findings);
  if (all.some((f) => f.severity === 'error')) return 'error';
  if (all.some((f) => f.severity === 'warning')) return 'warning';
  return all.length ? 'info' : null;
}

/** Compact flags for a table cell: an icon and title per finding, the code on hover. */
function findingFlags(findings) {
  const all = list(findings);
  if (all.length === 0) return h('span', { class: 'ci-empty' }, '—');
  return h('ul', { class: 'jar-flags' }, all.map((f) => {
    const severity = SEVERITY[f.severity] ? f.severity : 'info';
    return h('li', { class: `jar-flag ci-sev-${severity}`, title: `${text(f.code)}${f.detail ? ` — ${text(f.detail)}` : ''}`, 'data-code': text(f.code) },
      h('span', { class: 'ci-icon', 'aria-hidden': 'true' }, SEVERITY[severity].icon), ' ', text(f.title));
  }));
}

/** Seconds since 1970 as an ISO 8601 date (UTC), for display. */
function isoSeconds(seconds) {
  if (!Number.isFinite(seconds)) return '';
  const ms = seconds * 1000;
  if (Math.abs(ms) > 8.64e15) return String(seconds);
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** One token as an expandable item: summary line, then the token report (lifetime bar, findings, claims). */
function tokenItem(t, i, { label, open = false, testid = 'token-item' } = {}) {
  const c = t?.counts ?? {};
  const status = text(t?.lifetime?.status);
  const summary = h('summary', { class: 'har-token-sum' },
    h('span', { class: 'ci-badge ci-kind' }, text(t?.kind).toUpperCase() || 'TOKEN'),
    status ? h('span', { class: `ci-badge ci-status ci-status-${status}` }, LIFETIME[status] ?? status) : null,
    h('span', { class: 'har-token-life' }, text(t?.lifetime?.summary)),
    label ? h('span', { class: 'har-token-seen' }, label) : null,
    h('span', { class: 'ci-counts' }, (c.error ?? 0) ? countBadge('error', c.error) : null, (c.warning ?? 0) ? countBadge('warning', c.warning) : null));
  const details = h('details', { class: 'har-token', 'data-testid': testid, 'data-token': i }, summary);
  let built = false;
  const build = () => {
    if (built) return;
    built = true;
    details.appendChild(renderReport(h('div', { class: 'ci-report har-token-report' }), t,
      { sections: ['token', 'lifetime', 'findings', 'claims', 'json'] }));
  };
  details.addEventListener('toggle', () => { if (details.open) build(); });
  if (open) { details.open = true; build(); }
  return details;
}

/** The tokens of a jar or storage report, each labelled with where it was found. */
function tokenSection(title, testid, tokens, labels) {
  if (tokens.length === 0) return null;
  const openFirst = tokens.length <= 3;
  return h('section', { class: 'ci-section har-tokens', 'data-testid': testid, 'aria-label': title },
    h('h2', { class: 'ci-h' }, `${title} (${fmt(tokens.length)})`),
    h('div', { class: 'har-tokens-list' }, tokens.map((t, i) => tokenItem(t, i, { label: labels.get(i), open: openFirst && i < 2 }))));
}

/** A one-line summary of a jar report. */
export function jarSummary(jar) {
  if (!jar) return '';
  const c = jar.counts ?? {};
  return `${plural(list(jar.rows).length, 'cookie')}; ${plural(c.error ?? 0, 'error')}, ${plural(c.warning ?? 0, 'warning')}.`;
}

/**
 * Renders an `analyzeJar` report into `container` (its previous content is removed): the cookies
 * as DevTools shows them (Name, Value, Domain, Path, Expires / Max-Age, Size, HttpOnly, Secure,
 * SameSite, Partition Key) plus the core's flags, then the findings and the tokens in values.
 * `options.title` names the table (default "Cookie jar"); `options.empty` is shown when it has no rows.
 */
export function renderJarReport(container, jar, options = {}) {
  if (!beginReport(container, jar, 'jar report')) return container;
  const rows = list(jar.rows);
  const tokens = list(jar.tokens);
  const labels = new Map();
  rows.forEach((r) => {
    if (isIndex(r.token) && !labels.has(r.token)) labels.set(r.token, `in cookie ${cookieName(r.name)} (${text(r.domain)})`);
  });
  const check = (on) => (on ? h('span', { class: 'jar-check', title: 'yes' }, '✓') : '');
  const head = h('thead', null, h('tr', null,
    ['Name', 'Value', 'Domain', 'Path', 'Expires / Max-Age', 'Size', 'HttpOnly', 'Secure', 'SameSite', 'Partition Key', 'Findings']
      .map((t) => h('th', { scope: 'col' }, t))));
  const body = h('tbody', null, rows.map((r, i) => {
    const worst = worstSeverity(r.findings);
    const sameSite = text(r.sameSite);
    return h('tr', {
      class: `jar-row${worst ? ` jar-row-${worst}` : ''}`,
      'data-testid': 'jar-row',
      'data-name': text(r.name),
      'data-domain': text(r.domain),
      'data-severity': worst ?? '',
      'data-row': i,
    },
    h('th', { scope: 'row', class: 'jar-name' }, h('code', null, cookieName(r.name))),
    h('td', { class: 'jar-value', title: text(r.value) }, h('code', null, text(r.value))),
    h('td', null, h('code', null, text(r.domain)), r.hostOnly ? h('span', { class: 'jar-note', title: 'host-only: sent to this host only' }, ' host-only') : null),
    h('td', null, h('code', null, text(r.path))),
    h('td', { class: 'jar-expires' }, r.expires === null || r.expires === undefined || r.session ? 'Session' : isoSeconds(r.expires)),
    h('td', { class: 'jar-num' }, fmt(r.size)),
    h('td', { class: 'jar-bool' }, check(r.httpOnly)),
    h('td', { class: 'jar-bool' }, check(r.secure)),
    h('td', { title: SAMESITE_TITLE[sameSite] ?? null }, sameSite),
    h('td', null, r.partitionKey ? h('code', null, text(r.partitionKey)) : ''),
    h('td', { class: 'jar-findings' }, findingFlags(r.findings),
      isIndex(r.token) ? h('span', { class: 'jar-token-ref', 'data-token': r.token }, `token #${r.token + 1}`) : null));
  }));
  const table = rows.length
    ? h('div', { class: 'ci-table-wrap jar-wrap' }, h('table', { class: 'ci-table jar-table', 'data-testid': 'jar-table' }, head, body))
    : h('p', { class: 'ci-empty' }, text(options.empty ?? 'No cookies.'));
  const c = jar.counts ?? {};
  container.appendChild(h('section', { class: 'ci-section jar', 'data-testid': 'jar', 'aria-label': text(options.title ?? 'Cookie jar') },
    h('h2', { class: 'ci-h' }, `${text(options.title ?? 'Cookie jar')} (${fmt(rows.length)})`,
      h('span', { class: 'ci-counts jar-counts' }, countBadge('error', c.error), countBadge('warning', c.warning))),
    table));
  appendFindingsAndTokens(container, { findings: list(jar.findings), title: 'Cookie findings', testid: 'jar-findings' },
    tokenSection('Tokens in cookies', 'jar-tokens', tokens, labels));
  return container;
}

/** A jar's or a storage report's findings (when there are any), then its tokens' section. */
function appendFindingsAndTokens(container, { findings, title, testid }, tokens) {
  if (findings.length) {
    container.appendChild(h('section', { class: 'ci-section har-findings', 'data-testid': testid, 'aria-label': title },
      h('h2', { class: 'ci-h' }, `${title} (${fmt(findings.length)})`),
      h('div', { class: 'har-findings-body' }, renderFindingList(findings))));
  }
  if (tokens) container.appendChild(tokens);
}

/**
 * Renders an `analyzeStorage` report into `container` (its previous content is removed): the
 * localStorage/sessionStorage entries that hold a token or have findings, the findings, and the
 * tokens with their lifetime bars. `options.note` is shown under the heading.
 */
export function renderStorageReport(container, storage, options = {}) {
  if (!beginReport(container, storage, 'storage report')) return container;
  const items = list(storage.items);
  const shown = items.filter((it) => isIndex(it.token) || list(it.findings).length > 0);
  const tokens = list(storage.tokens);
  const labels = new Map();
  items.forEach((it) => {
    if (isIndex(it.token) && !labels.has(it.token)) labels.set(it.token, `in ${text(it.area)} ${text(it.key)} (${text(it.origin)})`);
  });
  const head = h('thead', null, h('tr', null, ['Storage', 'Origin', 'Key', 'Size', 'Findings'].map((t) => h('th', { scope: 'col' }, t))));
  const body = h('tbody', null, shown.map((it) => {
    const worst = worstSeverity(it.findings);
    return h('tr', { class: `jar-row${worst ? ` jar-row-${worst}` : ''}`, 'data-testid': 'storage-row', 'data-key': text(it.key), 'data-area': text(it.area), 'data-severity': worst ?? '' },
      h('td', null, text(it.area)),
      h('td', null, h('code', null, text(it.origin))),
      h('th', { scope: 'row', class: 'jar-name' }, h('code', null, text(it.key))),
      h('td', { class: 'jar-num' }, fmt(it.size)),
      h('td', { class: 'jar-findings' }, findingFlags(it.findings),
        isIndex(it.token) ? h('span', { class: 'jar-token-ref', 'data-token': it.token }, `token #${it.token + 1}`) : null));
  }));
  const rest = items.length - shown.length;
  container.appendChild(h('section', { class: 'ci-section jar', 'data-testid': 'storage', 'aria-label': 'Web Storage' },
    h('h2', { class: 'ci-h' }, `localStorage and sessionStorage (${fmt(shown.length)} with tokens or findings)`),
    options.note ? h('p', { class: 'ci-note jar-caption' }, text(options.note)) : null,
    shown.length
      ? h('div', { class: 'ci-table-wrap jar-wrap' }, h('table', { class: 'ci-table jar-table', 'data-testid': 'storage-table' }, head, body))
      : h('p', { class: 'ci-empty' }, items.length ? 'No entry holds a token or has a finding.' : 'No entries.'),
    rest > 0 && shown.length ? h('p', { class: 'ci-note jar-caption' }, `${fmt(rest)} other ${rest === 1 ? 'entry' : 'entries'} without tokens or findings not shown.`) : null));
  appendFindingsAndTokens(container, { findings: list(storage.findings), title: 'Storage findings', testid: 'storage-findings' },
    tokenSection('Tokens in storage', 'storage-tokens', tokens, labels));
  return container;
}
