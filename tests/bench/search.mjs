// Side-by-side benchmark of a hyperparameter search: a 5-fold grid search of 20 candidates for
// logistic regression on red wine quality (1,599 rows, 6 classes), in Latih's browser build, in
// Latih's native build and in scikit-learn's GridSearchCV (n_jobs=1). Prints RATIOS; asserts
// nothing.
//
//   cd tests && node bench/search.mjs [--rounds N] [--skip-build]
//
// Like for like: the same rows (the native CLI writes Latih's copy of the dataset for Python),
// the same 20 C values (Latih's grid, read back from its results), 5 stratified folds, the
// inputs standardised on each fold's training rows (scikit-learn: a StandardScaler in the
// pipeline), L-BFGS capped at 100 iterations with gradient tolerance 1e-8 on both sides, accuracy
// as the score. The folds are not the same rows (each side shuffles with its own generator),
// so the best scores agree only roughly. The browser runs the search as the page does, in
// slices (here 200 ms each, the most `search_step` takes), from `window.latih.lab`.
// 1. Builds the app (trunk build --release) and the native CLI unless --skip-build.
// 2. For each of N rounds (default 3), interleaved: browser, native, scikit-learn.
// 3. Prints the median seconds of each and the ratios.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root, testsDir, flag, option, sh, median, fmtRatio, table, launch, nativeJson } from './common.mjs';
import { serve } from '../e2e/lib.mjs';

const ROUNDS = Math.max(1, Number(option('--rounds', 3)));
const LINK = 'v=1&data=wine&strat=1&folds=5&model=logistic&iters=100&search=grid&space=c:0.001..1000:log:20';

if (!flag('--skip-build')) {
  console.error('building (trunk release build, native CLI)…');
  sh('trunk', ['build', '--release']);
  sh('cargo', ['build', '--release', '--bin', 'latih']);
}

const work = mkdtempSync(join(tmpdir(), 'latih-search-'));
const csv = join(work, 'wine.csv');
const python = join(testsDir, '.venv/bin/python');
const server = await serve();
const browser = await launch();
const page = await browser.newPage();
await page.goto(`${server.url}#${LINK}`);
await page.waitForSelector('body.ready', { timeout: 30000 });

const times = { browser: [], native: [], sklearn: [] };
let latihBest = null;
let sklearnBest = null;
try {
  for (let round = 0; round < ROUNDS; round++) {
    const inPage = await page.evaluate(() => {
      const lab = window.latih.lab;
      const t0 = performance.now();
      lab.search_start();
      let r;
      do r = lab.search_step(200); while (!r.done);
      const best = r.results[r.best];
      return { ms: performance.now() - t0, best: best.settings[0][1], score: best.scores[0].mean, cs: r.results.map((c) => c.settings[0][1]) };
    });
    times.browser.push(inPage.ms / 1000);
    const native = nativeJson(['search', LINK, '--dump-csv', csv]);
    times.native.push(native.ms / 1000);
    latihBest = { c: inPage.best, score: inPage.score, nativeScore: native.results[native.best].mean };
    const py = spawnSync(python, [join(testsDir, 'bench/search_sklearn.py'), csv, 'quality', '5', inPage.cs.join(','), '100', '1'], { encoding: 'utf8' });
    if (py.status !== 0) throw new Error(`scikit-learn failed: ${py.stderr}`);
    const sk = JSON.parse(py.stdout);
    times.sklearn.push(sk.seconds);
    sklearnBest = sk;
    console.error(`  round ${round + 1}: browser ${inPage.ms.toFixed(0)} ms, native ${native.ms.toFixed(0)} ms, scikit-learn ${(sk.seconds * 1000).toFixed(0)} ms`);
  }
} finally {
  await browser.close();
  await server.close();
  rmSync(work, { recursive: true, force: true });
}

const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
console.log(`\n5-fold grid search, 20 candidates, logistic regression, red wine quality (1,599 rows); median of ${ROUNDS} rounds`);
console.log(table(['side', 'seconds', 'scikit-learn ÷ side (> 1: faster)', 'best C', 'best mean accuracy'], [
  ['Latih, browser (wasm)', m.browser.toFixed(2), fmtRatio(m.sklearn / m.browser), latihBest.c, latihBest.score.toFixed(4)],
  ['Latih, native', m.native.toFixed(2), fmtRatio(m.sklearn / m.native), latihBest.c, latihBest.nativeScore.toFixed(4)],
  ['scikit-learn GridSearchCV', m.sklearn.toFixed(2), '1×', String(sklearnBest.best_c), sklearnBest.best_score.toFixed(4)],
]));
console.log(`wasm ÷ native: ${fmtRatio(m.browser / m.native)}`);
