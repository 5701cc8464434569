// Compares two recordings of chromium-cookie-verdicts.json, step by step, on what the
// engine must predict: which cookies were sent or withheld and why, which Set-Cookie lines
// were refused and why, and the request context those verdicts depend on.
//
//   node tests/differential/compare.mjs OLD.json NEW.json    # prints the differences
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const byId = (data) => new Map(data.scenarios.map((s) => [s.id, s]));

// The verdict part of a step: what the engine must predict. (Initiator, siteForCookies and
// secFetchSite are context, compared too, since a change there changes the meaning.)
export function verdict(st) {
  return {
    request: `${st.method} ${st.url} ${st.resourceType}${st.topLevel ? ' top-level' : ''} → ${st.status}`,
    context: `initiator=${st.initiator} siteForCookies=${st.siteForCookies} sec-fetch-site=${st.secFetchSite}${st.redirectedFrom ? ` redirected from ${st.redirectedFrom}` : ''}`,
    cookies: st.cookies.map((c) => `${c.name || '(nameless)'}: ${c.reasons.length ? c.reasons.join('+') : 'sent'}${c.exemptionReason ? ` (exempt: ${c.exemptionReason})` : ''}`),
    blockedSetCookies: st.blockedSetCookies.map((b) => `${JSON.stringify(b.line.length > 80 ? `${b.line.slice(0, 60)}…` : b.line)}: ${b.reasons.join('+')}`),
    cookieHeader: st.cookieHeader,
    otherPartition: Boolean(st.siteHasCookieInOtherPartition),
    issues: (st.issues ?? []).map((i) => `${i.operation} ${i.cookie ?? i.line}: ${[...i.exclusions, ...i.warnings].join('+')} (site-for-cookies ${i.siteForCookies})`),
  };
}

export function diffRecordings(expected, actual) {
  const out = [];
  const e = byId(expected);
  const a = byId(actual);
  for (const id of e.keys()) if (!a.has(id)) out.push(`- scenario ${id}: in the fixture, not re-recorded`);
  for (const id of a.keys()) if (!e.has(id)) out.push(`+ scenario ${id}: new (not in the fixture; re-record)`);
  for (const [id, es] of e) {
    const as = a.get(id);
    if (!as) continue;
    const n = Math.max(es.steps.length, as.steps.length);
    for (let i = 0; i < n; i++) {
      const ev = es.steps[i] && verdict(es.steps[i]);
      const av = as.steps[i] && verdict(as.steps[i]);
      if (!ev || !av) {
        out.push(`${id} step ${i + 1}: ${ev ? `fixture has ${ev.request}, now missing` : `new step ${av.request}`}`);
        continue;
      }
      for (const k of Object.keys(ev)) {
        const x = JSON.stringify(ev[k]);
        const y = JSON.stringify(av[k]);
        if (x !== y) out.push(`${id} step ${i + 1} (${es.steps[i].method} ${es.steps[i].url}) ${k}:\n    fixture: ${x}\n    Chromium now: ${y}`);
      }
    }
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [a, b] = process.argv.slice(2).map((f) => JSON.parse(readFileSync(f, 'utf8')));
  const diff = diffRecordings(a, b);
  console.log(diff.length ? diff.join('\n') : 'same verdicts');
  process.exitCode = diff.length ? 1 : 0;
}
