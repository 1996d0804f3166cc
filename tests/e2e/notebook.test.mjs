// "Export notebook": notebooks exported from the UI run with nbclient (Python with numpy and
// scikit-learn, from tests/.venv) and print metrics that agree with Latih's on the same rows
// and split: a classifier, a regressor, a table with text and missing values, a tree and an SVM.
// Tolerance: test accuracy within one test row (or 0.02), test MSE (standardised target)
// within 1 % relative; the network's mapping to MLPClassifier is only checked to run.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { openApp, trainEpochs, ROOT, ARTIFACTS, startSuite, stopSuite } from './lib.mjs';

const PYTHON = path.join(ROOT, 'tests', '.venv', 'bin', 'python');
let server, browser;
const dir = path.join(ARTIFACTS, 'notebooks');
before(async () => ({ server, browser } = await startSuite(dir)));
after(() => stopSuite(server, browser));

async function exportAndRun(link, epochs) {
  const page = await openApp(browser, server.url, link);
  await trainEpochs(page, epochs);
  const stats = await page.evaluate(() => window.latih.lab.stats());
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-notebook')]);
  const file = path.join(dir, download.suggestedFilename());
  await download.saveAs(file);
  assert.deepEqual(page.errors, []);
  await page.close();
  const out = execFileSync(PYTHON, [path.join(ROOT, 'tests', 'e2e', 'run_notebook.py'), file], { encoding: 'utf8', timeout: 300000 });
  return { stats, results: JSON.parse(out), file };
}

const CASES = [
  ['v=1&data=iris&train=60&model=logistic&c=1&iters=100', 100, 'classification'],
  ['v=1&data=penguins&missing=median&model=logistic', 100, 'classification'],
  ['v=1&data=iris&train=60&model=tree&depth=3', 1, 'classification'],
  ['v=1&data=diabetes&train=70&model=ridge&alpha=1', 1, 'regression'],
  ['v=1&data=moons&noise=20&samples=300&model=svm&kernel=rbf&c=1&gamma=0.5', 1, 'classification'],
];

for (const [link, epochs, kind] of CASES) {
  test(`the exported notebook reproduces ${link.split('&')[1]} with ${link.match(/model=(\w+)/)[1]}`, async () => {
    const { stats, results, file } = await exportAndRun(link, epochs);
    if (kind === 'classification') {
      const slack = Math.max(1 / stats.test_size + 1e-9, 0.02);
      assert.ok(Math.abs(results.test_accuracy - stats.test_accuracy) <= slack,
        `${file}: scikit-learn ${results.test_accuracy} vs Latih ${stats.test_accuracy}`);
    } else {
      assert.ok(Math.abs(results.test_mse - stats.test_loss) <= 0.01 * stats.test_loss,
        `${file}: scikit-learn ${results.test_mse} vs Latih ${stats.test_loss}`);
    }
  });
}

test('a network experiment exports a notebook that runs (MLPClassifier, numbers only similar)', async () => {
  const { stats, results } = await exportAndRun('v=1&data=circle&hidden=8,4&act=tanh&opt=adam&lr=0.03&features=x1,x2,x1sq,x2sq', 60);
  assert.ok(results.test_accuracy > 0.8 && stats.test_accuracy > 0.8, `${results.test_accuracy} / ${stats.test_accuracy}`);
});

test('the recommender exports a notebook with its own numpy ALS that runs and learns as much', async () => {
  const { stats, results, file } = await exportAndRun('v=1&data=ratings&train=80&model=als&factors=3&lambda=0.2&iters=20', 20);
  // Other random starting factors: the same objective, so close, not equal, test errors.
  // Both beat the mean rating (test MSE 1 in standard deviations would be no better).
  assert.ok(results.test_mse < 0.8 && stats.test_loss < 0.8, `${file}: ${results.test_mse} / ${stats.test_loss}`);
  assert.ok(Math.abs(results.test_mse - stats.test_loss) <= 0.15 * stats.test_loss,
    `${file}: numpy ${results.test_mse} vs Latih ${stats.test_loss}`);
  assert.ok(results.train_mse < 0.35, `${file}: train ${results.train_mse}`);
});
