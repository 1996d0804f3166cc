// Side-by-side benchmark of Latih's classical models against the ml.js npm packages in one
// headless-Chromium page, plus Latih's native build against its wasm build. Prints RATIOS;
// asserts nothing.
//
//   cd tests && node bench/models.mjs [--rounds N] [--min-ms M] [--skip-build] [--no-wasm-opt]
//                                     [--models tree,knn,...] [--data moons,iris,...]
//
// What it does (the performance protocol run.mjs follows):
// 1. Builds the wasm (as run.mjs does: cargo, wasm-bindgen --target web into tests/bench/pkg,
//    wasm-opt -O3) and the native CLI (`cargo build --release --bin latih`), unless --skip-build.
// 2. Serves tests/bench and the ml.js packages' files on 127.0.0.1 and opens bench/models.html.
//    The packages are loaded unbundled: importmap.mjs walks their ES-module graph and writes the
//    import map the page gets (bare specifiers, extensionless relative imports, two CommonJS
//    files run by bench/cjs.js). The page imports each package on its own and reports failures.
// 3. Data: circle, xor, gauss, spiral, moons (2 classes) and blobs (3 classes) from Latih's own
//    generator (`new Lab('v=1&data=…&samples=500&noise=10').dataset()`, its 50% training split),
//    and tests/reference/iris.csv (4 features, 3 classes, its `train` column). Models: tree,
//    forest, knn, bayes, logistic, kmeans on every set; pca on iris only. The settings of each
//    pair, and where the two sides cannot do quite the same work, are in bench/models.js.
// 4. For each (model, dataset) pair, in rounds interleaved as Latih wasm, ml.js, Latih wasm on
//    every row, Latih native: one warm-up round (≥ 200 ms in the page), not counted, then N
//    rounds (default 5). A measurement repeats one fit+predict until M ms (default 50) have
//    passed and yields ms per call. "Latih" and "ml.js" fit the training rows and predict every
//    row. The native CLI (`latih fit '<query>' --csv <file> --classes K --seconds M/1000`, the
//    same `latih::models::fit_predict_params`) fits and predicts every row of a CSV the driver
//    writes, so the page times the wasm build doing that same work too ("wasm, all rows"),
//    and as the CLI does: `fitPredictLoop` reads the query once and repeats the fit inside
//    wasm, so the arrays cross the JS boundary once, not on every call (the ml.js column
//    still pays it per call, as a page calling Latih would).
// 5. Prints, per pair, the median ms of each side, the median of the paired per-round ratios
//    (ml.js ÷ Latih: > 1 means Latih is faster; wasm ÷ native: target under 1.5), and how well
//    each side did on the training rows, so a reader sees the two did comparable work.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { here, root, testsDir, flag, option, sh, buildWasm, serve, median, fmtRatio, table, launch, nativeJson, openBenchPage } from './common.mjs';
import { importMap } from './importmap.mjs';

const ROUNDS = Math.max(1, Number(option('--rounds', 5)));
const MIN_MS = Math.max(1, Number(option('--min-ms', 50)));
const SKIP_BUILD = flag('--skip-build');
const WASM_OPT = !flag('--no-wasm-opt');
const only = (name) => option(name, '').split(',').filter(Boolean);
const MODEL_FILTER = only('--models');
const DATA_FILTER = only('--data');

const LAB_SETS = ['circle', 'xor', 'gauss', 'spiral', 'moons', 'blobs'];
const labFragment = (name) => `v=1&data=${name}&samples=500&noise=10${name === 'blobs' ? '&classes=3' : ''}`;
const PACKAGES = ['ml-matrix', 'ml-cart', 'ml-random-forest', 'ml-knn', 'ml-naivebayes', 'ml-logistic-regression',
  'ml-kmeans', 'ml-pca'];
const CONTENDERS = ['latih', 'mljs', 'latih-all', 'native'];

// ---------------------------------------------------------------- build
const pkg = join(here, 'pkg');
const nativeBin = join(root, 'target/release/latih');
if (!SKIP_BUILD) {
  console.error('building (wasm lib, wasm-bindgen, wasm-opt, native CLI)…');
  buildWasm(pkg, { wasmOpt: WASM_OPT });
  sh('cargo', ['build', '--release', '--bin', 'latih']);
}
if (!existsSync(join(pkg, 'latih.js')) || !existsSync(nativeBin)) throw new Error('build output missing: run without --skip-build');

// ---------------------------------------------------------------- server
const { map, files } = importMap(PACKAGES);
const server = await serve(files, {
  rewrite: (path, text) => (path === '/bench/models.html'
    ? text.replace(/<script type="importmap">[\s\S]*?<\/script>/, () => `<script type="importmap">${JSON.stringify(map)}</script>`)
    : text),
});
console.error(`import map: ${Object.keys(map.imports).length} entries, ${Object.keys(map.scopes).length} scopes; ${files.size} files served from node_modules`);

// ---------------------------------------------------------------- helpers
const fmtMs = (x) => (!Number.isFinite(x) ? '–' : x < 1 ? x.toFixed(3) : x < 10 ? x.toFixed(2) : x.toFixed(1));
const fmtScore = (kind, v) => (kind === 'class' ? `${(v * 100).toFixed(1)}%` : v.toFixed(3));
const tmp = mkdtempSync(join(tmpdir(), 'latih-models-'));

/** Writes a dataset as the CLI reads it: x0..x{d-1}, y, train (1 for a training row). */
function writeCsv(name, { x, y, train, cols }) {
  const inTrain = new Set(train);
  const lines = [[...Array.from({ length: cols }, (_, j) => `x${j}`), 'y', 'train'].join(',')];
  for (let i = 0; i < y.length; i++) lines.push([...x.slice(i * cols, (i + 1) * cols), y[i], inTrain.has(i) ? 1 : 0].join(','));
  const path = join(tmp, `${name}.csv`);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

/** Reads tests/reference/iris.csv (x0..x3, y, train). */
function readIris() {
  const [header, ...rows] = readFileSync(join(testsDir, 'reference/iris.csv'), 'utf8').trim().split('\n');
  const names = header.split(',');
  const features = names.filter((n) => n !== 'y' && n !== 'train').map((n) => names.indexOf(n));
  const cells = rows.map((r) => r.split(',').map(Number));
  const y = cells.map((c) => c[names.indexOf('y')]);
  return {
    x: cells.flatMap((c) => features.map((j) => c[j])),
    y,
    train: cells.map((c, i) => (c[names.indexOf('train')] === 1 ? i : -1)).filter((i) => i >= 0),
    cols: features.length,
    classes: Math.max(...y) + 1,
  };
}

function native(query, csv, classes) {
  const j = nativeJson(['fit', query, '--csv', csv, '--classes', String(classes), '--seconds', String(MIN_MS / 1000)]);
  return { runs: j.runs, ms: j.ms_per_run };
}

// ---------------------------------------------------------------- run
const browser = await launch();
let exitCode = 0;
try {
  const { page, errors: pageErrors } = await openBenchPage(browser, `${server.base}/bench/models.html`);
  const loaded = await page.evaluate(() => window.bench.init());
  const failed = Object.entries(loaded).filter(([, v]) => v !== 'ok');
  if (failed.length) throw new Error(`ml.js packages failed to load: ${failed.map(([k, v]) => `${k}: ${v}`).join('; ')}`);
  const ua = await page.evaluate(() => navigator.userAgent.match(/Chrome\/[\d.]+/)?.[0] ?? navigator.userAgent);
  const versions = Object.fromEntries(PACKAGES.map((p) => [p, JSON.parse(readFileSync(join(testsDir, 'node_modules', p, 'package.json'), 'utf8')).version]));
  console.error(`page ready (${ua}); all ${PACKAGES.length} ml.js packages loaded; ${ROUNDS} rounds, ≥ ${MIN_MS} ms per measurement`);
  const models = await page.evaluate(() => window.bench.models());

  // Datasets: the page generates the 2-D ones; iris comes from the reference CSV.
  const sets = [];
  for (const name of [...LAB_SETS, 'iris']) {
    if (DATA_FILTER.length && !DATA_FILTER.includes(name)) continue;
    if (name === 'iris') {
      const data = readIris();
      const info = await page.evaluate(([n, d]) => window.bench.load(n, d), [name, data]);
      sets.push({ name, csv: join(testsDir, 'reference/iris.csv'), ...info });
    } else {
      const data = await page.evaluate(([n, f]) => window.bench.lab(n, f), [name, labFragment(name)]);
      sets.push({ name, csv: writeCsv(name, data), n: data.y.length, cols: data.cols, classes: data.classes, train: data.train.length });
    }
  }

  const results = [];
  for (const [model, m] of Object.entries(models)) {
    if (MODEL_FILTER.length && !MODEL_FILTER.includes(model)) continue;
    for (const set of sets) {
      if (model === 'pca' && set.name !== 'iris') continue;
      const agree = await page.evaluate(([mo, n]) => window.bench.check(mo, n), [model, set.name]);
      const ms = Object.fromEntries(CONTENDERS.map((c) => [c, []]));
      const runOne = (c, t = MIN_MS) => (c === 'native'
        ? native(m.query, set.csv, set.classes)
        : page.evaluate(([mo, n, who, tt]) => window.bench.time(mo, n, who, tt), [model, set.name, c, t]));
      // Warm-up round, not counted, longer in the page so the wasm and the ml.js code are
      // optimised (V8 tiers both up while they run); the CLI makes one untimed call itself.
      for (const c of CONTENDERS) await runOne(c, Math.max(MIN_MS, 200));
      for (let round = 0; round < ROUNDS; round++) {
        for (const c of CONTENDERS) ms[c].push((await runOne(c)).ms);
      }
      const paired = (a, b) => median(ms[a].map((x, i) => x / ms[b][i]));
      const r = {
        model, set, kind: m.kind, agree,
        med: Object.fromEntries(CONTENDERS.map((c) => [c, median(ms[c])])),
        mljsOverLatih: paired('mljs', 'latih'),
        wasmOverNative: paired('latih-all', 'native'),
      };
      results.push(r);
      console.error(`  ${model}/${set.name}: Latih ${fmtMs(r.med.latih)} ms, ml.js ${fmtMs(r.med.mljs)} ms ` +
        `(${fmtRatio(r.mljsOverLatih)}), wasm ${fmtMs(r.med['latih-all'])} ms vs native ${fmtMs(r.med.native)} ms ` +
        `(${fmtRatio(r.wasmOverNative)})`);
    }
  }
  if (pageErrors.length) console.error(`page errors: ${pageErrors.join('; ')}`);

  // ---------------------------------------------------------------- report
  const out = [];
  out.push('');
  out.push(`Latih classical models vs ml.js — ${ua}, ${ROUNDS} interleaved rounds, ≥ ${MIN_MS} ms per measurement, ` +
    `wasm-opt ${WASM_OPT ? '-O3' : 'off'}`);
  out.push(`ml.js: ${Object.entries(versions).map(([p, v]) => `${p} ${v}`).join(', ')}`);
  out.push('');
  out.push('ms = median ms per fit (training rows) + predict (all rows); ml.js÷Latih = median of per-round ratios, > 1: Latih faster.');
  out.push('Quality on the training rows: accuracy (classifiers), adjusted Rand index against the classes (kmeans),');
  out.push('|r| between the two first components (pca). "same" = share of identical predictions (ARI, |r|) between the two.');
  out.push('wasm/native: both fit and predict EVERY row (the CLI reads the same data from CSV); target wasm÷native < 1.5.');
  out.push(table(
    ['model', 'data', 'fit/all', 'Latih ms', 'ml.js ms', 'ml.js÷Latih', 'Latih', 'ml.js', 'same', 'wasm ms', 'native ms', 'wasm÷native'],
    results.map((r) => [r.model, r.set.name, `${r.set.train}/${r.set.n}`, fmtMs(r.med.latih), fmtMs(r.med.mljs), fmtRatio(r.mljsOverLatih),
      fmtScore(r.kind, r.agree.latih), fmtScore(r.kind, r.agree.mljs), fmtScore(r.kind === 'class' ? 'class' : 'x', r.agree.same),
      fmtMs(r.med['latih-all']), fmtMs(r.med.native), fmtRatio(r.wasmOverNative)]),
  ).replace(/^/gm, '  '));
  out.push('');
  out.push('Per model (median over its datasets):');
  out.push(table(['model', 'ml.js÷Latih', 'min–max', 'wasm÷native', 'min–max'], Object.keys(models)
    .filter((k) => results.some((r) => r.model === k))
    .map((k) => {
      const rs = results.filter((r) => r.model === k);
      const a = rs.map((r) => r.mljsOverLatih);
      const w = rs.map((r) => r.wasmOverNative);
      const range = (xs) => `${fmtRatio(Math.min(...xs))}–${fmtRatio(Math.max(...xs))}`;
      return [k, fmtRatio(median(a)), range(a), fmtRatio(median(w)), range(w)];
    })).replace(/^/gm, '  '));
  const slow = results.filter((r) => r.mljsOverLatih < 3).map((r) => `${r.model}/${r.set.name} ${fmtRatio(r.mljsOverLatih)}`);
  const far = results.filter((r) => r.wasmOverNative > 1.5).map((r) => `${r.model}/${r.set.name} ${fmtRatio(r.wasmOverNative)}`);
  out.push('');
  out.push(`Latih less than 3× faster than ml.js: ${slow.length ? slow.join(', ') : 'none'}.`);
  out.push(`wasm more than 1.5× native: ${far.length ? far.join(', ') : 'none'}.`);
  out.push('');
  out.push('Settings (why each pair is like for like, and where it is not: bench/models.js):');
  for (const [k, m] of Object.entries(models)) out.push(`  ${k.padEnd(8)} Latih ${m.query}\n  ${''.padEnd(8)} ${m.peer}`);
  console.log(out.join('\n'));
} catch (e) {
  console.error(e);
  exitCode = 1;
} finally {
  await browser.close();
  server.close();
  rmSync(tmp, { recursive: true, force: true });
}
process.exit(exitCode);
