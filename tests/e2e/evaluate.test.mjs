// Honest evaluation from the UI: the metrics panel (numbers the core computes, a confusion
// matrix whose cells pick rows, ROC and PR curves), cross-validation with progress, grid and
// random search (one run to the end, one cancelled midway, the best applied, the search kept
// in the link) and pinned runs compared side by side.
// Screenshots go to tests/artifacts/evaluate/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { openApp, stats, setting, hashOf, shot, armCancel, cancelled, ARTIFACTS, startSuite, stopSuite } from './lib.mjs';

let server, browser;
const dir = path.join(ARTIFACTS, 'evaluate');
before(async () => ({ server, browser } = await startSuite(dir)));
after(() => stopSuite(server, browser));

async function fitToTheEnd(page) {
  await page.click('#play');
  await page.waitForFunction(() => window.latih.lab.stats().status.state !== 'ready', null, { timeout: 30000 });
  await page.evaluate(() => window.latih.redraw());
  await page.waitForFunction(() => {
    const first = document.querySelector('#metrics-table tbody tr th');
    return first !== null && !/Fit the model/.test(first.textContent);
  });
}

const inkOf = (page, id) => page.evaluate((id) => {
  const c = document.getElementById(id);
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let ink = 0;
  for (let i = 0; i < d.length; i += 4) if (d[i] < 200 || d[i + 1] < 200 || d[i + 2] < 200) ink++;
  return ink;
}, id);

test('metrics, a clickable confusion matrix and ROC/PR curves show the model as it is', async () => {
  const page = await openApp(browser, server.url, 'v=1&data=penguins&strat=1&model=logistic');
  assert.equal(await page.isChecked('#strat'), true);
  await fitToTheEnd(page);
  const s = await stats(page);
  const cell = (row, col) => page.$eval(`#metrics-table tbody tr:nth-child(${row}) td:nth-child(${col})`, (td) => td.textContent);
  // Accuracy in the table is the core's, computed, not copied.
  assert.equal(Number(await cell(1, 2)).toFixed(3), s.test_accuracy.toFixed(3));
  assert.equal(Number(await cell(1, 3)).toFixed(3), s.train_accuracy.toFixed(3));
  const cells = await page.$$eval('#confusion button.cell', (bs) => bs.map((b) => [Number(b.dataset.truth), Number(b.dataset.predicted), Number(b.textContent)]));
  assert.equal(cells.length, 9);
  assert.equal(cells.reduce((a, c) => a + c[2], 0), s.test_size);
  const correct = cells.filter((c) => c[0] === c[1]).reduce((a, c) => a + c[2], 0);
  assert.equal((correct / s.test_size).toFixed(6), s.test_accuracy.toFixed(6));
  // Picking a cell rings its rows in the view.
  const [t, p, n] = cells.find((c) => c[2] > 0 && c[0] === 0 && c[1] === 0);
  const before = await page.evaluate(() => document.getElementById('view').toDataURL());
  await page.click(`#confusion button.cell[data-truth="${t}"][data-predicted="${p}"]`);
  assert.match(await page.textContent('#confusion-note'), new RegExp(`^${n} test rows picked`));
  assert.equal(await page.getAttribute(`#confusion button.cell[data-truth="${t}"][data-predicted="${p}"]`, 'aria-pressed'), 'true');
  await page.waitForFunction((b) => document.getElementById('view').toDataURL() !== b, before);
  assert.ok(await inkOf(page, 'roc-chart') > 2000, 'the ROC chart is drawn');
  assert.ok(await inkOf(page, 'pr-chart') > 2000, 'the PR chart is drawn');
  await page.locator('#evaluate').screenshot({ path: path.join(dir, 'metrics.png') });
  await page.click(`#confusion button.cell[data-truth="${t}"][data-predicted="${p}"]`);
  assert.equal(await page.textContent('#confusion-note'), '');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a confusion cell of the digits shows its images', async () => {
  const page = await openApp(browser, server.url, 'v=1&data=digits&model=logistic');
  await fitToTheEnd(page);
  const [t, p, n] = await page.$$eval('#confusion button.cell', (bs) => bs.map((b) => [Number(b.dataset.truth), Number(b.dataset.predicted), Number(b.textContent)]).find((c) => c[0] !== c[1] && c[2] > 0));
  await page.click(`#confusion button.cell[data-truth="${t}"][data-predicted="${p}"]`);
  await page.waitForFunction((n) => /test images shown/.test(document.querySelector('#images-score').textContent)
    && document.querySelector('#images-score').textContent.includes(`of the ${Math.min(n, 64)} test images`), n);
  // Every image shown is a mistake of that cell: none is predicted right.
  assert.match(await page.textContent('#images-score'), /^0 of the/);
  await page.close();
});

test('cross-validation runs in slices with progress and reports each fold', async () => {
  const page = await openApp(browser, server.url, 'v=1&data=iris&model=tree');
  await page.selectOption('#folds', '4');
  assert.equal(await setting(page, 'folds'), '4');
  await page.click('#cv-run');
  await page.waitForFunction(() => /done/.test(document.querySelector('#cv-status').textContent), null, { timeout: 30000 });
  assert.match(await page.textContent('#cv-status'), /^Fold 4 of 4/);
  const head = await page.$$eval('#cv-table thead th', (ths) => ths.map((t) => t.textContent));
  assert.deepEqual(head.slice(0, 2), ['Metric', 'Mean ± std']);
  assert.equal(head.length, 2 + 4);
  const acc = await page.$eval('#cv-table tbody tr:first-child td', (td) => td.textContent);
  const [mean, std] = acc.split(' ± ').map(Number);
  assert.ok(mean > 0.85 && mean <= 1 && std >= 0 && std < 0.2, acc);
  // The learning curve: six training sizes, drawn.
  await page.click('#lc-run');
  await page.waitForFunction(() => /done/.test(document.querySelector('#lc-status').textContent), null, { timeout: 30000 });
  assert.match(await page.textContent('#lc-status'), /^6 of 6 training sizes/);
  assert.ok(await inkOf(page, 'lc-chart') > 2000, 'the learning curve is drawn');
  await page.locator('#evaluate').screenshot({ path: path.join(dir, 'cross-validation.png') });
  // The same link gives the same numbers.
  const again = await openApp(browser, server.url, await hashOf(page));
  await again.click('#cv-run');
  await again.waitForFunction(() => /done/.test(document.querySelector('#cv-status').textContent), null, { timeout: 30000 });
  assert.equal(await again.$eval('#cv-table tbody tr:first-child td', (td) => td.textContent), acc);
  await again.close();
  await page.close();
});

async function setSearch(page, kind, params, tries) {
  await page.selectOption('#search-kind', kind);
  if (tries) await page.fill('#search-tries', String(tries));
  for (let i = 0; i < 3; i++) {
    const [key, values] = params[i] || ['', ''];
    await page.selectOption(`#search-key-${i}`, key);
    await page.fill(`#search-values-${i}`, values);
  }
}

test('a grid search runs to the end, another is cancelled midway, the best is applied, two runs are pinned', async () => {
  const page = await openApp(browser, server.url, 'v=1&data=iris&folds=3&model=knn&k=60');
  await setSearch(page, 'grid', [['k', '60,15,100'], ['weights', 'uniform,distance']]);
  await page.click('#search-run');
  assert.equal(await setting(page, 'search'), 'grid');
  assert.equal(await setting(page, 'space'), 'k:60,15,100;weights:uniform,distance');
  await page.waitForFunction(() => /done/.test(document.querySelector('#search-status').textContent), null, { timeout: 60000 });
  assert.match(await page.textContent('#search-status'), /^6 of 6 candidates/);
  const rows = await page.$$eval('#search-table tbody tr', (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
  assert.equal(rows.length, 6);
  // Sorted by score, best first, marked.
  assert.match(rows[0][0], /★/);
  const scores = rows.map((r) => Number(r[3].split(' ± ')[0]));
  assert.deepEqual(scores, scores.slice().sort((a, b) => b - a));
  assert.equal(rows[0][1], '15');
  assert.equal(await page.isVisible('#search-heatmap'), true);
  assert.ok(await inkOf(page, 'search-heatmap') > 2000);
  await page.locator('#evaluate').screenshot({ path: path.join(dir, 'search.png') });
  // Sorting by a column header.
  await page.click('#search-table thead button[aria-label="Sort by k"]');
  const ks = await page.$$eval('#search-table tbody tr', (trs) => trs.map((tr) => tr.children[1].textContent));
  assert.deepEqual(ks, ['15', '15', '60', '60', '100', '100']);

  // Pin the run as it is (k=60), apply the best, pin again: the leaderboard ranks them.
  await fitToTheEnd(page);
  await page.click('#pin-run');
  await page.click('#search-apply');
  assert.equal(await setting(page, 'k'), '15');
  assert.equal(await setting(page, 'search'), 'grid', 'the search stays in the link');
  await fitToTheEnd(page);
  await page.click('#pin-run');
  const pins = await page.$$eval('#pins-table tbody tr', (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
  assert.equal(pins.length, 2);
  const score = (r) => Number(r[2].split(' ').pop());
  assert.ok(score(pins[0]) >= score(pins[1]), JSON.stringify(pins));
  const worse = pins[1][5];
  assert.match(worse, pins[0][1] === 'Run 2' ? /k=60/ : /k=15/);

  // A random search cancelled midway keeps what it scored.
  await setSearch(page, 'random', [['k', '1..100'], ['dist', 'euclidean,manhattan,chebyshev']], 150);
  await armCancel(page, '#search-status', '^[1-9]\\d* of 150', '#search-cancel');
  await page.click('#search-run');
  assert.match(await cancelled(page), /^[1-9]\d* of 150/);
  await page.waitForFunction(() => /cancelled/.test(document.querySelector('#search-status').textContent));
  const status = await page.textContent('#search-status');
  const count = Number(status.split(' ')[0]);
  assert.ok(count >= 1 && count < 150, status);
  assert.equal(await page.$$eval('#search-table tbody tr', (trs) => trs.length), count);
  assert.equal(await setting(page, 'tries'), '150');
  await shot(page, 'evaluate/page.png');
  assert.deepEqual(page.errors, []);
  await page.close();
});
