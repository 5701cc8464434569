// The paste page: reads the textarea (and the optional secret), runs the wasm core, renders.
// Nothing is stored or sent: no storage APIs, no URL changes, no network use after loading.
import { renderReport, renderError, reportSummary } from './ui/render.js';
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

async function load() {
  try {
    const core = await import('./pkg/cookie_inspector.js');
    await core.default();
    if (typeof core.analyzeToken !== 'function') throw new Error('the core has no analyzeToken export');
    analyze = core.analyzeToken;
  } catch (error) {
    renderError(reportEl, 'The analysis core (WebAssembly) could not be loaded, so nothing can be analysed.',
      `${String(error?.message ?? error)}\n\nThe page needs a browser with WebAssembly and must be served over http(s), not opened as a file.`);
    statusEl.textContent = 'The analysis core could not be loaded.';
    return;
  }
  document.documentElement.dataset.ready = 'true';
  run();
}

showEmpty();
load();
