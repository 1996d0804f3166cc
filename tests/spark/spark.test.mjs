// "Export for Spark", verified in Apache Spark: scripts exported from the page (the buttons
// next to the notebook export) run in PySpark's local[2] mode (tests/spark/run_scripts.py, one
// Spark start-up for all of them) and print metrics that agree with Latih's on the same rows
// and split: a classifier, a regressor, a clustering, a table with text and missing values,
// a person's CSV whose names and values are traps for Spark SQL and Python, a cross-validated tree, a 2-D dataset with feature crosses, a network, and a model MLlib
// lacks (its message is shown and its substitute named in the output).
//
// Tolerances, and why: accuracy within one test row or 0.02 (MLlib's solvers stop by other
// rules, so a row on the boundary may flip); MSE within 1 % and R² within 0.005 (ridge has a
// closed form in both); the adjusted Rand index of k-means on separate blobs within 0.05 (the
// starts differ: on iris, or on overlapping blobs, the two land in different local optima, so
// only data with one clear optimum can show they agree);
// cross-validated accuracy within 0.04 (CART ties broken differently in a fold).
//
// Runs in its own CI step (scripts/check.sh) after the end-to-end tests: it needs pyspark and
// Java 17, and takes about two minutes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { serve, launch, openApp, trainEpochs, ROOT, ARTIFACTS } from '../e2e/lib.mjs';

const PYTHON = path.join(ROOT, 'tests', '.venv', 'bin', 'python');
const dir = path.join(ARTIFACTS, 'spark');
let server, browser;
before(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  server = await serve();
  browser = await launch();
});
after(async () => { await browser?.close(); await server?.close(); });

/** Opens the link (and the CSV file, when given: then the link's model is chosen), trains,
 * runs its cross-validation when it has folds, and saves the Spark script the page exports;
 * returns Latih's own metrics and the notice the page showed. */
async function exportScript(name, link, epochs, csv) {
  const page = await openApp(browser, server.url, link);
  if (csv) {
    await page.setInputFiles('#csv-file', csv);
    await page.waitForFunction(() => window.latih.lab.settings().data === 'csv');
    const model = link.match(/model=(\w+)/)[1];
    await page.evaluate((m) => window.latih.lab.set('model', m), model);
  }
  await trainEpochs(page, epochs);
  const latih = await page.evaluate(async () => {
    const lab = window.latih.lab;
    const out = { stats: lab.stats(), evaluation: lab.evaluation() };
    if (/folds=\d/.test(location.hash)) {
      lab.cv_start();
      let step;
      do {
        step = lab.cv_step(50);
        await new Promise((r) => setTimeout(r, 0));
      } while (!step.done);
      out.cv = step.results;
    }
    return out;
  });
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-spark')]);
  const file = path.join(dir, `${name}.py`);
  await download.saveAs(file);
  const notice = await page.evaluate(() => {
    const box = document.querySelector('#notice');
    return box.hidden ? '' : box.textContent;
  });
  // The notebook form downloads too and holds the same code.
  const [nb] = await Promise.all([page.waitForEvent('download'), page.click('#export-spark-notebook')]);
  const nbFile = path.join(dir, `${name}.ipynb`);
  await nb.saveAs(nbFile);
  const cells = JSON.parse(fs.readFileSync(nbFile, 'utf8')).cells;
  const script = fs.readFileSync(file, 'utf8');
  for (const c of cells.slice(1)) assert.ok(script.includes(c.source.trimEnd()), `${name}: a notebook cell differs from the script`);
  assert.deepEqual(page.errors, []);
  await page.close();
  return { name, link, file, latih, notice, download: download.suggestedFilename() };
}

// A person's file whose column names and values are traps for Spark SQL and Python: a dot, a
// quote, a backtick and a space in names, quotes and a comma in text, missing cells.
const TRAP_CSV = path.join(dir, '..', 'spark-trap.csv');
function writeTrapCsv() {
  const rows = ['"len.gth","it\'s `odd`",colour,"kind of, thing"'];
  const colours = ['red "dark"', 'blue', 'green'];
  for (let i = 0; i < 120; i++) {
    const a = (i % 7) + (i % 3) * 0.5;
    const b = ((i * 37) % 11) / 2;
    const colour = i % 13 === 0 ? '' : colours[i % 3];
    const kind = a + (i % 3) * 2 > 6 ? 'big, yes' : 'small';
    rows.push(`${i % 17 === 0 ? '' : a},${b},"${colour.replace(/"/g, '""')}","${kind}"`);
  }
  fs.writeFileSync(TRAP_CSV, rows.join('\n') + '\n');
}

const CASES = [
  ['classifier', 'v=1&data=iris&train=60&model=logistic&c=1&iters=100', 100],
  ['regressor', 'v=1&data=diabetes&train=70&model=ridge&alpha=1', 1],
  ['clustering', 'v=1&data=blobs&classes=3&samples=300&noise=15&model=kmeans&k=3', 1],
  ['text-and-missing', 'v=1&data=penguins&missing=median&model=logistic', 100],
  ['cross-validated', 'v=1&data=iris&train=70&folds=5&strat=1&model=tree&depth=3', 1],
  ['feature-crosses', 'v=1&data=circle&samples=300&noise=10&features=x1,x2,x1sq,x2sq&model=logistic&c=10', 100],
  ['network', 'v=1&data=iris&hidden=6&act=sigmoid&opt=adam&lr=0.03&model=mlp', 150],
  ['unsupported', 'v=1&data=iris&model=knn&k=5', 1],
  ['csv-file', 'v=1&model=logistic', 100, TRAP_CSV],
];

test('scripts exported from the page run in Spark local mode and agree with Latih', { timeout: 1_200_000 }, async () => {
  const exported = [];
  writeTrapCsv();
  for (const [name, link, epochs, csv] of CASES) exported.push(await exportScript(name, link, epochs, csv));
  // The data source is a parameter: the penguins script also runs on the full table from a CSV
  // file and from Parquet (a seeded random split then), as it would on a cluster's copy.
  const penguins = exported.find((e) => e.name === 'text-and-missing');
  const embedded = JSON.parse(fs.readFileSync(penguins.file, 'utf8').match(/^DATA = (".*")$/m)[1]);
  const full = path.join(dir, 'penguins-full.csv');
  // Without Latih's part column (the last): a file from elsewhere.
  fs.writeFileSync(full, embedded.trimEnd().split('\n').map((l) => l.replace(/,[^,]*$/, '')).join('\n') + '\n');
  const parquet = path.join(dir, 'penguins-full.parquet');
  const commands = [...exported.map((e) => e.file), `${penguins.file} --data ${full}`, `${penguins.file} --data ${parquet}`];
  const out = execFileSync(PYTHON, [path.join(ROOT, 'tests', 'spark', 'run_scripts.py'), dir, '--parquet', full, parquet, ...commands],
    { encoding: 'utf8', timeout: 1_100_000, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  const results = JSON.parse(out.trim().split('\n').pop());
  fs.writeFileSync(path.join(dir, 'results.json'), JSON.stringify({ exported, results }, null, 2));
  const byName = Object.fromEntries(exported.map((e, i) => [e.name, { ...e, ...results[i] }]));
  for (const r of Object.values(byName)) assert.ok(!r.error, `${r.name}: ${r.error}`);
  const near = (a, b, tol, what) => assert.ok(Math.abs(a - b) <= tol, `${what}: Spark ${a} vs Latih ${b}`);
  const slack = (r) => Math.max(1 / r.latih.stats.test_size + 1e-9, 0.02);

  for (const name of ['classifier', 'text-and-missing', 'feature-crosses', 'csv-file']) {
    const r = byName[name];
    assert.equal(r.metrics.rows.test, r.latih.stats.test_size, `${name}: the same split`);
    near(r.metrics.test.accuracy, r.latih.evaluation.test.accuracy, slack(r), `${name} test accuracy`);
    near(r.metrics.train.accuracy, r.latih.evaluation.train.accuracy, 0.02, `${name} train accuracy`);
    assert.equal(r.metrics.substitute_for, null);
  }
  {
    const r = byName.regressor;
    const t = r.latih.evaluation.test;
    near(r.metrics.test.mse, t.mse, 0.01 * t.mse, 'regressor test MSE');
    near(r.metrics.test.r2, t.r2, 0.005, 'regressor test R²');
  }
  {
    const r = byName.clustering;
    assert.equal(r.metrics.train.clusters, 3);
    near(r.metrics.train.adjusted_rand, r.latih.evaluation.train.adjusted_rand, 0.05, 'k-means adjusted Rand index (train)');
    near(r.metrics.test.adjusted_rand, r.latih.evaluation.test.adjusted_rand, 0.05, 'k-means adjusted Rand index (test)');
  }
  {
    const r = byName['cross-validated'];
    const latihCv = r.latih.cv.find((m) => m.name === 'accuracy');
    const sparkCv = r.metrics.cross_validation.accuracy;
    assert.equal(sparkCv.folds.length, 5);
    near(sparkCv.mean, latihCv.mean, 0.04, 'cross-validated accuracy');
  }
  {
    const r = byName.network;
    assert.equal(r.metrics.model, 'MultilayerPerceptronClassifier');
    assert.ok(r.metrics.test.accuracy > 0.8 && r.latih.stats.test_accuracy > 0.8,
      `network: Spark ${r.metrics.test.accuracy}, Latih ${r.latih.stats.test_accuracy}`);
  }
  {
    // A model MLlib lacks: the page says so, the script's top says so, the output names it.
    const r = byName.unsupported;
    assert.match(r.notice, /MLlib has no k-nearest neighbours/);
    assert.match(r.notice, /RandomForestClassifier/);
    assert.match(fs.readFileSync(r.file, 'utf8').split('\n').slice(0, 12).join('\n'), /NOT THE SAME MODEL/);
    assert.equal(r.metrics.substitute_for, 'k-nearest neighbours');
    assert.equal(r.metrics.model, 'RandomForestClassifier');
    assert.ok(r.metrics.test.accuracy > 0.8, `${r.metrics.test.accuracy}`);
  }
  {
    const [fromCsv, fromParquet] = results.slice(exported.length).map((r) => { assert.ok(!r.error, r.error); return r.metrics; });
    const rows = penguins.latih.stats.test_size + penguins.latih.stats.train_size;
    for (const m of [fromCsv, fromParquet]) {
      assert.equal(m.rows.train + m.rows.test, rows, 'every row of the file is read');
      const share = penguins.latih.stats.train_size / rows;
      assert.ok(Math.abs(m.rows.train / rows - share) < 0.1, `a seeded random split near ${share}: ${m.rows.train}`);
      assert.ok(m.test.accuracy > 0.95, `penguins from a file: ${m.test.accuracy}`);
    }
  }
  {
    // The notebook form runs too (nbclient, a Python kernel with PySpark) and gives the same numbers.
    const r = byName.classifier;
    const nbOut = execFileSync(PYTHON, [path.join(ROOT, 'tests', 'e2e', 'run_notebook.py'), r.file.replace(/\.py$/, '.ipynb')],
      { encoding: 'utf8', timeout: 600_000, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    const fromNotebook = JSON.parse(nbOut.trim().split('\n').pop());
    assert.deepEqual(fromNotebook.test, r.metrics.test);
  }
  // Every fitted pipeline was saved where --out said.
  for (const r of Object.values(byName)) {
    assert.ok(fs.existsSync(path.join(dir, `${r.name}-pipeline`, 'metadata')), `${r.name}: pipeline not saved`);
  }
});

test('every model exports a Spark script that Python compiles, with its MLlib model or a named substitute', async () => {
  const page = await openApp(browser, server.url, 'v=1&data=iris');
  const models = await page.evaluate(() => window.latih.models.map((m) => [m.id, m.kind]));
  assert.ok(models.length >= 15, models.join());
  const files = [];
  for (const [id, kind] of models) {
    const data = id === 'als' ? 'ratings' : kind === 'regression' ? 'diabetes' : kind === 'classification' ? 'penguins' : 'iris';
    const out = await page.evaluate(([data, id]) => {
      window.latih.lab.load(`v=1&data=${data}&model=${id}`);
      return window.latih.lab.spark('check.py');
    }, [data, id]);
    const file = path.join(dir, `compile-${kind}-${id}.py`);
    fs.writeFileSync(file, out.script);
    files.push(file);
    const top = out.script.split('\n').slice(0, 14).join('\n');
    assert.match(top, /# Model: \w+/, id);
    assert.equal(/NOT THE SAME MODEL/.test(top), out.substitute != null, `${id}: the banner and the message disagree`);
  }
  execFileSync(PYTHON, ['-m', 'py_compile', ...files], { encoding: 'utf8' });
  assert.deepEqual(page.errors, []);
  await page.close();
});
