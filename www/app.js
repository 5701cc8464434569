// The paste page: three views. "Token" reads the textarea (and the optional secret) and runs the
// core's analyzeToken; "Set-Cookie" collects Set-Cookie lines and the chosen next request and runs
// analyzeSetCookie; "HAR" reads a recorded flow as bytes and runs analyzeHar (in a module worker
// for large files). Each renders the plain object the core returns. Nothing is stored or sent: no
// storage APIs, no URL changes, no network use after loading.
import {
  renderReport, renderError, reportSummary, renderSetCookieReport, setCookieSummary,
  renderFlowReport, flowSummary,
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
const oldSecretInput = document.getElementById('secret-old');
const cookieNameInput = document.getElementById('cookie-name');
const reportEl = document.getElementById('report');
const statusEl = document.getElementById('status');

let analyze = null; // the core's analyzeToken, once loaded
// The full core (with public-key verification), a second module loaded only when a key is given.
let fullCore = null;
let fullCoreLoading = null;
const publicKeyInput = document.getElementById('public-key');

/** Loads the full core once; resolves to its analyzeToken (or throws). */
function loadFullCore() {
  fullCoreLoading ??= (async () => {
    const core = await import('./pkg-keys/cookie_inspector.js');
    await core.default();
    if (!core.hasPublicKeys?.()) throw new Error('the full core does not verify public keys');
    fullCore = core;
    return core;
  })();
  return fullCoreLoading;
}
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
  // Secrets go to the core for this call only: never stored, logged or put in the URL.
  const options = {};
  if (secretInput.value) options.secret = secretInput.value;
  if (oldSecretInput.value) options.secrets = [oldSecretInput.value];
  if (cookieNameInput.value.trim()) options.cookieName = cookieNameInput.value.trim();
  const publicKey = publicKeyInput.value.trim();
  let tokenAnalysis = analyze;
  if (publicKey) {
    if (!fullCore) {
      // Load the full core, then analyse again; meanwhile the report stays as it was.
      statusEl.textContent = 'Loading the public-key verifier…';
      loadFullCore().then(run, (error) => {
        renderError(reportEl, 'The public-key verifier could not be loaded.', String(error?.message ?? error));
        statusEl.textContent = 'The public-key verifier could not be loaded.';
      });
      return;
    }
    options.publicKeys = [publicKey];
    tokenAnalysis = fullCore.analyzeToken;
  }
  let report;
  try {
    report = tokenAnalysis(input, options);
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
for (const input of [secretInput, oldSecretInput, cookieNameInput, publicKeyInput]) input.addEventListener('input', schedule);
document.getElementById('example').addEventListener('click', () => {
  tokenInput.value = EXAMPLE;
  run();
  tokenInput.focus();
});
document.getElementById('clear').addEventListener('click', () => {
  tokenInput.value = '';
  for (const input of [secretInput, oldSecretInput, cookieNameInput, publicKeyInput]) input.value = '';
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
  const context = { responseUrl: sc.url.value.trim(), next: sc.next.value, thirdPartyCookies: checked('sc-3pc') || 'allowed', browser: checked('sc-browser') || 'chromium' };
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


// ---------- the HAR view ----------
// The file is read as bytes and handed to the core as is: this code never looks inside it.

const WORKER_OVER_BYTES = 2 * 1024 * 1024; // larger files are analysed in har-worker.js

const har = {
  input: document.getElementById('har-file'),
  choose: document.getElementById('har-choose'),
  drop: document.getElementById('har-drop'),
  report: document.getElementById('har-report'),
  status: document.getElementById('har-status'),
  info: document.getElementById('har-file-info'),
  progress: document.getElementById('har-progress'),
  progressLabel: document.getElementById('har-progress-label'),
  progressBar: document.getElementById('har-progress-bar'),
  view: document.getElementById('view-har'),
};
let analyzeHar = null; // the core's analyzeHar on this thread, once loaded
let harFile = null; // { name, size, buffer, returning } of the file shown; buffer is null while a worker has it, and returning then resolves when it is back
let harRun = 0; // bumped by every new file or option change: late answers of older runs are dropped
let harPending = false; // the options changed while the worker had the buffer
let harWorker = null; // Promise<Worker|null>, created on first use

const mb = (bytes) => (bytes < 1048576 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1048576).toFixed(bytes < 10485760 ? 1 : 0)} MB`);
const seconds = (ms) => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`);
// No browser: the core picks the one that wrote the HAR.
const harOptions = () => ({
  thirdPartyCookies: checked('har-3pc') || 'allowed',
  ...(checked('har-browser') ? { browser: checked('har-browser') } : {}),
  compareBrowsers: document.getElementById('har-compare').checked,
});
const nextFrame = () => new Promise((ok) => requestAnimationFrame(() => setTimeout(ok, 0)));

function showHarEmpty() {
  clear(har.report);
  har.report.appendChild(h('p', { class: 'empty-state' }, 'Drop a HAR file of the sign-in above to see the request where the session was lost.'));
  har.status.textContent = '';
  har.info.textContent = '';
}

function showProgress(label, value) {
  har.progress.hidden = false;
  har.progressLabel.textContent = label;
  if (value === undefined) har.progressBar.removeAttribute('value'); // indeterminate
  else har.progressBar.value = value;
  har.status.textContent = label;
}

function hideProgress() {
  har.progress.hidden = true;
}

/** Reads a File as an ArrayBuffer, reporting progress (large files take a moment). */
function readFile(file, onProgress) {
  return new Promise((ok, fail) => {
    const reader = new FileReader();
    reader.onprogress = (event) => { if (event.lengthComputable) onProgress(event.loaded, event.total); };
    reader.onload = () => ok(reader.result);
    reader.onerror = () => fail(reader.error ?? new Error('the file could not be read'));
    reader.readAsArrayBuffer(file);
  });
}

async function openHarFile(file) {
  if (!file) return;
  const run = ++harRun;
  const opened = performance.now();
  harFile = null;
  harPending = false;
  clear(har.report);
  har.info.textContent = '';
  showProgress(`Reading ${file.name}… 0 of ${mb(file.size)}`, 0);
  let buffer;
  try {
    buffer = await readFile(file, (loaded, total) => {
      if (run === harRun) showProgress(`Reading ${file.name}… ${mb(loaded)} of ${mb(total)}`, total ? loaded / total : 0);
    });
  } catch (error) {
    if (run !== harRun) return;
    hideProgress();
    renderError(har.report, 'The file could not be read.', String(error?.message ?? error));
    har.status.textContent = 'The file could not be read.';
    return;
  }
  if (run !== harRun) return;
  harFile = { name: file.name, size: buffer.byteLength, buffer, opened, readMs: performance.now() - opened };
  analyseHar();
}

function getWorker() {
  if (!harWorker) {
    harWorker = new Promise((ok) => {
      let worker;
      try {
        worker = new Worker(new URL('./har-worker.js', import.meta.url), { type: 'module', name: 'har-analysis' });
      } catch {
        ok(null);
        return;
      }
      const onMessage = (event) => {
        if (event.data?.type === 'ready') { cleanup(); ok(worker); }
        if (event.data?.type === 'failed') { cleanup(); worker.terminate(); ok(null); }
      };
      const onError = (event) => { event.preventDefault?.(); cleanup(); worker.terminate(); ok(null); };
      const cleanup = () => { worker.removeEventListener('message', onMessage); worker.removeEventListener('error', onError); };
      worker.addEventListener('message', onMessage);
      worker.addEventListener('error', onError);
    });
  }
  return harWorker;
}

let workerMessage = 0; // ids of the messages to the worker (analyses and texts)

/**
 * Runs the core's analyzeHar on `file` with `options`: in `worker` when given (the file's bytes
 * go there and come back), else here. Resolves to `{ report, ms }`; throws the core's error.
 */
async function runAnalysis(file, options, worker) {
  if (!(await bytesBack(file))) throw new Error('the file is no longer open');
  if (worker) {
    const id = ++workerMessage;
    const buffer = file.buffer;
    file.buffer = null;
    let back;
    file.returning = new Promise((ok) => { back = ok; });
    const answer = await new Promise((ok) => {
      const onMessage = (event) => {
        if (event.data?.id !== id) return;
        worker.removeEventListener('message', onMessage);
        ok(event.data);
      };
      worker.addEventListener('message', onMessage);
      worker.postMessage({ id, buffer, options }, [buffer]);
    });
    file.buffer = answer.buffer;
    file.returning = null;
    back();
    if (answer.error) throw new Error(answer.error);
    return { report: answer.report, ms: answer.ms };
  }
  const started = performance.now();
  const report = analyzeHar(new Uint8Array(file.buffer), options);
  return { report, ms: performance.now() - started };
}

/**
 * Waits while the file's bytes are in the worker for another analysis (the report's text asked
 * for while the options change, or the reverse). False when they are not coming back.
 */
async function bytesBack(file) {
  while (!file.buffer) {
    if (!file.returning) return false;
    await file.returning;
  }
  return true;
}

/**
 * The open file's report as plain text for a bug report (the core writes it, with the tokens'
 * signatures redacted): the file analysed again with the current options, when asked.
 */
async function harText(file) {
  if (!analyzeHar) return null;
  const worker = file.size > WORKER_OVER_BYTES ? await getWorker() : null;
  try {
    return (await runAnalysis(file, { ...harOptions(), text: true }, worker)).report?.text ?? null;
  } finally {
    // An analysis asked for while the bytes were away runs now.
    if (harPending && harFile === file) {
      harPending = false;
      analyseHar();
    }
  }
}

/** Analyses harFile with the current options: here for small files, in the worker for large ones. */
async function analyseHar() {
  if (!harFile) return;
  if (!harFile.buffer) { harPending = true; return; } // the worker has it; rerun when it is back
  if (!analyzeHar) return; // analysed once the core has loaded
  const run = ++harRun;
  const file = harFile;
  if (!file.readMs) file.opened = performance.now();
  const options = harOptions();
  showProgress(`Analysing… ${mb(file.size)}`);
  await nextFrame(); // let the progress state paint
  if (run !== harRun) return;
  let report;
  let ms;
  const worker = file.size > WORKER_OVER_BYTES ? await getWorker() : null;
  if (run !== harRun) return;
  try {
    ({ report, ms } = await runAnalysis(file, options, worker));
  } catch (error) {
    if (run !== harRun && harFile !== file) return;
    hideProgress();
    renderError(har.report, 'The analysis core stopped unexpectedly. This is a bug; reloading the page restarts it.',
      String(error?.message ?? error));
    har.status.textContent = 'The analysis failed.';
    return;
  }
  if (harFile !== file) return; // another file was opened meanwhile
  if (harPending || run !== harRun) { harPending = false; analyseHar(); return; }
  showProgress(`Drawing ${report.entries?.length ?? 0} requests…`);
  await nextFrame();
  if (run !== harRun) return;
  const drawStarted = performance.now();
  renderFlowReport(har.report, report, { copyText: () => harText(file) });
  const drawn = performance.now() - drawStarted;
  hideProgress();
  const total = performance.now() - file.opened;
  file.opened = performance.now(); // later runs (an option changed) time from their own start
  har.info.textContent = `${file.name} · ${mb(file.size)} · read in ${seconds(file.readMs)}, analysed in ${seconds(ms)}${worker ? ' (worker)' : ''}, drawn in ${seconds(drawn)}`;
  file.readMs = 0;
  har.info.dataset.analysisMs = String(Math.round(ms));
  har.info.dataset.drawMs = String(Math.round(drawn));
  har.info.dataset.totalMs = String(Math.round(total));
  har.status.textContent = flowSummary(report);
}

har.choose.addEventListener('click', () => har.input.click());
har.input.addEventListener('change', () => {
  openHarFile(har.input.files?.[0]);
  har.input.value = ''; // the same file can be chosen again
});
document.getElementById('har-3pc').addEventListener('change', () => analyseHar());
document.getElementById('har-browser').addEventListener('change', () => analyseHar());
document.getElementById('har-compare').addEventListener('change', () => analyseHar());
document.getElementById('har-clear').addEventListener('click', () => {
  harRun++;
  harFile = null;
  hideProgress();
  showHarEmpty();
  har.choose.focus();
});

// Drag and drop: onto the zone, or anywhere while the HAR view is open. A file dropped elsewhere
// must not make the browser navigate to it.
const hasFiles = (event) => [...(event.dataTransfer?.types ?? [])].includes('Files');
document.addEventListener('dragover', (event) => {
  if (!hasFiles(event)) return;
  event.preventDefault();
  const here = !har.view.hidden;
  event.dataTransfer.dropEffect = here ? 'copy' : 'none';
  har.drop.classList.toggle('har-dropzone-over', here);
});
document.addEventListener('dragleave', (event) => {
  if (event.relatedTarget === null) har.drop.classList.remove('har-dropzone-over');
});
document.addEventListener('drop', (event) => {
  if (!hasFiles(event)) return;
  event.preventDefault();
  har.drop.classList.remove('har-dropzone-over');
  if (!har.view.hidden) openHarFile(event.dataTransfer.files?.[0]);
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
    clear(har.report);
    const panel = document.getElementById('load-error');
    renderError(panel, 'The analysis core (WebAssembly) could not be loaded, so nothing can be analysed.',
      `${String(error?.message ?? error)}\n\nThe page needs a browser with WebAssembly and must be served over http(s), not opened as a file.`);
    panel.hidden = false;
    statusEl.textContent = 'The analysis core could not be loaded.';
    sc.status.textContent = statusEl.textContent;
    har.status.textContent = statusEl.textContent;
    return;
  }
  if (typeof core.analyzeSetCookie === 'function') analyzeSetCookie = core.analyzeSetCookie;
  else renderError(sc.report, 'This build of the core has no analyzeSetCookie, so Set-Cookie lines cannot be analysed.');
  if (typeof core.analyzeHar === 'function') analyzeHar = core.analyzeHar;
  else renderError(har.report, 'This build of the core has no analyzeHar, so HAR files cannot be analysed.');
  document.documentElement.dataset.ready = 'true';
  if (analyzeHar) analyseHar();
  run();
  if (analyzeSetCookie) runSetCookie();
}

showEmpty();
showSetCookieEmpty();
showHarEmpty();
load();
