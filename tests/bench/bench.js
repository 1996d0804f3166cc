// Page side of the side-by-side benchmark (driven by tests/bench/run.mjs through
// window.bench). Every contender trains the same network on the same training rows, which
// come from Latih's own generator (`lab.dataset()`):
//   latih       – our wasm build: `lab.step()` = one epoch of mini-batch SGD plus the
//                 end-of-epoch train+test loss evaluation that every Latih epoch includes;
//   convnetjs   – ConvNetJS 0.3.0, SGD (momentum 0, l2 0), batch 10, shuffled each epoch;
//   convnetjs+eval – the same, plus a forward pass over all train+test rows per epoch to
//                 compute both losses, i.e. the same work as a Latih epoch;
//   tfjs        – TensorFlow.js 4.22 cpu backend, model.fit(…, {epochs: 1}) per epoch.
import init, { Lab } from './pkg/latih.js';

/* global convnetjs, tf */

// Small seeded PRNG (mulberry32) so the peers' shuffles are reproducible.
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle(order, rand) {
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
}

const setups = {};

function makeConvnet(sizes) {
  const defs = [{ type: 'input', out_sx: 1, out_sy: 1, out_depth: sizes[0] }];
  for (const n of sizes.slice(1, -1)) defs.push({ type: 'fc', num_neurons: n, activation: 'tanh' });
  defs.push({ type: 'softmax', num_classes: sizes[sizes.length - 1] });
  const net = new convnetjs.Net();
  net.makeLayers(defs);
  const trainer = new convnetjs.Trainer(net, {
    method: 'sgd', learning_rate: 0.03, momentum: 0, batch_size: 10, l2_decay: 0,
  });
  return { net, trainer };
}

function makeTfjs(sizes) {
  const model = tf.sequential();
  sizes.slice(1, -1).forEach((n, i) => {
    const cfg = { units: n, activation: 'tanh' };
    if (i === 0) cfg.inputShape = [sizes[0]];
    model.add(tf.layers.dense(cfg));
  });
  model.add(tf.layers.dense({ units: sizes[sizes.length - 1], activation: 'softmax' }));
  model.compile({ optimizer: tf.train.sgd(0.03), loss: 'categoricalCrossentropy' });
  return model;
}

function convnetLoss(net, vols, labels) {
  let sum = 0;
  for (let i = 0; i < vols.length; i++) sum -= Math.log(net.forward(vols[i], false).w[labels[i]]);
  return sum / vols.length;
}

window.bench = {
  async init() {
    await init();
    await tf.setBackend('cpu');
    await tf.ready();
    return { tfBackend: tf.getBackend(), tfVersion: tf.version.tfjs };
  },

  /** Opens one setup: the Lab, plus peers fed with the Lab's training rows. */
  setup(key, fragment) {
    const lab = new Lab(fragment);
    const labPlay = new Lab(fragment);
    const ds = lab.dataset();
    const sizes = lab.network().sizes;
    const classes = sizes[sizes.length - 1];
    const rowsToData = (rows) => ({
      x: rows.flatMap((r) => [ds.points[2 * r], ds.points[2 * r + 1]]),
      y: rows.map((r) => ds.targets[r]),
    });
    const train = rowsToData(ds.train);
    const test = rowsToData(ds.test);
    const toVols = (d) => d.y.map((_, i) => {
      const v = new convnetjs.Vol(1, 1, 2, 0.0);
      v.w[0] = d.x[2 * i];
      v.w[1] = d.x[2 * i + 1];
      return v;
    });
    const cn = makeConvnet(sizes);
    const cnEval = makeConvnet(sizes);
    const model = makeTfjs(sizes);
    const xs = tf.tensor2d(train.x, [train.y.length, 2]);
    const ys = tf.oneHot(tf.tensor1d(train.y, 'int32'), classes).toFloat();
    setups[key] = {
      lab, labPlay, sizes, train, test, cn, cnEval, model, xs, ys,
      trainVols: toVols(train), testVols: toVols(test),
      order: train.y.map((_, i) => i),
      rand: mulberry32(1),
      cnEvalLosses: [NaN, NaN],
      tfLoss: NaN,
      tfOpts: { batchSize: 10, epochs: 1, shuffle: true, verbose: 0 },
    };
    return { sizes, train: train.y.length, test: test.y.length, stats: lab.stats() };
  },

  /** Trains `who` for whole epochs until `ms` has passed; returns {epochs, ms}. */
  async round(key, who, ms) {
    const s = setups[key];
    let epochs = 0;
    const t0 = performance.now();
    let t = 0;
    const convnetEpoch = (c, withEval) => {
      shuffle(s.order, s.rand);
      for (const i of s.order) c.trainer.train(s.trainVols[i], s.train.y[i]);
      if (withEval) {
        s.cnEvalLosses = [convnetLoss(c.net, s.trainVols, s.train.y), convnetLoss(c.net, s.testVols, s.test.y)];
      }
    };
    switch (who) {
      case 'latih':
        do { s.lab.step(); epochs++; t = performance.now() - t0; } while (t < ms);
        break;
      case 'latih-play':
        do { epochs += s.labPlay.train(9, 0); t = performance.now() - t0; } while (t < ms);
        break;
      case 'convnetjs':
        do { convnetEpoch(s.cn, false); epochs++; t = performance.now() - t0; } while (t < ms);
        break;
      case 'convnetjs+eval':
        do { convnetEpoch(s.cnEval, true); epochs++; t = performance.now() - t0; } while (t < ms);
        break;
      case 'tfjs':
        do {
          const h = await s.model.fit(s.xs, s.ys, s.tfOpts);
          s.tfLoss = h.history.loss[0];
          epochs++;
          t = performance.now() - t0;
        } while (t < ms);
        break;
      default:
        throw new Error(`unknown contender ${who}`);
    }
    return { epochs, ms: t };
  },

  /** Training loss each contender reached (a sanity check that all of them learn). */
  losses(key) {
    const s = setups[key];
    const st = s.lab.stats();
    return {
      latih: { epoch: st.epoch, train: st.train_loss, test: st.test_loss },
      'latih-play': { train: s.labPlay.stats().train_loss, test: s.labPlay.stats().test_loss },
      convnetjs: { train: convnetLoss(s.cn.net, s.trainVols, s.train.y), test: convnetLoss(s.cn.net, s.testVols, s.test.y) },
      'convnetjs+eval': { train: s.cnEvalLosses[0], test: s.cnEvalLosses[1] },
      tfjs: { train: s.tfLoss, test: NaN },
    };
  },

  /**
   * Median time of `lab.draw(view, thumbnails, -1, -1)` over `calls` calls (`full`), plus a
   * breakdown: `grid` draws into a 1×1 view and no thumbnails (≈ the 100×100 grid evaluation
   * of the output and every hidden neuron), `view` adds the 300×300 view, `full` the thumbnails.
   */
  draw(key, thumbnails, calls) {
    const s = setups[key];
    const box = document.getElementById('views');
    const canvas = (w) => {
      const c = document.createElement('canvas');
      c.width = w;
      c.height = w;
      box.appendChild(c);
      return c;
    };
    const tiny = canvas(1);
    const view = canvas(300);
    const thumbs = [];
    for (let i = 0; i < thumbnails; i++) thumbs.push(canvas(38));
    const time = (v, th) => {
      for (let i = 0; i < 3; i++) s.lab.draw(v, th, -1, -1); // warm-up
      const times = [];
      for (let i = 0; i < calls; i++) {
        // One untimed batch first: new weights, as while training, so the draw cannot reuse
        // the fields it cached for unchanged weights.
        s.lab.train(0, 1);
        const t0 = performance.now();
        s.lab.draw(v, th, -1, -1);
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      const m = times.length >> 1;
      return {
        median: times.length % 2 ? times[m] : (times[m - 1] + times[m]) / 2,
        min: times[0],
        max: times[times.length - 1],
      };
    };
    const out = { grid: time(tiny, []), view: time(view, []), full: time(view, thumbs) };
    box.replaceChildren();
    return out;
  },

  dispose(key) {
    const s = setups[key];
    s.model.dispose();
    s.labPlay.free();
    s.xs.dispose();
    s.ys.dispose();
    s.lab.free();
    delete setups[key];
  },
};
window.benchReady = true;
