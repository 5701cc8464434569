// Records a sign-in flow in real Firefox and keeps the HAR that Firefox's own DevTools export
// for it, byte for byte: tests/fixtures/hars-firefox/oauth-strict-http.har.
//
//   node tests/differential/record-firefox.mjs [--out FILE]
//
// Needs firefox-esr and xvfb-run (Debian packages of those names) and the port 18080 free. Not
// part of ./build.sh test: the tests read the committed file (tests/har_fixtures.rs).
//
// How: Firefox starts in a fresh profile under Xvfb with DevTools open on the Network panel and
// the panel's automatic HAR export on (devtools.netmonitor.har.enableAutoExportToFile), which
// writes the requests of each page load when it completes. The flow is one navigation: a link on
// start.test opens app.test/login, which redirects to the identity provider idp.test, which
// redirects back to app.test/callback (code and state), which stores a SameSite=Strict session
// and redirects to /dashboard; the dashboard fetches /api/me. Host names resolve to 127.0.0.1
// through network.dns.localDomains. Plain http, so Firefox sends no Sec-Fetch-* headers, and
// the export has no _resourceType either: the request kinds must be read from what the browser
// asked for. TZ=Europe/Paris, so startedDateTime carries a +01:00 offset.
import { createServer } from 'node:http';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const outArg = process.argv.indexOf('--out');
const OUT = outArg > 0 ? process.argv[outArg + 1] : join(here, '..', 'fixtures', 'hars-firefox', 'oauth-strict-http.har');
const PORT = 18080;
const app = `http://app.test:${PORT}`;
const idp = `http://idp.test:${PORT}`;

function handler(req, res) {
  const host = (req.headers.host ?? '').split(':')[0];
  const go = (to, cookies = []) => {
    if (cookies.length) res.setHeader('Set-Cookie', cookies);
    res.writeHead(302, { Location: to }).end();
  };
  const html = (body) => res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(body);
  const path = req.url ?? '/';
  if (host === 'start.test' && path === '/start') {
    // DevTools takes a few seconds to open; the link is followed after that.
    return html('<!doctype html><title>start</title><a id="go" href="' + app + '/login">Sign in</a><script>setTimeout(() => document.getElementById("go").click(), 6000)</script>');
  }
  if (host === 'app.test' && path === '/login') {
    const back = encodeURIComponent(`${app}/callback`);
    return go(`${idp}/authorize?client_id=app&response_type=code&redirect_uri=${back}&state=s1`, ['oauth_state=s1; Path=/; HttpOnly; SameSite=Lax']);
  }
  if (host === 'idp.test' && path.startsWith('/authorize')) {
    return go(`${app}/callback?code=c1&state=s1`, ['idp_session=i1; Path=/; HttpOnly']);
  }
  if (host === 'app.test' && path.startsWith('/callback')) {
    return go(`${app}/dashboard`, ['session=abc123; Path=/; HttpOnly; SameSite=Strict', 'oauth_state=; Path=/; Max-Age=0']);
  }
  if (host === 'app.test' && path === '/dashboard') {
    return html('<!doctype html><title>dashboard</title><p>Dashboard</p><script>fetch("/api/me")</script>');
  }
  if (host === 'app.test' && path === '/api/me') {
    const signedIn = /(^|;\s*)session=/.test(req.headers.cookie ?? '');
    return res.writeHead(signedIn ? 200 : 401, { 'Content-Type': 'application/json' }).end(signedIn ? '{"user":"u1"}' : '{"error":"signed out"}');
  }
  res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
}

const PREFS = {
  'network.dns.localDomains': 'start.test,app.test,idp.test',
  'network.proxy.type': 0,
  'browser.shell.checkDefaultBrowser': false,
  'browser.startup.homepage_override.mstone': 'ignore',
  'datareporting.policy.dataSubmissionEnabled': false,
  'toolkit.telemetry.reportingpolicy.firstRun': false,
  'devtools.toolbox.selectedTool': 'netmonitor',
  'devtools.netmonitor.har.enableAutoExportToFile': true,
  'devtools.netmonitor.har.includeResponseBodies': true,
  'devtools.netmonitor.har.defaultFileName': 'flow',
};

async function main() {
  const server = createServer(handler);
  await new Promise((resolve, reject) => server.once('error', reject).listen(PORT, '127.0.0.1', resolve));
  const profile = mkdtempSync(join(tmpdir(), 'cookie-inspector-firefox-'));
  const exported = join(profile, 'har');
  mkdirSync(exported);
  const prefs = { ...PREFS, 'devtools.netmonitor.har.defaultLogDir': exported };
  writeFileSync(join(profile, 'user.js'), Object.entries(prefs).map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});`).join('\n') + '\n');
  const firefox = spawn('xvfb-run', ['-a', 'firefox-esr', '--no-remote', '--profile', profile, '-devtools', 'http://start.test:' + PORT + '/start'], {
    env: { ...process.env, TZ: 'Europe/Paris' }, stdio: 'ignore', detached: true,
  });
  const file = join(exported, 'flow.har');
  try {
    // The export is written when /dashboard has loaded; a moment more for /api/me to finish.
    const deadline = Date.now() + 60_000;
    while (!existsSync(file) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    if (!existsSync(file)) throw new Error('Firefox wrote no HAR within 60 s');
    await new Promise((r) => setTimeout(r, 1000));
    const text = readFileSync(file, 'utf8');
    const har = JSON.parse(text);
    const urls = har.log.entries.map((e) => `${e.request.method} ${e.request.url} ${e.response.status}`);
    if (!urls.some((u) => u.includes('/api/me'))) throw new Error(`the export lacks /api/me:\n${urls.join('\n')}`);
    mkdirSync(dirname(OUT), { recursive: true });
    writeFileSync(OUT, text);
    console.log(`${OUT}: ${har.log.creator.name} ${har.log.creator.version}, ${urls.length} entries`);
    for (const u of urls) console.log(`  ${u}`);
  } finally {
    try { process.kill(-firefox.pid, 'SIGTERM'); } catch { /* already gone */ }
    server.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

main().catch((e) => { console.error(e.message); process.exit(1); });
