// The two builds: the page starts on the playground build (under the 400 KB budget) and moves
// to the full build only when something needs it, carrying the experiment over exactly.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { serve, launch, openApp, trainEpochs, DIST, ARTIFACTS } from './lib.mjs';

let server, browser;
before(async () => {
  server = await serve();
  browser = await launch();
});
after(async () => { await browser?.close(); await server?.close(); });

const gzipped = (file) => zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;

test('the default experiment runs on the playground build, under 400 KB gzipped, and never fetches the full build', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const fetched = [];
  page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
  await page.goto(server.url);
  await page.waitForSelector('body.ready', { timeout: 15000 });
  assert.equal(await page.evaluate(() => window.latih.build), 'playground');
  // What a learner does with it: play, step, change the network and the data, share.
  await page.click('#play');
  await page.waitForFunction(() => window.latih.lab.epoch() > 20);
  await page.click('#play');
  await page.click('#step');
  await page.selectOption('#act', 'relu');
  await page.selectOption('#data', 'spiral');
  await page.click('#share');
  await page.waitForFunction(() => document.querySelector('#share-link').value.includes('data=spiral'));
  await page.keyboard.press('Escape');
  await trainEpochs(page, 10);
  assert.equal(await page.evaluate(() => window.latih.build), 'playground');
  assert.deepEqual(fetched.filter((p) => p.startsWith('/full/')), []);
  const wasm = fetched.filter((p) => p.endsWith('.wasm'));
  assert.equal(wasm.length, 1, wasm.join());
  const size = gzipped(path.join(DIST, wasm[0]));
  const full = gzipped(path.join(DIST, 'full', 'latih_bg.wasm'));
  fs.mkdirSync(path.join(ARTIFACTS, 'builds'), { recursive: true });
  fs.writeFileSync(path.join(ARTIFACTS, 'builds', 'sizes.json'), JSON.stringify({ playgroundGzip: size, fullGzip: full }, null, 2));
  assert.ok(size < 400 * 1024, `the playground build is ${(size / 1024).toFixed(1)} KB gzipped`);
  assert.ok(full > size, 'the full build has more in it');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a control that needs the full build moves the page there with the trained experiment exactly as it was', async () => {
  const link = 'v=1&data=spiral&samples=300&hidden=6,4&act=tanh&opt=adam&lr=0.01&seed=3';
  const state = () => ({ epoch: window.latih.lab.epoch(), losses: Array.from(window.latih.lab.losses()), net: window.latih.lab.network(), link: window.latih.lab.link() });
  const moved = await openApp(browser, server.url, link);
  await trainEpochs(moved, 30);
  const before = await moved.evaluate(state);
  // Cross-validation is the full build's: the click waits for it, hands the Lab over and runs.
  await moved.click('#cv-run');
  await moved.waitForFunction(() => window.latih.build === 'full');
  await moved.waitForFunction(() => document.querySelector('#cv-table tbody tr') !== null, null, { timeout: 30000 });
  const after = await moved.evaluate(state);
  assert.deepEqual(after, before, 'the same epoch, loss history, weights and link after the move');
  // Training on after the move gives the bits training on without one gives.
  const stayed = await openApp(browser, server.url, link);
  await trainEpochs(stayed, 30);
  await trainEpochs(moved, 10);
  await trainEpochs(stayed, 10);
  assert.equal(await stayed.evaluate(() => window.latih.build), 'playground');
  // (Which epochs the chart has points for depends on how frames sliced the training: the
  // state and the last point's losses do not.)
  const final = (s) => ({ ...s, losses: s.losses.slice(-3) });
  const [a, b] = [final(await moved.evaluate(state)), final(await stayed.evaluate(state))];
  assert.equal(a.epoch, 40);
  assert.deepEqual(a, b);
  assert.deepEqual([...moved.errors, ...stayed.errors], []);
  await Promise.all([moved.close(), stayed.close()]);
});

test('choosing a model family or a table moves to the full build; a link to one opens there at once', async () => {
  const page = await openApp(browser, server.url, 'v=1&data=xor');
  await page.selectOption('#model', 'tree');
  await page.waitForFunction(() => window.latih.build === 'full' && window.latih.lab.settings().model === 'tree');
  assert.match(await page.evaluate(() => location.hash), /model=tree/);
  await page.selectOption('#data', 'iris');
  await page.waitForFunction(() => window.latih.lab.settings().data === 'iris');
  const direct = await openApp(browser, server.url, 'v=1&data=penguins&model=knn&k=7');
  assert.equal(await direct.evaluate(() => window.latih.build), 'full');
  assert.equal(await direct.evaluate(() => window.latih.lab.settings().model), 'knn');
  assert.match(await direct.evaluate(() => window.latih.lab.link()), /data=penguins.*model=knn&k=7/);
  // Back to a network on 2-D data: the page stays on the full build (no second move).
  await direct.selectOption('#data', 'circle');
  await direct.waitForFunction(() => window.latih.lab.settings().data === 'circle');
  assert.equal(await direct.evaluate(() => window.latih.build), 'full');
  assert.deepEqual([...page.errors, ...direct.errors], []);
  await Promise.all([page.close(), direct.close()]);
});

test('the experiment as text naming a model family is checked by the full build as it is typed', async () => {
  const page = await openApp(browser, server.url, 'v=1&data=xor');
  const text = await page.evaluate(() => window.latih.lab.text());
  await page.fill('#exp-text', text.replace('model = mlp', 'model = tree\ndepth = 99'));
  await page.waitForFunction(() => window.latih.build === 'full');
  // The problem is the tree's own (its depth range), not a playground build's refusal.
  await page.waitForFunction(() => /depth/.test(document.querySelector('#exp-problems').textContent));
  assert.doesNotMatch(await page.textContent('#exp-problems'), /rest of Latih/);
  // Nothing changed until it is applied.
  assert.equal(await page.evaluate(() => window.latih.lab.settings().model), 'mlp');
  await page.click('#exp-apply');
  assert.equal(await page.evaluate(() => window.latih.lab.settings().model), 'tree');
  assert.deepEqual(page.errors, []);
  await page.close();
});
