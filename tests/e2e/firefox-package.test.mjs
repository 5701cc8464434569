// The Firefox package (target/extension/cookie-inspector-firefox.zip, made by ./build.sh) checked
// by Mozilla's own add-on linter, the validator Mozilla runs on add-on submissions: the
// manifest, the permissions, the CSP and every script. No Firefox build that a test can drive is
// available here, so this is the Firefox gate; the same code runs in Chromium's tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { ROOT } from '../support/page-harness.mjs';

const require = createRequire(import.meta.url);
const linter = require('addons-linter');

async function lint(file) {
  await access(file).catch(() => { throw new Error(`${file} is missing: run ./build.sh build first`); });
  const instance = linter.createInstance({ config: { _: [file], logLevel: 'fatal', stack: false, pretty: false, warningsAsErrors: false, metadata: false, output: 'none', boring: true, selfHosted: false }, runAsBinary: false });
  return instance.run();
}

const summary = (r) => [...r.errors, ...r.warnings].map((m) => `${m.code}: ${m.message} (${m.file ?? ''})`).join('\n');

test('the Firefox package passes Mozilla\'s add-on linter with no error and no warning', { timeout: 120_000 }, async () => {
  const result = await lint(join(ROOT, 'target', 'extension', 'cookie-inspector-firefox.zip'));
  assert.equal(result.errors.length, 0, summary(result));
  assert.equal(result.warnings.length, 0, summary(result));
});

test('the linter is not vacuous: the Chrome package, with its service worker, fails it for Firefox', { timeout: 120_000 }, async () => {
  const result = await lint(join(ROOT, 'target', 'extension', 'cookie-inspector-chrome.zip'));
  assert.ok(result.errors.some((e) => e.code === 'MANIFEST_FIELD_UNSUPPORTED'), summary(result));
});
