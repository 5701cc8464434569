// DevTools page: loaded whenever DevTools opens on a tab. Adds the "Cookie Inspector" panel and
// tells the recorder to record the inspected tab for as long as DevTools stays open, so the
// sign-in is on record before the panel is first shown.
import { MSG, PORT_NAME } from './lib/protocol.js';

const api = globalThis.chrome;
const tabId = api.devtools.inspectedWindow.tabId;

api.devtools.panels.create('Cookie Inspector', 'icons/icon-32.png', 'panel.html');

// The recorder may be stopped and started again by the browser: reconnect when the port drops.
function connect() {
  const port = api.runtime.connect({ name: PORT_NAME });
  port.postMessage({ type: MSG.INSPECT, tabId });
  port.onDisconnect.addListener(() => {
    void api.runtime.lastError; // read, so the browser does not log it as unchecked
    setTimeout(connect, 100);
  });
}
if (Number.isInteger(tabId)) connect();
