// "Deploy as a web page": the exported HTML file opens from disk with every network request
// blocked, and predicts what the playground predicts: a table model from its form, and the
// digits model from its drawing pad. Screenshots (phone width) go to tests/artifacts/share/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { openApp, trainEpochs, ARTIFACTS, startSuite, stopSuite } from './lib.mjs';

let server, browser;
const dir = path.join(ARTIFACTS, 'share');
before(async () => ({ server, browser } = await startSuite(dir)));
after(() => stopSuite(server, browser));

async function exportPage(page, name) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-page')]);
  const file = path.join(dir, name);
  await download.saveAs(file);
  return file;
}

/** Opens an exported page from disk, offline: any http(s) request fails the test. */
async function openOffline(file) {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, offline: true });
  const page = await context.newPage();
  const requests = [];
  page.on('request', (r) => { if (!r.url().startsWith('file:') && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) requests.push(r.url()); });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector('body.ready', { timeout: 30000 });
  Object.assign(page, { requests, errors });
  return page;
}

test('a table model deployed as one HTML file predicts offline as the playground does', async () => {
  const play = await openApp(browser, server.url, 'v=1&data=penguins&model=logistic');
  await trainEpochs(play, 50);
  const file = await exportPage(play, 'penguins-app.html');
  const size = fs.statSync(file).size;
  assert.ok(size < 2_000_000, `${size} bytes`);
  const app = await openOffline(file);
  // A strict policy: its script pinned by hash, wasm allowed to compile, no eval, nothing inline unpinned.
  const csp = await app.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  assert.match(csp, /default-src 'none'; script-src 'sha256-[A-Za-z0-9+/=]+' 'wasm-unsafe-eval'; style-src 'sha256-/);
  assert.doesNotMatch(csp, /'unsafe-eval'|'unsafe-inline'/);
  // Logistic regression stops once converged, before the 50 asked for: the page says where.
  const epoch = await play.evaluate(() => window.latih.lab.epoch());
  assert.ok(epoch > 1 && epoch <= 50, `epoch ${epoch}`);
  assert.match(await app.textContent('#about'), new RegExp(`Predicts “species” with .* trained for ${epoch} iterations`));
  const form = await play.evaluate(() => window.latih.lab.input_form());
  const fields = await app.$$eval('#form input, #form select', (els) => els.map((e) => e.name));
  assert.deepEqual(fields, form.inputs.map((i) => i.name));
  // Rows typed into the exported form and given to the playground's model agree exactly.
  const rows = [
    { island: 'Biscoe', bill_length_mm: '48.6', bill_depth_mm: '16', flipper_length_mm: '230', body_mass_g: '5800', sex: 'male', year: '2008' },
    { island: 'Dream', bill_length_mm: '39', bill_depth_mm: '18.5', flipper_length_mm: '190', body_mass_g: '3600', sex: 'female', year: '2009' },
    { island: 'Dream', bill_length_mm: '50', bill_depth_mm: '19.3', flipper_length_mm: '197', body_mass_g: '3800', sex: 'male', year: '2007' },
  ];
  for (const row of rows) {
    for (const input of form.inputs) {
      if (!(input.name in row)) continue;
      const sel = `#form [name="${input.name}"]`;
      if (input.levels) await app.selectOption(sel, row[input.name]);
      else await app.fill(sel, row[input.name]);
    }
    const values = form.inputs.map((i) => row[i.name] ?? '');
    const want = await play.evaluate((v) => window.latih.lab.predict_inputs(v), values);
    const got = await app.evaluate(() => ({
      label: document.querySelector('#prediction').textContent,
      bars: [...document.querySelectorAll('#bars li')].map((li) => li.lastChild.textContent),
    }));
    assert.equal(got.label, want.label);
    assert.deepEqual(got.bars, want.probabilities.map(([, p]) => `${(p * 100).toFixed(1)}%`));
  }
  const labels = await app.$$eval('#prediction', (o) => o.map((e) => e.textContent));
  assert.ok(['Adelie', 'Chinstrap', 'Gentoo'].includes(labels[0]));
  await app.screenshot({ path: path.join(dir, 'deployed-page-phone.png'), fullPage: true });
  assert.deepEqual(app.requests, []);
  assert.deepEqual([...app.errors, ...play.errors], []);
  await Promise.all([play.close(), app.context().close()]);
});

test('the digits model deployed as a page reads a drawn digit as the playground pad does', async () => {
  const play = await openApp(browser, server.url, 'v=1&data=digits&hidden=32&lr=0.1&act=tanh&train=70');
  await trainEpochs(play, 30);
  const file = await exportPage(play, 'digits-app.html');
  const app = await openOffline(file);
  assert.ok(await app.isVisible('#pad'));
  // The same stroke (a "1") on both pads.
  const stroke = async (page, selector) => {
    const box = await page.locator(selector).boundingBox();
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.15);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.85, { steps: 4 });
    await page.mouse.up();
  };
  await stroke(app, '#pad');
  await play.locator('#pad').scrollIntoViewIfNeeded();
  await stroke(play, '#pad');
  const got = await app.textContent('#prediction');
  const want = await play.textContent('#pad-prediction');
  assert.equal(got, want);
  assert.equal(got, '1');
  const appProbs = await app.$$eval('#bars li', (li) => li.map((l) => Number.parseFloat(l.lastChild.textContent)));
  const playProbs = await play.$$eval('#pad-probs meter', (m) => m.map((x) => Number((x.value * 100).toFixed(1))));
  assert.deepEqual(appProbs, playProbs);
  await app.screenshot({ path: path.join(dir, 'deployed-digits-phone.png'), fullPage: true });
  assert.deepEqual(app.requests, []);
  assert.deepEqual([...app.errors, ...play.errors], []);
  await Promise.all([play.close(), app.context().close()]);
});
