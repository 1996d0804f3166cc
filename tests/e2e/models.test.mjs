// Every model, chosen through the page's own Task and Model controls on a 2-D dataset:
// it fits, the boundary view changes from model to model, the numbers are sane, the link
// reproduces the choice, and a screenshot of each view is kept in tests/artifacts/models/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { openApp, useFullBuild, stats, ARTIFACTS, startSuite, stopSuite } from './lib.mjs';

let server, browser;
before(async () => ({ server, browser } = await startSuite()));
after(() => stopSuite(server, browser));

const DATA = {
  classification: 'v=1&data=moons&samples=300&noise=15&dseed=2',
  regression: 'v=1&data=plane&samples=300&noise=10&dseed=2',
  clustering: 'v=1&data=blobs&classes=3&samples=300&noise=10&dseed=2',
  reduction: 'v=1&data=gauss&samples=300&noise=10&dseed=2&features=x1,x2,x1x2',
};

const viewHash = (page) => page.evaluate(() => document.getElementById('view').toDataURL())
  .then((url) => createHash('sha256').update(url).digest('hex'));

/** Presses Play and waits until the fit is done (classical) or `epochs` epochs passed (MLP). */
async function fitWithPlay(page, epochs = 150) {
  await page.click('#play');
  await page.waitForFunction((epochs) => {
    const s = window.latih.lab.stats();
    return s.status.state === 'done' || s.status.state === 'failed' || (s.model === 'mlp' && s.epoch >= epochs);
  }, epochs, { timeout: 60000 });
  if (await page.evaluate(() => window.latih.playing)) await page.click('#play');
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

test('every model trains from the UI, shows its view and survives a link round trip', async () => {
  const dir = path.join(ARTIFACTS, 'models');
  fs.mkdirSync(dir, { recursive: true });
  const page = await openApp(browser, server.url, DATA.classification);
  const models = await page.evaluate(() => window.latih.models);
  assert.ok(models.length >= 18, `registered models: ${models.length}`);
  const seenViews = new Map();
  for (const kind of ['classification', 'regression', 'clustering', 'reduction']) {
    await page.goto(server.url + '#' + DATA[kind]);
    await page.reload();
    await page.waitForSelector('body.ready');
    await useFullBuild(page);
    await page.selectOption('#task', kind);
    for (const m of models.filter((x) => x.kind === kind)) {
      await page.selectOption('#model', m.id);
      const label = `${kind}/${m.id}`;
      // Only this model's settings are shown, each labelled with its hint.
      const shown = await page.$$eval('#model-settings [data-key]', (els) => els.map((e) => e.dataset.key));
      assert.deepEqual(shown, m.settings.map((s) => s.key), `${label}: settings shown`);
      await fitWithPlay(page);
      const s = await stats(page);
      assert.equal(s.model, m.id, label);
      assert.notEqual(s.status.state, 'failed', `${label}: ${s.status.message}`);
      const summary = (await page.evaluate(() => window.latih.lab.model_summary())).join(' ');
      if (kind === 'classification') {
        assert.ok(s.test_accuracy > 0.75, `${label}: test accuracy ${s.test_accuracy}`);
      } else if (m.id === 'als') {
        // The recommender brings its ratings table; it must beat the mean rating on hidden ratings.
        assert.match(await page.evaluate(() => window.latih.lab.link()), /[#&]?data=ratings&/, label);
        const r2 = Number(/test (-?[0-9]+\.[0-9]+)/.exec(summary)?.[1]);
        assert.ok(r2 > 0.2, `${label}: test R² ${r2} (${summary})`);
        assert.match(summary, /Suggested to [^:]+: .+\([0-9.]+\)/, label);
      } else if (kind === 'regression' && m.id !== 'mlp') {
        const r2 = Number(/test (-?[0-9]+\.[0-9]+)/.exec(summary)?.[1]);
        assert.ok(r2 > 0.8, `${label}: test R² ${r2} (${summary})`);
      } else if (kind === 'clustering') {
        const ari = Number(/index\): (-?[0-9]+\.[0-9]+)/.exec(summary)?.[1]);
        assert.ok(Number.isFinite(ari) && ari > 0.3, `${label}: ARI ${ari} (${summary})`);
      } else if (kind === 'reduction') {
        assert.match(summary, /Variance explained: PC1 [0-9.]+ %/);
      }
      // The view is this model's own.
      const h = await viewHash(page);
      assert.ok(!seenViews.has(h), `${label}: same boundary view as ${seenViews.get(h)}`);
      seenViews.set(h, label);
      // The model chart, where the model has one, is drawn and visible.
      if (s.model_chart) assert.equal(await page.isVisible('#model-chart'), true, `${label}: model chart`);
      await page.screenshot({ path: path.join(dir, `${kind}-${m.id}.png`), fullPage: true });
      // The link carries the model and its settings; opening it gives the same experiment.
      const link = await page.evaluate(() => window.latih.lab.link());
      assert.match(link, new RegExp(`&model=${m.id}(&|$)`), label);
      const other = await openApp(browser, server.url, link);
      assert.equal(await other.evaluate(() => window.latih.lab.link()), link, `${label}: link round trip`);
      assert.equal(await other.$eval('#model', (e) => e.value), m.id);
      assert.deepEqual(other.errors, [], `${label}: page errors on reopening`);
      await other.close();
    }
  }
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a model setting changed in its control goes into the link and refits', async () => {
  const page = await openApp(browser, server.url, DATA.classification + '&model=knn');
  await page.fill('#set-k', '25');
  await page.press('#set-k', 'Enter');
  await page.waitForFunction(() => decodeURIComponent(location.hash).includes('&k=25'));
  await fitWithPlay(page);
  assert.match((await page.evaluate(() => window.latih.lab.model_summary())).join(' '), /25 nearest/);
  // An absurd value is clamped into range with a notice, never a frozen or broken page.
  await page.fill('#set-k', '100000');
  await page.press('#set-k', 'Enter');
  await page.waitForSelector('#notice:not([hidden])');
  assert.match(await page.textContent('#notice'), /k/);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('k-means animates: centres move from one iteration to the next', async () => {
  const page = await openApp(browser, server.url, DATA.clustering + '&model=kmeans&k=3&init=random&iters=100');
  const first = await page.evaluate(() => { window.latih.lab.step(); window.latih.redraw(); return window.latih.lab.model_summary().join(' '); });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const view1 = await viewHash(page);
  await page.click('#step');
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const view2 = await viewHash(page);
  assert.notEqual(view1, view2, 'the second iteration draws differently');
  assert.match(first, /Iteration 1 of 100/);
  await page.close();
});

test('the recommender fills the user × film table sweep by sweep, and its chart shows it', async () => {
  const page = await openApp(browser, server.url, 'v=1&data=ratings&train=80&model=als&factors=3&lambda=0.1&iters=20');
  // The table opens as it is meant to: no repairs, the view on the user and film codes.
  assert.equal(await page.isVisible('#notice'), false, await page.textContent('#notice'));
  assert.match(await page.evaluate(() => window.latih.lab.link()), /view=user%20\(code\),film%20\(code\)/);
  // Before any sweep there is nothing fitted; each Step is one sweep and the training error falls.
  const rmse = () => page.evaluate(() => {
    window.latih.lab.step();
    window.latih.redraw();
    return window.latih.lab.model_summary().join(' ');
  });
  const first = await rmse();
  assert.match(first, /after sweep 1 of 20/);
  for (let i = 0; i < 4; i++) await rmse();
  const fifth = await rmse();
  assert.match(fifth, /after sweep 6 of 20/);
  await fitWithPlay(page);
  const s = await stats(page);
  assert.equal(s.status.state, 'done', s.status.message);
  assert.equal(s.model_chart, true);
  assert.equal(await page.isVisible('#model-chart'), true);
  // The chart is the table: cells coloured by predicted rating, not a blank canvas.
  const colours = await page.evaluate(() => {
    const c = document.getElementById('model-chart');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const seen = new Set();
    for (let i = 0; i < d.length; i += 16) seen.add(`${d[i] >> 4},${d[i + 1] >> 4},${d[i + 2] >> 4}`);
    return seen.size;
  });
  assert.ok(colours > 20, `model chart colours: ${colours}`);
  const summary = (await page.evaluate(() => window.latih.lab.model_summary())).join(' ');
  assert.match(summary, /3 taste factors for each of 40 users and 24 items/);
  // Better than the mean rating on the hidden fifth (R² above 0).
  const r2 = Number(/test (-?[0-9]+\.[0-9]+)/.exec(summary)?.[1]);
  assert.ok(r2 > 0.3, `test R² ${r2}`);
  fs.mkdirSync(path.join(ARTIFACTS, 'models'), { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, 'models', 'recommender.png'), fullPage: true });
  // On other data the recommender brings its ratings table, with a notice saying so.
  await page.goto(server.url + '#v=1&data=diabetes&model=ridge');
  await page.reload();
  await page.waitForSelector('body.ready');
  await page.selectOption('#model', 'als');
  await page.waitForSelector('#notice:not([hidden])');
  assert.match(await page.textContent('#notice'), /ratings table/);
  assert.match(await page.evaluate(() => window.latih.lab.link()), /data=ratings&/);
  assert.deepEqual(page.errors, []);
  await page.close();
});
