// Explanations in place: hovering or focusing a control or a metric shows what it is and its
// formula with the current values, which follow the experiment; both languages have every
// explanation; keyboard reachable; no page errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { openApp, ROOT, startSuite, stopSuite } from './lib.mjs';

let server, browser;
before(async () => ({ server, browser } = await startSuite()));
after(() => stopSuite(server, browser));

/** Hovers an element and returns the shown explanation: its key, text and formula text. */
async function hover(page, selector) {
  // A focused control keeps its explanation; hovering another starts from none shown. (Rarely,
  // under load, a hover over the last control lands after the move away: move away again.)
  for (let tries = 0; ; tries++) {
    await page.evaluate(() => document.activeElement?.blur());
    await page.mouse.move(0, 0);
    try {
      await page.waitForSelector('#explain', { state: 'hidden', timeout: 5000 });
      break;
    } catch (e) {
      if (tries === 2) throw e;
    }
  }
  await page.hover(selector);
  await page.waitForSelector('#explain:not([hidden])');
  return read(page);
}

const read = (page) => page.evaluate(() => {
  const tip = document.getElementById('explain');
  const math = tip.querySelector('math');
  // The numbers as the formula writes them, one per <mn> (a fraction's text runs together).
  const mn = math ? [...math.querySelectorAll('mn')].map((e) => e.textContent).join(' ') : '';
  return { key: tip.dataset.key, text: tip.textContent, math: math ? `${math.textContent} [${mn}]` : null };
});

/** The numbers of a formula (its <mn> elements), in order. */
const numbers = (s) => (/\[([^\]]*)\]$/.exec(s)?.[1] || '').split(' ').filter(Boolean).map(Number);

test('every explanation key and every model setting is explained in both languages', async () => {
  const { EXPLAIN, BY_ID } = await import(pathToFileURL(path.join(ROOT, 'www', 'explain.js')).href);
  assert.deepEqual(Object.keys(EXPLAIN.id).sort(), Object.keys(EXPLAIN.en).sort(), 'same keys');
  for (const lang of ['en', 'id']) {
    for (const [k, [title, text]] of Object.entries(EXPLAIN[lang])) {
      assert.ok(title, `${lang}: ${k} has a title`);
      if (k !== 'setting') assert.ok(text.length > 20, `${lang}: ${k} has a text`);
    }
    for (const key of Object.values(BY_ID)) assert.ok(EXPLAIN[lang][key], `${lang}: ${key}`);
  }
  // Every id the map names exists in the page.
  const page = await openApp(browser, server.url, 'v=1&data=circle');
  for (const id of Object.keys(BY_ID)) assert.ok(await page.$(`#${id}`), `#${id} exists`);
  await page.close();
});

test('hovering a control shows its formula with the current value, which follows a change', async () => {
  const page = await openApp(browser, server.url, 'v=1&data=circle&lr=0.03&batch=10&train=50');
  let e = await hover(page, '#lr');
  assert.equal(e.key, 'lr');
  assert.match(e.text, /Learning rate/);
  assert.ok(e.math && numbers(e.math).includes(0.03), e.math);
  await page.selectOption('#lr', '0.3');
  e = await hover(page, '#lr');
  assert.ok(numbers(e.math).includes(0.3), e.math);
  // Batch: steps per epoch from the training rows, n_train / B, as computed by the core.
  const n = await page.evaluate(() => window.latih.lab.stats().train_size);
  e = await hover(page, '#batch');
  assert.ok(numbers(e.math).includes(n) && numbers(e.math).includes(Math.ceil(n / 10)), `${n}: ${e.math}`);
  // The activation's formula is the one chosen.
  await page.selectOption('#act', 'relu');
  e = await hover(page, '#act');
  assert.match(e.math, /max/);
  assert.equal(await page.getAttribute('#act', 'aria-describedby'), 'explain');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('metrics explain themselves with the numbers behind them', async () => {
  const page = await openApp(browser, server.url, 'v=1&data=gauss&noise=30&model=logistic');
  await page.click('#step');
  await page.click('#play');
  await page.waitForFunction(() => window.latih.lab.stats().status.state === 'done');
  await page.waitForSelector('#metrics-table tbody th');
  await page.evaluate(() => document.getElementById('evaluate').scrollIntoView());
  const m = await page.evaluate(() => window.latih.lab.measures().numbers);
  let e = await hover(page, '#metrics-table tbody tr:nth-child(1) th');
  assert.equal(e.key, 'accuracy');
  // accuracy = c / n = value: the fraction is the test part's count, and it equals the value.
  const [c, total] = numbers(e.math).slice(-3, -1);
  assert.equal(total, m.test_n, e.math);
  assert.ok(Math.abs(c / total - m.test_accuracy) < 1e-9, e.math);
  e = await hover(page, '#metrics-table tbody tr:nth-child(5) th');
  assert.equal(e.key, 'f1');
  // The loss outputs too, and the keyboard reaches them.
  await page.focus('#test-loss');
  assert.equal((await read(page)).key, 'loss');
  await page.keyboard.press('Escape');
  await page.waitForSelector('#explain', { state: 'hidden' });
  await page.close();

  const reg = await openApp(browser, server.url, 'v=1&data=diabetes&model=ridge');
  await reg.click('#step');
  await reg.waitForFunction(() => window.latih.lab.stats().status.state === 'done');
  await reg.waitForSelector('#metrics-table tbody th');
  await reg.evaluate(() => document.getElementById('evaluate').scrollIntoView());
  const r = await reg.evaluate(() => window.latih.lab.measures().numbers);
  e = await hover(reg, '#metrics-table tbody tr:nth-child(4) th');
  assert.equal(e.key, 'r2');
  // R² = 1 − SS_res / SS_tot: the shown sums give the shown R² (3 significant digits).
  const [, ssRes, ssTot] = numbers(e.math).slice(-4, -1);
  assert.ok(Math.abs(1 - ssRes / ssTot - r.test_r2) < 0.01, `${e.math} vs ${r.test_r2}`);
  assert.deepEqual(reg.errors, []);
  await reg.close();
});

test('model settings explain themselves, by keyboard, in Indonesian too', async () => {
  const page = await openApp(browser, server.url, 'v=1&data=moons&model=svm&kernel=rbf&gamma=0.5&lang=id');
  await page.focus('#set-gamma');
  await page.waitForSelector('#explain:not([hidden])');
  let e = await read(page);
  assert.equal(e.key, 'setting.gamma');
  assert.ok(numbers(e.math).includes(0.5), e.math);
  // The setting's words come from the Indonesian catalogue, not the core's English hint.
  assert.doesNotMatch(e.text, /Reach of one point/);
  e = await hover(page, '#train');
  assert.match(e.text, /Porsi latih/);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('the evaluation controls and the exports explain themselves too', async () => {
  const page = await openApp(browser, server.url, 'v=1&data=iris&model=tree');
  await page.evaluate(() => document.getElementById('evaluate').scrollIntoView());
  let e = await hover(page, '#cv-run');
  assert.equal(e.key, 'cv-run');
  assert.ok(numbers(e.math).includes(5), `the default 5 folds: ${e.math}`);
  await page.selectOption('#folds', '3');
  e = await hover(page, '#cv-run');
  assert.ok(numbers(e.math).includes(3), e.math);
  e = await hover(page, '#search-run');
  assert.match(e.text, /test part stays untouched/);
  await page.evaluate(() => document.getElementById('export-notebook').scrollIntoView());
  e = await hover(page, '#export-notebook');
  assert.equal(e.key, 'export');
  assert.deepEqual(page.errors, []);
  await page.close();
});
