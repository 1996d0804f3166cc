// Privacy and integrity of the page: a full visit (load, train, open a CSV, explore, share
// with the QR code and the trained model, export every file, deploy, open a model file)
// makes no request to any origin but the app's own, and Chromium reports no
// Content-Security-Policy violation; the policy itself is strict.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { trainEpochs, ARTIFACTS, startSuite, stopSuite } from './lib.mjs';

let server, browser;
const dir = path.join(ARTIFACTS, 'privacy');
before(async () => ({ server, browser } = await startSuite(dir)));
after(() => stopSuite(server, browser));

test('a full visit requests nothing from another origin and violates no CSP rule', async () => {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, acceptDownloads: true });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  const page = await context.newPage();
  const origin = new URL(server.url).origin;
  const foreign = [];
  const seen = new Set();
  context.on('request', (r) => {
    const url = r.url();
    if (/^(data|blob|about):/.test(url)) return;
    seen.add(new URL(url).origin);
    if (new URL(url).origin !== origin) foreign.push(url);
  });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error' || /Content.Security.Policy/i.test(m.text())) errors.push(m.text()); });
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective}: ${e.blockedURI}`));
  });
  await page.goto(server.url + '#v=1&data=spiral&hidden=8,8&act=relu');
  await page.waitForSelector('body.ready', { timeout: 15000 });
  const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  assert.match(csp, /default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'sha256-[^']+'; style-src 'self'; style-src-attr 'unsafe-inline';/);
  // No eval and no unpinned inline script: 'unsafe-inline' only for style attributes.
  assert.doesNotMatch(csp, /'unsafe-eval'/);
  assert.equal(csp.match(/'unsafe-inline'/g).length, 1);
  // Train from the Play button.
  await page.click('#play');
  await page.waitForFunction(() => window.latih.lab.epoch() >= 10);
  await page.click('#play');
  // Open a CSV file, explore it, train a classical model on it.
  const csv = path.join(dir, 'visit.csv');
  fs.writeFileSync(csv, 'a,b,label\n' + Array.from({ length: 80 }, (_, i) => `${i % 9},${(i * 7) % 11},${i % 2 ? 'x' : 'y'}`).join('\n'));
  await page.setInputFiles('#csv-file', csv);
  await page.waitForFunction(() => window.latih.lab.settings().data === 'csv');
  await page.selectOption('#model', 'knn');
  await trainEpochs(page, 1);
  // Share: copy, QR code, trained model in the link, embed snippet.
  await page.click('#share');
  await page.click('#share-copy');
  await page.check('#share-model');
  await page.click('#embed-copy');
  const downloads = [];
  const save = async (selector) => {
    const [d] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
    downloads.push(d.suggestedFilename());
    const file = path.join(dir, d.suggestedFilename());
    await d.saveAs(file);
    return file;
  };
  await save('#share-file');
  await page.keyboard.press('Escape');
  // Every export.
  for (const id of ['#export-predictions', '#export-view', '#export-loss', '#export-notebook', '#export-spark', '#export-spark-notebook', '#export-page']) await save(id);
  const model = await save('#export-model');
  // Open what was saved.
  await page.setInputFiles('#csv-file', model);
  await page.waitForFunction(() => /restored at epoch/.test(document.querySelector('#notice-text').textContent));
  // A regression chart (plotters measures its labels with a styled span) draws without a violation.
  await page.evaluate(() => window.latih.lab.load('v=1&data=diabetes&model=ridge'));
  await page.evaluate(() => window.latih.lab.train(50, 1));
  await page.evaluate(() => window.latih.lab.draw_model(document.getElementById('model-chart')));
  assert.equal(downloads.length, 9, downloads.join());
  assert.deepEqual(foreign, []);
  assert.deepEqual([...seen], [origin]);
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  assert.deepEqual(errors, []);
  await context.close();
});
