// Writes the seed corpus of every fuzz target (fuzz/corpus/<target>/) from real inputs:
// the http-state parser and date suites, the recorded Chromium scenarios, the RFC 7520 (JOSE
// cookbook) compact tokens, the JWS and session-cookie vectors and the recorded HAR flows.
//
//   node fuzz/make-corpus.mjs            (from the repository root; ../shared/corpora beside it)
//
// Each file is named after its source, so a crash in a seed's neighbourhood says where it came
// from. The formats are the ones the targets' doc comments describe.
import { readFileSync, writeFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const corpora = join(root, '..', 'shared', 'corpora');
const fixtures = join(root, 'tests', 'fixtures');
const json = (p) => JSON.parse(readFileSync(p, 'utf8'));

function target(name) {
  const dir = join(root, 'fuzz', 'corpus', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return (file, bytes) => writeFileSync(join(dir, file.replace(/[^A-Za-z0-9._-]+/g, '_')), bytes);
}
const flagged = (flag, text) => Buffer.concat([Buffer.from([flag]), Buffer.from(text, 'utf8')]);

// set_cookie: flag byte, "responseURL [nextURL [initiator]]", then one Set-Cookie line per line.
{
  const put = target('set_cookie');
  for (const c of json(join(corpora, 'http-state', 'parser.json'))) {
    const base = 'http://home.example.org:8888/cookie-parser';
    const sentTo = c['sent-to'] ? new URL(c['sent-to'], `${base}?${c.test}`).href : `${base}-result?${c.test}`;
    put(`http-state-${c.test}`, flagged(0x00, [`${base}?${c.test} ${sentTo}`, ...c.received].join('\n')));
  }
  for (const file of ['examples.json', 'bsd-examples.json']) {
    json(join(corpora, 'http-state', 'dates', file)).forEach((d, i) => {
      put(`date-${file.replace('.json', '')}-${i}`, flagged(0x80, `https://app.test/ https://app.test/\nsession=1; Expires=${d.test}`));
    });
  }
  // The recorded Chromium scenarios: set on the first step, read on the last.
  const kinds = { Document: 0, Fetch: 2, Image: 3 };
  for (const s of json(join(fixtures, 'chromium-cookie-verdicts.json')).scenarios) {
    const first = s.steps[0];
    const last = s.steps[s.steps.length - 1];
    const flag = (kinds[last.resourceType] ?? 0) | (last.method === 'POST' ? 0x04 : 0) | (last.topLevel ? 0 : 0x08) | 0x20;
    const urls = [first.url, last.url, last.initiator].filter(Boolean).join(' ');
    put(`chromium-${s.id}`, flagged(flag, [urls, ...s.setCookie].join('\n')));
  }
}

// token: flag byte, the pasted text, optionally NUL + secret, optionally NUL + public key.
{
  const put = target('token');
  for (const dir of ['jws', 'jwe', 'curve25519']) {
    for (const file of readdirSync(join(corpora, 'jose-cookbook', dir))) {
      const compact = json(join(corpora, 'jose-cookbook', dir, file)).output?.compact;
      if (compact) put(`rfc7520-${file.replace('.json', '')}`, flagged(0x00, compact));
    }
  }
  // The same JWS vectors with their key (a private JWK: its public part is used).
  for (const file of ['4_1.rsa_v15_signature.json', '4_3.ecdsa_signature.json']) {
    const v = json(join(corpora, 'jose-cookbook', 'jws', file));
    put(`rfc7520-${file.replace('.json', '')}-key`, flagged(0x00, `${v.output.compact}\0\0${JSON.stringify(v.input.key)}`));
  }
  // Tokens signed by jose, with the public key of each case in the form the case names.
  const jws = json(join(fixtures, 'jws-vectors.json'));
  jws.cases.forEach((c, i) => {
    if (c.publicKeys?.length) put(`jws-vector-${i}-${c.alg}`, flagged(0x00, `${c.token}\0\0${jws.keyTexts[c.publicKeys[0]] ?? c.publicKeys[0]}`));
  });
  const vectors = json(join(fixtures, 'jwe-vectors.json'));
  const names = ['authjs.session-token', 'next-auth.session-token', '__Secure-authjs.session-token', 'my-app.session'];
  const nameFlag = (n) => (names.includes(n) ? 0x40 | (names.indexOf(n) << 4) : 0);
  vectors.tokens.forEach((t, i) => {
    const secret = (t.secrets ?? [vectors.secrets.current])[0];
    put(`jwe-vector-${i}`, flagged(0x02 | nameFlag(t.cookieName), `${t.token}\0${secret}`));
    put(`jwe-vector-${i}-cookie`, flagged(0x00, `Cookie: theme=dark; ${t.cookieName}=${t.token}`));
  });
  for (const [section, list] of [['chunked', vectors.chunked], ['supabase', vectors.supabase]]) {
    list.forEach((c, i) => {
      const header = 'Cookie: ' + c.cookies.map((k) => `${k.name}=${k.value}`).join('; ');
      put(`${section}-${i}`, flagged(0x40 | nameFlag(c.cookieName), `${header}\0${(c.secrets ?? [vectors.secrets.current])[0]}`));
    });
  }
}

// har: the recorded flows as exported.
{
  const put = target('har');
  const dir = join(fixtures, 'hars');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.har'))) put(file, readFileSync(join(dir, file)));
  // The custom fields that change what a missing Cookie header means: the recorder's mark (and
  // one of the wrong type) and a service worker's answer.
  const marked = json(join(dir, 'flow__session-refused.har'));
  marked.log.entries[1]._requestHeadersAsSent = 'yes';
  marked.log.entries[2]._requestHeadersAsSent = true;
  marked.log.entries[3].response._fetchedViaServiceWorker = true;
  put('marks-and-service-worker.har', JSON.stringify(marked));
}

// audit: the panel's JSON — the vectors' cookies as chrome.cookies lists them, tokens in storage.
{
  const put = target('audit');
  const vectors = json(join(fixtures, 'jwe-vectors.json'));
  const cookie = (k, extra = {}) => ({ name: k.name, value: k.value, domain: 'app.test', hostOnly: true, path: '/', secure: true, httpOnly: true, sameSite: 'lax', session: false, expirationDate: 1798051772, ...extra });
  for (const [section, list] of [['chunked', vectors.chunked], ['supabase', vectors.supabase]]) {
    list.forEach((c, i) => {
      put(`${section}-${i}.json`, JSON.stringify({
        cookies: [...c.cookies.map((k) => cookie(k)), cookie({ name: 'theme', value: 'dark' }, { httpOnly: false, sameSite: 'strict' })],
        storage: c.session ? [{ area: 'localStorage', origin: 'https://app.test', key: c.cookieName, value: JSON.stringify(c.session) }] : [],
        now: vectors.generatedAt,
        secrets: c.secrets ?? [vectors.secrets.current],
        cookieName: c.cookieName,
      }));
    });
  }
  vectors.tokens.forEach((t, i) => {
    put(`jwe-vector-${i}.json`, JSON.stringify({
      cookies: [cookie({ name: t.cookieName, value: t.token }, { sameSite: i % 2 ? 'strict' : 'no_restriction', secure: i % 3 !== 0 })],
      storage: [{ area: 'sessionStorage', origin: 'https://app.test', key: 'auth', value: JSON.stringify({ access_token: t.token, refresh_token: 'r' }) }],
      now: vectors.generatedAt,
      secrets: t.secrets ?? [vectors.secrets.current],
    }));
  });
  const jws = json(join(corpora, 'jose-cookbook', 'jws', '4_4.hmac-sha2_integrity_protection.json')).output.compact;
  put('rfc7520-4_4-storage.json', JSON.stringify({ storage: [{ area: 'localStorage', origin: 'https://app.test', key: 'token', value: jws }] }));
}
