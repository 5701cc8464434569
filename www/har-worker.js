// Runs the core's analyzeHar off the page's main thread, for large HAR files: the page stays
// responsive while a 10 MB recording is replayed. Same core, same origin, no network use besides
// loading it. Protocol:
//   worker → page  { type: 'ready' } once the core is loaded, or { type: 'failed', message }
//   page → worker  { id, buffer: ArrayBuffer (transferred), options }
//   worker → page  { id, report, buffer (transferred back), ms } or { id, error, buffer }
import init, { analyzeHar } from './pkg/cookie_inspector.js';

const ready = init().then(
  () => { self.postMessage({ type: 'ready' }); return true; },
  (error) => { self.postMessage({ type: 'failed', message: String(error?.message ?? error) }); return false; },
);

self.addEventListener('message', async (event) => {
  const { id, buffer, options } = event.data ?? {};
  if (!(buffer instanceof ArrayBuffer)) return;
  if (!(await ready)) {
    self.postMessage({ id, error: 'the analysis core could not be loaded in the worker', buffer }, [buffer]);
    return;
  }
  try {
    const started = performance.now();
    const report = analyzeHar(new Uint8Array(buffer), options ?? {});
    self.postMessage({ id, report, buffer, ms: performance.now() - started }, [buffer]);
  } catch (error) {
    self.postMessage({ id, error: String(error?.message ?? error), buffer }, [buffer]);
  }
});
