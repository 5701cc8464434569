// The paste page: two views. "Token" reads the textarea (and the optional secret) and runs the
// core's analyzeToken; "Set-Cookie" collects Set-Cookie lines and the chosen next request and runs
// analyzeSetCookie. Each renders the plain object the core returns. Nothing is stored or sent: no
// storage APIs, no URL changes, no network use after loading.
import {
  renderReport, renderError, reportSummary, renderSetCookieReport, setCookieSummary,
} from './ui/render.js';
import { h, clear } from './ui/dom.js';

const DEBOUNCE_MS = 150;

// A sample with a classic bug: exp set with Date.now() (milliseconds). HS256, secret "example-secret".
const EXAMPLE =
  'Cookie: theme=dark; session=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6IndlYi0yMDI1LTExIn0' +
  '.eyJpc3MiOiJodHRwczovL2F1dGguZXhhbXBsZS5jb20iLCJzdWIiOiJ1c2VyLTg0MTIiLCJhdWQiOiJ3ZWIiLCJpYXQiOjE3NjM4OTkyMDAsImV4cCI6MTc2Mzg5OTIwMzYwMCwic2lkIjoiYzRmMWUwYTIifQ' +
  '.yoJxgbDAQBsRCaiXXeNgvtGmkQi9dZQOolS16EcHL_o';

const tokenInput = document.getElementById('token');
const secretInput = document.getElementById('secret');
const reportEl = document.getElementById('report');
const statusEl = document.getElementById('status');

let analyze = null; // the core's analyzeToken, once loaded
let timer = 0;

function showEmpty() {
  clear(reportEl);
  reportEl.appendChild(h('p', { class: 'empty-state' }, 'Paste a token above to see why the session is lost.'));
  statusEl.textContent = '';
}

function run() {
  clearTimeout(timer);
  timer = 0;
  if (!analyze) return; // analysed once the core has loaded
  const input = tokenInput.value;
  if (input.trim() === '') {
    showEmpty();
    return;
  }
  const secret = secretInput.value;
  let report;
  try {
    report = analyze(input, secret ? { secret } : {});
  } catch (error) {
    // A trap or a thrown error in the core is a bug; say so instead of showing stale results.
    renderError(reportEl, 'The analysis core stopped unexpectedly. This is a bug; reloading the page restarts it.',
      String(error?.message ?? error));
    statusEl.textContent = 'The analysis failed.';
    return;
  }
  renderReport(reportEl, report);
  statusEl.textContent = reportSummary(report);
}

function schedule() {
  clearTimeout(timer);
  timer = setTimeout(run, DEBOUNCE_MS);
}

let pasted = false;
tokenInput.addEventListener('paste', () => { pasted = true; });
tokenInput.addEventListener('input', () => {
  if (pasted) { pasted = false; run(); } else schedule();
});
secretInput.addEventListener('input', schedule);
document.getElementById('example').addEventListener('click', () => {
  tokenInput.value = EXAMPLE;
  run();
  tokenInput.focus();
});
document.getElementById('clear').addEventListener('click', () => {
  tokenInput.value = '';
  secretInput.value = '';
  run();
  tokenInput.focus();
});

// ---------- the view switcher (WAI-ARIA tabs: arrows, Home and End move between them) ----------

const tabs = [...document.querySelectorAll('[role="tab"]')];

function selectTab(tab, focus) {
  for (const t of tabs) {
    const selected = t === tab;
    t.setAttribute('aria-selected', String(selected));
    t.tabIndex = selected ? 0 : -1;
    document.getElementById(t.getAttribute('aria-controls')).hidden = !selected;
  }
  if (focus) tab.focus();
}

for (const tab of tabs) {
  tab.addEventListener('click', () => selectTab(tab, true));
  tab.addEventListener('keydown', (event) => {
    const i = tabs.indexOf(tab);
    const to = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    selectTab(tabs[(to + tabs.length) % tabs.length], true);
  });
}

// ---------- the Set-Cookie "what if" view ----------

// What each preset of the next request means, shown above the report.
const NEXT = {
  'same-site-link': 'A link on the same site to the response URL: a top-level GET, same-site.',
  'cross-site-link': 'A link on another site to the response URL: a top-level GET, cross-site.',
  'cross-site-form-post': 'A form on another site POSTs to the response URL: a top-level POST, cross-site.',
  'oauth-redirect-back': 'The identity provider POSTs to the response URL, which answers 302 to /dashboard: the cookies shown are those the GET /dashboard carries (a cross-site redirect chain).',
  'same-site-fetch': 'A fetch() from a page on the same site to the response URL, with credentials.',
  'cross-site-fetch': 'A fetch() from a page on another site to the response URL, with credentials.',
  'cross-site-iframe': 'A page on another site embeds the response URL in an iframe: a cross-site subresource, where third-party cookie rules apply.',
};

const SC_EXAMPLE = [
  'Set-Cookie: session=abc; Path=/; Secure; HttpOnly; SameSite=Strict',
  'Set-Cookie: csrf=1; Path=/; Secure; SameSite=Lax',
].join('\n');

const sc = {
  lines: document.getElementById('sc-lines'),
  url: document.getElementById('sc-url'),
  next: document.getElementById('sc-next'),
  after: document.getElementById('sc-after'),
  report: document.getElementById('sc-report'),
  status: document.getElementById('sc-status'),
};
const DEFAULT_URL = sc.url.defaultValue;
let analyzeSetCookie = null; // the core's analyzeSetCookie, once loaded
let scTimer = 0;

const checked = (name) => document.querySelector(`input[name="${name}"]:checked`)?.value ?? '';

/** The context for analyzeSetCookie, straight from the controls. */
function setCookieContext() {
  const context = { responseUrl: sc.url.value.trim(), next: sc.next.value, thirdPartyCookies: checked('sc-3pc') || 'allowed' };
  const scheme = checked('sc-scheme');
  if (scheme) context.nextScheme = scheme;
  const after = sc.after.valueAsNumber;
  context.nextAfterSeconds = Number.isFinite(after) && after > 0 ? after : 0;
  return context;
}

function showSetCookieEmpty() {
  clear(sc.report);
  sc.report.appendChild(h('p', { class: 'empty-state' }, 'Paste the Set-Cookie lines of a response above to see which cookies the browser keeps and which reach the next request.'));
  sc.status.textContent = '';
}

function runSetCookie() {
  clearTimeout(scTimer);
  scTimer = 0;
  if (!analyzeSetCookie) return; // analysed once the core has loaded
  if (sc.lines.value.trim() === '') {
    showSetCookieEmpty();
    return;
  }
  let report;
  try {
    report = analyzeSetCookie(sc.lines.value, setCookieContext());
  } catch (error) {
    renderError(sc.report, 'The analysis core stopped unexpectedly. This is a bug; reloading the page restarts it.',
      String(error?.message ?? error));
    sc.status.textContent = 'The analysis failed.';
    return;
  }
  renderSetCookieReport(sc.report, report, { nextLabel: NEXT[sc.next.value] });
  sc.status.textContent = setCookieSummary(report);
}

function scheduleSetCookie() {
  clearTimeout(scTimer);
  scTimer = setTimeout(runSetCookie, DEBOUNCE_MS);
}

let scPasted = false;
sc.lines.addEventListener('paste', () => { scPasted = true; });
sc.lines.addEventListener('input', () => {
  if (scPasted) { scPasted = false; runSetCookie(); } else scheduleSetCookie();
});
sc.url.addEventListener('input', scheduleSetCookie);
sc.after.addEventListener('input', scheduleSetCookie);
// Choices (select, radios) and committed edits analyse at once.
document.getElementById('sc-form').addEventListener('change', runSetCookie);
document.getElementById('sc-example').addEventListener('click', () => {
  sc.lines.value = SC_EXAMPLE;
  sc.url.value = DEFAULT_URL;
  sc.next.value = 'oauth-redirect-back';
  runSetCookie();
  sc.lines.focus();
});
document.getElementById('sc-clear').addEventListener('click', () => {
  sc.lines.value = '';
  runSetCookie();
  sc.lines.focus();
});

// ---------- loading the core ----------

async function load() {
  let core;
  try {
    core = await import('./pkg/cookie_inspector.js');
    await core.default();
    if (typeof core.analyzeToken !== 'function') throw new Error('the core has no analyzeToken export');
    analyze = core.analyzeToken;
  } catch (error) {
    // One panel above both views, so it shows whichever view is open.
    clear(reportEl);
    clear(sc.report);
    const panel = document.getElementById('load-error');
    renderError(panel, 'The analysis core (WebAssembly) could not be loaded, so nothing can be analysed.',
      `${String(error?.message ?? error)}\n\nThe page needs a browser with WebAssembly and must be served over http(s), not opened as a file.`);
    panel.hidden = false;
    statusEl.textContent = 'The analysis core could not be loaded.';
    sc.status.textContent = statusEl.textContent;
    return;
  }
  if (typeof core.analyzeSetCookie === 'function') analyzeSetCookie = core.analyzeSetCookie;
  else renderError(sc.report, 'This build of the core has no analyzeSetCookie, so Set-Cookie lines cannot be analysed.');
  document.documentElement.dataset.ready = 'true';
  run();
  if (analyzeSetCookie) runSetCookie();
}

showEmpty();
showSetCookieEmpty();
load();
