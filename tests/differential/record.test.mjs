// node --test tests/differential/
//
// 1. Facts that must hold in the committed fixture (tests/fixtures/chromium-cookie-verdicts.json),
//    derived from what Chromium really does (no browser needed).
// 2. Re-records every scenario in Chromium (node tests/differential/record.mjs --out TMP) and
//    checks that Chromium's verdicts (sent cookies, reasons, refused Set-Cookie lines) per
//    step equal the fixture's, printing a readable diff when Chromium's behaviour changed.
//    Skipped when /usr/bin/chromium (or $CHROMIUM_PATH) is missing.
// 3. The HAR fixtures (tests/fixtures/hars/, record-hars.mjs): each HAR agrees with the
//    verdicts recorded with it, and a re-recording gives the same verdicts and the same
//    request/response skeleton (all in this file, one after the other: the tests share ports).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { diffRecordings } from './compare.mjs';
import { HAR_DIR, diffHarDirs, fileStem } from './record-hars.mjs';
import { HAR_SCENARIO_IDS } from './scenarios.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const FIXTURE = join(here, '..', 'fixtures', 'chromium-cookie-verdicts.json');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const load = (f) => JSON.parse(readFileSync(f, 'utf8'));

const byId = (data) => new Map(data.scenarios.map((s) => [s.id, s]));
const stepAt = (sc, url, method = null) => {
  const st = sc.steps.find((s) => new URL(s.url).pathname === url && (!method || s.method === method));
  assert.ok(st, `${sc.id}: no step for ${method ?? ''} ${url}`);
  return st;
};
const cookie = (st, name) => st.cookies.find((c) => c.name === name);
const sent = (st) => st.cookies.filter((c) => c.reasons.length === 0);

// Facts about Chromium's cookie behaviour that the fixture must show.
function checkFacts(data) {
  const s = byId(data);
  const get = (id) => { const sc = s.get(id); assert.ok(sc, `scenario ${id} missing`); return sc; };

  // Every step was seen on the wire, and the Cookie header is exactly the sent cookies.
  for (const sc of data.scenarios) {
    for (const st of sc.steps) {
      assert.equal(st.missing, undefined, `${sc.id}: ${st.url} has no requestWillBeSentExtraInfo`);
      const names = sent(st).map((c) => (c.name ? `${c.name}=` : ''));
      const header = st.cookieHeader ? st.cookieHeader.split('; ').map((p) => (p.includes('=') ? `${p.split('=')[0]}=` : '')) : [];
      assert.deepEqual(header, names, `${sc.id}: ${st.url}: Cookie header vs sent cookies`);
    }
  }

  // The matrix really exercises the send step: the cookie was stored before the read.
  for (const sc of data.scenarios) {
    if (!/^(no-samesite|samesite-(lax|strict|none-secure|invalid))\//.test(sc.id)) continue;
    const read = sc.steps.at(-1);
    assert.ok(cookie(read, 'c'), `${sc.id}: cookie c was not even considered on the read step (never stored?)`);
    assert.equal(sc.steps[0].blockedSetCookies.length, 0, `${sc.id}: the set step refused the cookie`);
  }

  // OAuth form_post chain, SameSite=Strict: session withheld on /dashboard (the redirect chain
  // began on idp.test), state withheld on the cross-site POST, both sent after a same-site click.
  {
    const sc = get('oauth/strict-302');
    const cb = stepAt(sc, '/callback', 'POST');
    assert.equal(cb.status, 302);
    assert.deepEqual(cb.setCookie, ['session=abc123; SameSite=Strict; Secure; Path=/; HttpOnly']);
    assert.deepEqual(cb.blockedSetCookies, [], 'a Strict cookie can be set by a cross-site top-level navigation response');
    assert.match(cookie(cb, 'oauth_state').reasons.join(), /SameSite.*Strict/);
    const dash = stepAt(sc, '/dashboard');
    assert.equal(dash.redirectedFrom, `${new URL(dash.url).origin}/callback`);
    assert.match(cookie(dash, 'session')?.reasons.join() ?? 'not associated', /SameSite.*Strict/);
    assert.deepEqual(sent(stepAt(sc, '/account')).map((c) => c.name), ['oauth_state', 'session']);
  }
  // SameSite=Lax: withheld on the POST, sent on the top-level GET after the 302.
  {
    const sc = get('oauth/lax-302');
    assert.match(cookie(stepAt(sc, '/callback', 'POST'), 'oauth_state').reasons.join(), /SameSite.*Lax/);
    assert.deepEqual(cookie(stepAt(sc, '/dashboard'), 'session').reasons, []);
  }
  // A 307 keeps the POST: Lax withheld on /dashboard too.
  assert.match(cookie(stepAt(get('oauth/lax-307'), '/dashboard', 'POST'), 'session').reasons.join(), /SameSite.*Lax/);
  // No SameSite: Lax by default, but a cookie younger than 2 minutes still goes on a
  // top-level cross-site POST (Chromium's Lax-allowing-unsafe).
  {
    const cb = stepAt(get('oauth/no-samesite-302'), '/callback', 'POST');
    assert.deepEqual(cookie(cb, 'oauth_state').reasons, []);
    assert.ok((cb.issues ?? []).some((i) => i.cookie === 'oauth_state' && i.warnings.includes('WarnSameSiteUnspecifiedLaxAllowUnsafe')),
      'Chromium flags the Lax-allowing-unsafe exception with a DevTools issue');
  }
  assert.deepEqual(cookie(get('no-samesite/cross-site-form-post').steps.at(-1), 'c').reasons, []);
  // …but not on a cross-site subresource.
  assert.match(cookie(get('no-samesite/cross-site-fetch').steps.at(-1), 'c').reasons.join(), /SameSiteUnspecifiedTreatedAsLax/);
  assert.match(cookie(get('samesite-lax/cross-site-form-post').steps.at(-1), 'c').reasons.join(), /SameSite.*Lax/);
  assert.deepEqual(cookie(get('samesite-lax/cross-site-link').steps.at(-1), 'c').reasons, []);
  assert.match(cookie(get('samesite-strict/cross-site-link').steps.at(-1), 'c').reasons.join(), /SameSite.*Strict/);
  // Schemeful same-site: http://app.test → https://app.test is cross-site for Strict.
  assert.match(cookie(get('samesite-strict/http-to-https-link').steps.at(-1), 'c').reasons.join(), /SchemefulSameSiteStrict/);

  const refused = (id, reason) => {
    const sc = get(id);
    const all = sc.steps.flatMap((st) => st.blockedSetCookies.flatMap((b) => b.reasons));
    assert.ok(all.includes(reason), `${id}: expected a Set-Cookie refused with ${reason}, got ${JSON.stringify(all)}`);
    assert.equal(sent(sc.steps.at(-1)).length, 0, `${id}: nothing must be sent on the read step`);
  };
  refused('samesite-none-insecure/same-site-link', 'SameSiteNoneInsecure');
  refused('secure/over-http', 'SecureOnly');
  refused('domain/foreign', 'InvalidDomain');
  refused('domain/public-suffix-vercel', 'InvalidDomain');
  refused('prefix/host-without-path', 'InvalidPrefix');
  refused('prefix/host-without-secure', 'InvalidPrefix');
  refused('prefix/host-with-domain', 'InvalidPrefix');
  refused('prefix/secure-without-secure', 'InvalidPrefix');
  refused('size/name-value-4097', 'NameValuePairExceedsMaxSize');
  refused('syntax/control-char-value', 'DisallowedCharacter');
  refused('set-third-party/fetch/samesite-none-secure', 'UserPreferences');
  assert.deepEqual(sent(get('size/name-value-4096').steps.at(-1)).map((c) => c.name), ['c']);
  assert.deepEqual(sent(get('secure/over-http-localhost').steps.at(-1)).map((c) => c.name), ['c'], 'http://localhost may set Secure cookies');
  assert.deepEqual(sent(get('domain/parent-from-subdomain').steps.at(-1)).map((c) => c.name), ['c']);
  assert.deepEqual(get('path/admin-then-root').steps[1].cookies.map((c) => c.reasons), [['NotOnPath']]);
  assert.deepEqual(get('expiry/max-age-0-deletes').steps.at(-1).cookies, [], 'Max-Age=0 deletes');
  assert.equal(get('syntax/empty-name').steps.at(-1).cookieHeader, 'v1', 'a nameless cookie is sent as its value');
  // Third-party cookies are blocked in this browser context (UserPreferences)…
  assert.ok(cookie(get('samesite-none-secure/cross-site-iframe').steps.at(-1), 'c').reasons.includes('UserPreferences'));
  // …but a Partitioned one is stored in the idp.test partition and sent there.
  {
    const sc = get('set-third-party/fetch/samesite-none-secure-partitioned');
    assert.deepEqual(sent(stepAt(sc, '/read3p')).map((c) => c.name), ['c']);
    assert.deepEqual(stepAt(sc, '/read').cookies, []);
  }
}

test('the committed fixture shows the facts Chromium is known for', () => {
  checkFacts(load(FIXTURE));
});

test('Chromium still decides as recorded (re-record and diff)', { timeout: 180_000 }, async () => {
  // No silent skip: without the browser this test has nothing to say, and that is a failure.
  assert.ok(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM}: ./build.sh test installs it`);
  const dir = mkdtempSync(join(tmpdir(), 'cookie-diff-'));
  try {
    const out = join(dir, 'verdicts.json');
    const t0 = Date.now();
    await new Promise((resolve, reject) => {
      execFile(process.execPath, [join(here, 'record.mjs'), '--out', out], { timeout: 170_000, maxBuffer: 1 << 24 }, (err, _stdout, stderr) => {
        if (err) reject(new Error(`record.mjs failed: ${err.message}\n${stderr.split('\n').slice(-15).join('\n')}`));
        else resolve();
      });
    });
    const fresh = load(out);
    const fixture = load(FIXTURE);
    const diff = diffRecordings(fixture, fresh);
    if (diff.length) {
      assert.fail(`Chromium ${fresh.chromium} (fixture: ${fixture.chromium}) decides differently in ${diff.length} place(s):\n${diff.join('\n')}\n` +
        'If the change is expected, re-record: node tests/differential/record.mjs');
    }
    checkFacts(fresh);
    console.log(`# re-recorded ${fresh.scenarios.length} scenarios in ${((Date.now() - t0) / 1000).toFixed(1)} s: identical verdicts`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// The HAR fixtures: shaped like DevTools' export, and consistent with Chromium's verdicts.
test('the HAR fixtures are DevTools-shaped and agree with their verdicts', () => {
  for (const id of HAR_SCENARIO_IDS) {
    const stem = join(HAR_DIR, fileStem(id));
    assert.ok(existsSync(`${stem}.har`) && existsSync(`${stem}.verdicts.json`), `${id}: no fixture (node tests/differential/record-hars.mjs)`);
    const { log } = load(`${stem}.har`);
    const verdicts = load(`${stem}.verdicts.json`);
    assert.equal(verdicts.id, id);
    assert.equal(log.version, '1.2');
    assert.equal(log.creator.name, 'WebInspector');
    assert.equal(log.entries.length, verdicts.entries.length, `${id}: entries`);
    let last = '';
    log.entries.forEach((e, i) => {
      const v = verdicts.entries[i];
      const at = `${id} entry ${i}`;
      assert.equal(e.request.url, v.url, at);
      assert.match(e._resourceType, /^[a-z]+$/, at);
      assert.match(e.startedDateTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, at);
      assert.ok(e.startedDateTime >= last, `${at}: startedDateTime goes back`);
      last = e.startedDateTime;
      for (const k of ['method', 'url', 'httpVersion', 'headers', 'queryString', 'cookies']) assert.ok(k in e.request, `${at}: request.${k}`);
      for (const k of ['status', 'statusText', 'headers', 'redirectURL', 'content']) assert.ok(k in e.response, `${at}: response.${k}`);
      const named = (hs, n) => hs.filter((h) => h.name.toLowerCase() === n).map((h) => h.value);
      // The Cookie header is exactly what Chromium says it sent.
      const cookie = named(e.request.headers, 'cookie');
      assert.ok(cookie.length <= 1, at);
      const names = cookie.length ? cookie[0].split('; ').map((p) => (p.includes('=') ? p.split('=')[0] : '')) : [];
      assert.deepEqual(names, v.cookies.filter((c) => c.reasons.length === 0).map((c) => c.name), `${at}: Cookie header vs sent cookies`);
      assert.deepEqual(e.request.cookies.map((c) => c.name), names, `${at}: request.cookies`);
      // One Set-Cookie header per line (DevTools splits CDP's \n-joined value), every refused one among them.
      const lines = named(e.response.headers, 'set-cookie');
      assert.ok(lines.every((l) => !l.includes('\n')), at);
      for (const b of v.blockedSetCookies) assert.ok(lines.includes(b.line), `${at}: blocked line ${b.line} not in the HAR`);
      if (e.response.status >= 300 && e.response.status < 400) assert.ok(e.response.redirectURL, `${at}: redirect without redirectURL`);
    });
  }
});

test('Chromium still records the HAR fixtures the same (re-record and diff)', { timeout: 120_000 }, async () => {
  assert.ok(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM}: ./build.sh test installs it`);
  const dir = mkdtempSync(join(tmpdir(), 'cookie-hars-'));
  try {
    const t0 = Date.now();
    await new Promise((resolve, reject) => {
      execFile(process.execPath, [join(here, 'record-hars.mjs'), '--out', dir], { timeout: 110_000, maxBuffer: 1 << 24 }, (err, _stdout, stderr) => {
        if (err) reject(new Error(`record-hars.mjs failed: ${err.message}\n${stderr.split('\n').slice(-15).join('\n')}`));
        else resolve();
      });
    });
    const diff = diffHarDirs(HAR_DIR, dir);
    if (diff.length) {
      assert.fail(`the HAR fixtures changed in ${diff.length} place(s):\n${diff.join('\n')}\n` +
        'If the change is expected, re-record: node tests/differential/record-hars.mjs');
    }
    console.log(`# re-recorded ${HAR_SCENARIO_IDS.length} HAR flows in ${((Date.now() - t0) / 1000).toFixed(1)} s: identical verdicts and requests`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// Firefox's verdicts (tests/fixtures/firefox-cookie-verdicts.json, record-firefox-verdicts.mjs):
// re-recorded in real Firefox, every request's Cookie header and every scenario's final jar must
// be the fixture's (the engine's Firefox rules are checked against the fixture by
// `cargo test --test differential`). In this file, after the Chromium runs: they share the ports.
const FIREFOX_FIXTURE = join(here, '..', 'fixtures', 'firefox-cookie-verdicts.json');
const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

function diffFirefox(old, fresh) {
  const out = [];
  const before = new Map(old.scenarios.map((s) => [s.id, s]));
  for (const s of fresh.scenarios) {
    const o = before.get(s.id);
    if (!o) { out.push(`${s.id}: new scenario`); continue; }
    const line = (r) => `${r.method} ${r.url} Cookie: ${r.cookieHeader ?? '(none)'}`;
    const a = o.requests.map(line);
    const b = s.requests.map(line);
    if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`${s.id}: requests\n  was ${a.join('\n      ')}\n  now ${b.join('\n      ')}`);
    const jar = (j) => j.map((c) => `${c.name}@${c.domain}${c.path} sameSite=${c.sameSite}`).join(', ');
    if (jar(o.jar) !== jar(s.jar)) out.push(`${s.id}: jar was [${jar(o.jar)}], now [${jar(s.jar)}]`);
  }
  return out;
}

test('Firefox still decides the same (re-record in Firefox and diff)', { timeout: 300_000 }, async () => {
  assert.ok(existsSync(FIREFOX), `no Firefox at ${FIREFOX}: ./build.sh test installs it`);
  const dir = mkdtempSync(join(tmpdir(), 'cookie-firefox-'));
  const out = join(dir, 'firefox.json');
  try {
    const t0 = Date.now();
    await new Promise((resolve, reject) => {
      // Node 20's WebSocket client is behind a flag.
      execFile(process.execPath, ['--experimental-websocket', join(here, 'record-firefox-verdicts.mjs'), '--out', out], { timeout: 280_000, maxBuffer: 1 << 24, env: { ...process.env, FIREFOX_PATH: FIREFOX } }, (err, _stdout, stderr) => {
        if (err) reject(new Error(`record-firefox-verdicts.mjs failed: ${err.message}\n${stderr.split('\n').slice(-15).join('\n')}`));
        else resolve();
      });
    });
    const fixture = load(FIREFOX_FIXTURE);
    const fresh = load(out);
    assert.equal(fresh.scenarios.length, fixture.scenarios.length);
    const diff = diffFirefox(fixture, fresh);
    if (diff.length) {
      assert.fail(`${fresh.firefox} (fixture: ${fixture.firefox}) decides differently in ${diff.length} place(s):\n${diff.join('\n')}\n` +
        'If the change is expected, re-record: node --experimental-websocket tests/differential/record-firefox-verdicts.mjs');
    }
    console.log(`# re-recorded ${fresh.scenarios.length} scenarios in ${fresh.firefox} in ${((Date.now() - t0) / 1000).toFixed(1)} s: identical`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
