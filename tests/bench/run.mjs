// Side-by-side training benchmark: Latih (our wasm) vs ConvNetJS vs TensorFlow.js (cpu
// backend) in one headless-Chromium page, plus our native build of the same code as the
// practical limit, plus the redraw time of the main view. Prints RATIOS; asserts nothing.
//
//   cd tests && node bench/run.mjs [--rounds N] [--seconds S] [--skip-build] [--no-wasm-opt]
//
// What it does (DESIGN.md, "Performance protocol"):
// 1. Builds the wasm (`cargo build --release --target wasm32-unknown-unknown --lib -p latih`,
//    wasm-bindgen --target web into tests/bench/pkg, wasm-opt -O3 as the app's trunk build
//    does) and the native CLI (`cargo build --release --bin latih`).
// 2. Serves tests/bench and two node_modules files on 127.0.0.1 and opens bench/index.html.
// 3. For two setups (TensorFlow Playground's default circle 2-4-2-2, and spiral 2-8-8-8-2;
//    tanh, SGD lr 0.03, batch 10, 250 training rows taken from Latih's own generator), it
//    runs rounds interleaved (Latih, ConvNetJS, ConvNetJS+eval, tfjs, native, Latih, ...);
//    each round trains whole epochs for about S seconds (default 1) and yields epochs/s.
//    One short warm-up round is not counted; the table shows the median of N rounds
//    (default 5); ratios are medians of the per-round ratios (paired within a round).
//    A Latih epoch also evaluates the full train and test loss at its end (500 forward
//    passes); "ConvNetJS+eval" does that same extra work, plain "ConvNetJS" and "tfjs" don't.
//    The native row is `latih bench '<link>' --seconds S` (std::time::Instant, same epochs).
// 4. Times `lab.draw(view 300×300, one 38×38 thumbnail per hidden neuron, -1, -1)`: median of
//    30 calls after training (target: under 8 ms per frame), with a breakdown (grid
//    evaluation alone, + the big view, + the thumbnails).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { here, root, flag, option, sh, buildWasm, serve, median, fmtRatio, table, SETUPS, launch, nativeJson, openBenchPage } from './common.mjs';

const ROUNDS = Math.max(1, Number(option('--rounds', 5)));
const SECONDS = Math.max(0.1, Number(option('--seconds', 1)));
const SKIP_BUILD = flag('--skip-build');
const WASM_OPT = !flag('--no-wasm-opt');
const DRAW_CALLS = 30;

const PAGE_CONTENDERS = ['latih', 'latih-play', 'convnetjs', 'convnetjs+eval', 'tfjs'];
const LABEL = { latih: 'Latih wasm', 'latih-play': 'Latih as played', convnetjs: 'ConvNetJS', 'convnetjs+eval': 'ConvNetJS+eval', tfjs: 'tfjs (cpu)', native: 'Latih native' };

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
const server = await serve(new Set(['/node_modules/convnetjs/build/convnet.js', '/node_modules/@tensorflow/tfjs/dist/tf.min.js']));
const base = server.base;

// ---------------------------------------------------------------- helpers
const fmt = (x, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : '–');
function native(fragment, seconds) {
  const j = nativeJson(['bench', fragment, '--seconds', String(seconds)]);
  return { epochs: j.epochs, eps: j.epochs_per_second };
}

// ---------------------------------------------------------------- run
const browser = await launch();
let exitCode = 0;
try {
  const { page, errors: pageErrors } = await openBenchPage(browser, `${base}/bench/index.html`);
  const info = await page.evaluate(() => window.bench.init());
  const ua = await page.evaluate(() => navigator.userAgent.match(/Chrome\/[\d.]+/)?.[0] ?? navigator.userAgent);
  console.error(`page ready (${ua}, tfjs ${info.tfVersion} backend ${info.tfBackend}); ${ROUNDS} rounds × ${SECONDS} s each`);

  const ms = SECONDS * 1000;
  const results = [];
  for (const setup of SETUPS) {
    const meta = await page.evaluate(([k, f]) => window.bench.setup(k, f), [setup.key, setup.fragment]);
    const eps = Object.fromEntries([...PAGE_CONTENDERS, 'native'].map((c) => [c, []]));
    const runOne = async (c, roundMs) => {
      if (c === 'native') return native(setup.fragment, roundMs / 1000);
      const r = await page.evaluate(([k, who, t]) => window.bench.round(k, who, t), [setup.key, c, roundMs]);
      return { epochs: r.epochs, eps: (r.epochs * 1000) / r.ms };
    };
    // Warm-up (JIT, caches), not counted.
    for (const c of [...PAGE_CONTENDERS, 'native']) await runOne(c, Math.min(300, ms));
    for (let round = 0; round < ROUNDS; round++) {
      for (const c of [...PAGE_CONTENDERS, 'native']) eps[c].push((await runOne(c, ms)).eps);
      console.error(`  setup ${setup.key} round ${round + 1}/${ROUNDS}: ` +
        Object.entries(eps).map(([c, v]) => `${c} ${fmt(v[round])}`).join(', '));
    }
    const losses = await page.evaluate((k) => window.bench.losses(k), setup.key);
    const hiddenNeurons = meta.sizes.slice(1, -1).reduce((a, b) => a + b, 0);
    const draw = await page.evaluate(([k, n, calls]) => window.bench.draw(k, n, calls), [setup.key, hiddenNeurons, DRAW_CALLS]);
    await page.evaluate((k) => window.bench.dispose(k), setup.key);
    const pairedRatio = (a, b) => median(eps[a].map((x, i) => x / eps[b][i]));
    results.push({ setup, meta, eps, losses, draw, hiddenNeurons, pairedRatio });
  }
  if (pageErrors.length) console.error(`page errors: ${pageErrors.join('; ')}`);

  // ---------------------------------------------------------------- report
  const out = [];
  out.push('');
  out.push(`Latih side-by-side benchmark — ${ua}, tfjs ${info.tfVersion} (${info.tfBackend}), ` +
    `${ROUNDS} interleaved rounds × ~${SECONDS} s, wasm-opt ${WASM_OPT ? '-O3' : 'off'}`);
  for (const r of results) {
    out.push('');
    out.push(`Setup (${r.setup.key}) ${r.setup.name}: ${r.meta.train} train / ${r.meta.test} test rows, ` +
      `${r.meta.stats.parameters} parameters, ${r.meta.stats.batches_per_epoch} batches/epoch`);
    out.push(`  #${r.setup.fragment}`);
    const rows = [...PAGE_CONTENDERS, 'native'].map((c) => {
      const l = c === 'native' ? null : r.losses[c];
      return [LABEL[c], fmt(median(r.eps[c])), `${fmt(Math.min(...r.eps[c]))}–${fmt(Math.max(...r.eps[c]))}`,
        c === 'latih' ? '1.00×' : fmtRatio(r.pairedRatio('latih', c)),
        l ? fmt(l.train, 3) : '(same code)'];
    });
    out.push(table(['contender', 'epochs/s', 'range', 'Latih wasm ÷ it', 'train loss at end'], rows).replace(/^/gm, '  '));
  }
  out.push('');
  out.push('Summary (median of per-round ratios; > 1 means Latih wasm is faster):');
  const sumRows = results.map((r) => [
    `(${r.setup.key}) ${r.setup.key === 'a' ? 'circle 4,2' : 'spiral 8,8,8'}`,
    fmtRatio(r.pairedRatio('latih', 'convnetjs')),
    fmtRatio(r.pairedRatio('latih-play', 'convnetjs')),
    fmtRatio(r.pairedRatio('latih', 'convnetjs+eval')),
    fmtRatio(r.pairedRatio('latih', 'tfjs')),
    `${(r.pairedRatio('latih', 'native') * 100).toFixed(0)}%`,
    `${fmt(r.draw.full.median, 2)} ms (${r.hiddenNeurons} thumbs)`,
  ]);
  out.push(table(['setup', 'Latih/ConvNetJS', 'played/ConvNetJS', 'Latih/ConvNetJS+eval', 'Latih/tfjs', 'wasm/native', 'redraw (median of 30)'], sumRows)
    .replace(/^/gm, '  '));
  out.push('');
  out.push('Notes: a Latih epoch includes its end-of-epoch train+test loss evaluation; "ConvNetJS+eval" adds the same');
  out.push('evaluation to ConvNetJS, plain ConvNetJS and tfjs only train. Latih and ConvNetJS compute in f64, tfjs in f32.');
  out.push('"Latih as played" trains as the page\'s Play loop does: lab.train(9 ms) slices, losses evaluated once per slice');
  out.push('(one chart point per frame, as TensorFlow Playground draws), so it is training work only, like plain ConvNetJS.');
  out.push(`Redraw = lab.draw(300×300 view, one 38×38 thumbnail per hidden neuron, -1, -1), median of ${DRAW_CALLS} calls; ` +
    `target under 8 ms: ${results.map((r) => `${r.setup.key} ${r.draw.full.median < 8 ? 'met' : 'NOT met'}`).join(', ')}.`);
  out.push('Redraw breakdown (median ms; "grid only" draws into a 1×1 view without thumbnails, so it is about');
  out.push('the 100×100 grid evaluation of the output and every hidden neuron):');
  out.push(table(['setup', 'grid only', '+ 300×300 view', '+ thumbnails (full)', 'full min–max'], results.map((r) => [
    `(${r.setup.key})`, fmt(r.draw.grid.median, 2), fmt(r.draw.view.median, 2),
    `${fmt(r.draw.full.median, 2)} (${r.hiddenNeurons})`, `${fmt(r.draw.full.min, 2)}–${fmt(r.draw.full.max, 2)}`,
  ])).replace(/^/gm, '  '));
  console.log(out.join('\n'));
} catch (e) {
  console.error(e);
  exitCode = 1;
} finally {
  await browser.close();
  server.close();
}
process.exit(exitCode);
