// Page side of the classical-model benchmark (driven by tests/bench/models.mjs through
// window.bench): Latih's wasm `fitPredict` against the ml.js npm packages, on the same data.
// Every timed call is one fit on the training rows plus one prediction of every row, for both
// sides; inputs are prepared once, outside the timing, in the form each side takes (a
// Float64Array for Latih, arrays of rows for ml.js, ml-matrix matrices where the package
// requires them).
import init, { Lab, fitPredict, fitPredictLoop } from './pkg/latih.js';

/** Latih's seed for every call (the native CLI's `--seed` default is the same). */
const SEED = 1;
/** ml.js packages, each imported on its own so a failure names the package. */
const PACKAGES = ['ml-matrix', 'ml-cart', 'ml-random-forest', 'ml-knn', 'ml-naivebayes', 'ml-logistic-regression',
  'ml-kmeans', 'ml-pca'];
const ml = {};
const datasets = {};
let sink = 0;

/**
 * The pairs: Latih's query and the ml.js call that does the same work, like for like as far as
 * the packages allow. `kind` says how agreement is measured: `class` (accuracy on the training
 * rows), `cluster` (adjusted Rand index against the classes, training rows), `pca` (|r| of the
 * first components of both, all rows).
 */
const MODELS = {
  // Decision tree: Gini, depth 5. Latih (linfa) splits a node with at least `minsplit` = 2 rows;
  // ml-cart makes a leaf of a node with at most `minNumSamples` rows, so minNumSamples 2 there is
  // "split from 3 rows" (no difference at depth 5 on these sets). ml-cart's gainThreshold
  // (default 0.01: stop when the Gini gain is below it) is set to 0, as Latih has no such stop.
  tree: {
    kind: 'class',
    query: 'model=tree&criterion=gini&depth=5&minsplit=2',
    peer: 'ml-cart DecisionTreeClassifier {gini, maxDepth 5, minNumSamples 2, gainThreshold 0}',
    mljs(d) {
      const t = new ml['ml-cart'].DecisionTreeClassifier({ gainFunction: 'gini', maxDepth: 5, minNumSamples: 2, gainThreshold: 0 });
      t.train(d.trainRows, d.trainY);
      return t.predict(d.rows);
    },
  },
  // Random forest: 50 trees, each on a bootstrap sample of the training rows (ml.js
  // useSampleBagging) and on every feature (Latih featfrac 1). ml-random-forest's `replacement`
  // is about the FEATURES: `true` draws the tree's columns with replacement, so with maxFeatures
  // 1.0 on 2-D data half the trees would see one feature twice; `false` gives every tree all the
  // features, as Latih does. noOOB: true skips the out-of-bag predictions Latih does not make.
  // Trees: depth 10, minNumSamples 2 (see tree), gainThreshold 0. Latih averages class shares,
  // ml.js takes the mode of the trees' votes.
  forest: {
    kind: 'class',
    query: 'model=forest&trees=50&depth=10&minsplit=2&featfrac=1',
    peer: 'ml-random-forest RandomForestClassifier {nEstimators 50, maxFeatures 1.0, replacement false, noOOB, maxDepth 10}',
    mljs(d) {
      const f = new ml['ml-random-forest'].RandomForestClassifier({
        nEstimators: 50, maxFeatures: 1.0, replacement: false, useSampleBagging: true, noOOB: true, seed: 42,
        treeOptions: { gainFunction: 'gini', maxDepth: 10, minNumSamples: 2, gainThreshold: 0 },
      });
      f.train(d.trainRows, d.trainY);
      return f.predict(d.rows);
    },
  },
  // k-NN: k 5, Euclidean, uniform votes. Both build their index (Latih: linfa's k-d tree via
  // linfa-nn; ml-knn: its own k-d tree) in the fit and query it per row.
  knn: {
    kind: 'class',
    query: 'model=knn&k=5&dist=euclidean&weights=uniform',
    peer: 'ml-knn {k 5} (Euclidean)',
    mljs(d) {
      const knn = new ml['ml-knn'].default(d.trainRows, d.trainY, { k: 5 });
      return knn.predict(d.rows);
    },
  },
  // Gaussian naive Bayes. Latih adds 1e-9 × the largest variance to every variance
  // (scikit-learn's smoothing); ml-naivebayes uses the sample standard deviations as they are.
  // ml-naivebayes 4.0.0's predict loops over `classes[0][1].length` (= 2, the length of a
  // [C1, C2] pair) instead of the feature count, so it reads only the first two features: the
  // same work on the 2-D sets, half of it (and a lower accuracy) on 4-D iris.
  bayes: {
    kind: 'class',
    query: 'model=bayes&smoothing=1e-9',
    peer: 'ml-naivebayes GaussianNB (its predict reads only the first 2 features: less work on 4-D iris)',
    mljs(d) {
      const nb = new ml['ml-naivebayes'].GaussianNB();
      nb.train(d.trainRows, d.trainY);
      return nb.predict(d.rows);
    },
  },
  // Logistic regression: NOT the same algorithm. Latih (linfa) minimises the log-loss + L2
  // (C = 1) with L-BFGS, at most 100 iterations (each with a line search, so more than 100
  // gradient evaluations; it stops earlier when the gradient vanishes), binary for 2 classes and
  // softmax for 3. ml-logistic-regression runs plain gradient descent for a fixed numSteps (100
  // here, to match the iteration count roughly; learningRate its default 5e-4 on the summed
  // gradient), one-vs-all with one model PER CLASS (2 models for 2 classes), no penalty and no
  // intercept, so it gets a column of ones as an extra feature. Compare times with that in mind.
  logistic: {
    kind: 'class',
    query: 'model=logistic&c=1&iters=100',
    peer: 'ml-logistic-regression: 100 gradient-descent steps, learningRate 5e-4, one-vs-all, + intercept column (not L-BFGS)',
    mljs(d) {
      const lr = new ml['ml-logistic-regression'].default({ numSteps: 100, learningRate: 5e-4 });
      lr.train(d.matrices.trainX1, d.matrices.trainY);
      return lr.predict(d.matrices.allX1);
    },
  },
  // k-means: k 3, k-means++ initialisation, at most 100 iterations, one run (Latih n_runs 1);
  // both stop when the centroids move less than 1e-6 (linfa: the Euclidean distance between the
  // old and new centroid sets; ml-kmeans: each centroid's squared distance). ml-kmeans draws its seeding from Math.random unless given `seed`; it gets
  // seed 42 so its iterations are the same every call. Predicting = nearest centroid. The two
  // seed differently, so they may converge in different numbers of iterations (and to different
  // local optima: compare the ARI columns).
  kmeans: {
    kind: 'cluster',
    query: 'model=kmeans&k=3&init=kmeans%2B%2B&iters=100',
    peer: 'ml-kmeans {k 3, kmeans++, maxIterations 100, seed 42} + nearest()',
    mljs(d) {
      const r = ml['ml-kmeans'].kmeans(d.trainRows, 3, { initialization: 'kmeans++', maxIterations: 100, tolerance: 1e-6, seed: 42 });
      return r.nearest(d.rows);
    },
  },
  // PCA, 2 components, centred and not scaled (ml-pca: SVD; Latih: Jacobi eigenvectors of the covariance).
  // Latih's prediction is each row's first component; ml-pca projects on both components.
  pca: {
    kind: 'pca',
    query: 'model=pca&components=2',
    peer: 'ml-pca {SVD, center, no scale} + predict(nComponents 2)',
    mljs(d) {
      const p = new ml['ml-pca'].PCA(d.trainRows, { method: 'SVD', center: true, scale: false });
      return p.predict(d.rows, { nComponents: 2 }).getColumn(0);
    },
  },
};

/** Keeps a dataset in the forms both sides take. `x` is row-major, `cols` wide. */
function store(name, { x, y, train, cols, classes }) {
  const n = y.length;
  const rows = Array.from({ length: n }, (_, i) => Array.from(x.slice(i * cols, (i + 1) * cols)));
  const trainRows = train.map((i) => rows[i]);
  const trainY = train.map((i) => y[i]);
  const { Matrix } = ml['ml-matrix'];
  datasets[name] = {
    name, n, cols, classes, train, rows, trainRows, trainY,
    x: Float64Array.from(x),
    y: Float64Array.from(y),
    trainX: Float64Array.from(trainRows.flat()),
    trainYf: Float64Array.from(trainY),
    matrices: {
      trainX1: new Matrix(trainRows.map((r) => [...r, 1])),
      trainY: Matrix.columnVector(trainY),
      allX1: new Matrix(rows.map((r) => [...r, 1])),
    },
  };
  return { name, n, cols, classes, train: train.length };
}

/** One fit+predict of `who`: Latih on the training rows, ml.js likewise, or Latih on every row. */
function call(model, d, who) {
  const m = MODELS[model];
  switch (who) {
    case 'latih':
      return fitPredict(m.query, d.trainX, d.trainYf, d.cols, d.classes, d.x, BigInt(SEED));
    case 'latih-all':
      return fitPredict(m.query, d.x, d.y, d.cols, d.classes, d.x, BigInt(SEED));
    case 'mljs':
      return m.mljs(d);
    default:
      throw new Error(`unknown contender ${who}`);
  }
}

function accuracy(predicted, d) {
  let right = 0;
  for (const i of d.train) right += predicted[i] === d.y[i] ? 1 : 0;
  return right / d.train.length;
}

/** Adjusted Rand index of two labelings (the same as `latih::models::adjusted_rand_index`). */
function adjustedRand(a, b) {
  const n = a.length;
  const pairs = (c) => (c * (c - 1)) / 2;
  const table = new Map();
  const rows = new Map();
  const cols = new Map();
  const add = (m, k) => m.set(k, (m.get(k) ?? 0) + 1);
  for (let i = 0; i < n; i++) {
    add(table, `${a[i]},${b[i]}`);
    add(rows, a[i]);
    add(cols, b[i]);
  }
  const sum = (m) => [...m.values()].reduce((s, c) => s + pairs(c), 0);
  const index = sum(table);
  const expected = (sum(rows) * sum(cols)) / pairs(n);
  const max = (sum(rows) + sum(cols)) / 2;
  return max === expected ? 1 : (index - expected) / (max - expected);
}

function absCorrelation(a, b) {
  const n = a.length;
  const ma = a.reduce((s, v) => s + v, 0) / n;
  const mb = b.reduce((s, v) => s + v, 0) / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return Math.abs(sab / Math.sqrt(saa * sbb));
}

window.bench = {
  /** Starts the wasm and imports each ml.js package; returns what loaded and what failed. */
  async init() {
    await init();
    const loaded = {};
    for (const name of PACKAGES) {
      try {
        ml[name] = await import(name);
        loaded[name] = 'ok';
      } catch (e) {
        loaded[name] = String(e);
      }
    }
    return loaded;
  },

  /** The pairs' settings, for the driver's table and the native CLI. */
  models() {
    return Object.fromEntries(Object.entries(MODELS).map(([k, m]) => [k, { kind: m.kind, query: m.query, peer: m.peer }]));
  },

  /** Generates a 2-D set with Latih's own generator; returns it (the driver writes the CSV). */
  lab(name, fragment) {
    const ds = new Lab(fragment).dataset();
    const classes = Math.max(...ds.targets) + 1;
    store(name, { x: ds.points, y: ds.targets, train: ds.train, cols: 2, classes });
    return { x: ds.points, y: ds.targets, train: ds.train, cols: 2, classes };
  },

  /** Keeps a dataset the driver read (iris). */
  load(name, data) {
    return store(name, data);
  },

  /** One call of each side; how well each did (see MODELS) and how much the two agree. */
  check(model, name) {
    const d = datasets[name];
    const kind = MODELS[model].kind;
    const latih = Array.from(call(model, d, 'latih'));
    const mljs = Array.from(call(model, d, 'mljs'));
    if (latih.length !== d.n || mljs.length !== d.n) throw new Error(`${model}/${name}: ${latih.length} and ${mljs.length} predictions for ${d.n} rows`);
    if (kind === 'class') {
      let same = 0;
      for (let i = 0; i < d.n; i++) same += latih[i] === mljs[i] ? 1 : 0;
      return { kind, latih: accuracy(latih, d), mljs: accuracy(mljs, d), same: same / d.n };
    }
    if (kind === 'cluster') {
      const pick = (p) => d.train.map((i) => p[i]);
      const truth = pick(d.y);
      return { kind, latih: adjustedRand(pick(latih), truth), mljs: adjustedRand(pick(mljs), truth), same: adjustedRand(latih, mljs) };
    }
    const r = absCorrelation(latih, mljs);
    return { kind, latih: r, mljs: r, same: r };
  },

  /** Calls `who` until `minMs` has passed (at least once); returns {runs, ms per call}. */
  time(model, name, who, minMs) {
    const d = datasets[name];
    if (who === 'latih-all') {
      // The native CLI repeats the fit inside its own loop; so does wasm here, and the arrays
      // cross the JS boundary once rather than on every call.
      const ms = fitPredictLoop(MODELS[model].query, d.x, d.y, d.cols, d.classes, d.x, BigInt(SEED), minMs);
      return { runs: Math.max(1, Math.round(minMs / ms)), ms };
    }
    let runs = 0;
    let t = 0;
    const t0 = performance.now();
    do {
      sink += call(model, d, who).length;
      runs++;
      t = performance.now() - t0;
    } while (t < minMs);
    return { runs, ms: t / runs };
  },

  /** Sum of the lengths of everything returned, so no call's result is dead. */
  sink: () => sink,
};
window.benchReady = true;
