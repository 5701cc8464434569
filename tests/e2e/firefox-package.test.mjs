// The Firefox package (target/extension/cookie-inspector-firefox.zip, made by ./build.sh) checked
// by Mozilla's own add-on linter, the validator Mozilla runs on add-on submissions: the
// manifest, the permissions, the CSP and every script; then installed, as shipped, in real
// Firefox (Debian's firefox-esr over WebDriver BiDi). BiDi does not navigate to moz-extension://
// pages, so the panel itself is driven in Chromium's tests only; the same code runs there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { ROOT } from '../support/page-harness.mjs';
import { launchFirefox } from '../support/firefox.mjs';

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

test('the Firefox package installs in real Firefox as it ships', { timeout: 120_000 }, async (t) => {
  const file = join(ROOT, 'target', 'extension', 'cookie-inspector-firefox.zip');
  await access(file);
  const firefox = await launchFirefox({ port: 18446 });
  t.after(() => firefox.close());
  const installed = await firefox.bidi.send('webExtension.install', { extensionData: { type: 'archivePath', path: file } });
  assert.equal(installed.extension, 'cookie-inspector@cookie-inspector.dev', firefox.version);
  // Not vacuous: Firefox refuses the Chrome package (its background is a service worker).
  await assert.rejects(
    firefox.bidi.send('webExtension.install', { extensionData: { type: 'archivePath', path: join(ROOT, 'target', 'extension', 'cookie-inspector-chrome.zip') } }),
    /webExtension.install/,
  );
});
