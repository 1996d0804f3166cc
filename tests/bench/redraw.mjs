// The boundary view redrawn from scratch for every model, in headless Chromium on the release
// build the app ships (dist/, from `trunk build --release`): the model's output over the
// 100 × 100 grid (10,000 predictions, with probabilities where the model has them) plus the
// raster and the points. Issue 3 asks for under 16 ms (one 60 Hz frame) for any model.
// Prints, per model and dataset, the median of N redraws and its RATIO to 16 ms; asserts
// nothing.
//
//   cd tests && node bench/redraw.mjs [--rounds N] [--data moons,circle,iris]
//
// Each model is fitted to the end (its defaults; the network: 100 epochs of the default
// 4-2 shape) on 500 points (noise 10 %, half for training), then timed: `forget_view()` drops
// the cached grid so `draw()` recomputes it, N rounds (default 15) after 3 warm-up draws.
import { serve, launch, openApp } from '../e2e/lib.mjs';
import { option } from './common.mjs';

const ROUNDS = Math.max(3, Number(option('--rounds', 15)));
const DATA = option('--data', 'moons,plane,blobs').split(',');
const LINKS = {
  moons: 'v=1&data=moons&samples=500&noise=10',
  circle: 'v=1&data=circle&samples=500&noise=10',
  plane: 'v=1&data=plane&samples=500&noise=10',
  blobs: 'v=1&data=blobs&classes=3&samples=500&noise=10',
  iris: 'v=1&data=iris',
};
const KIND = { moons: 'classification', circle: 'classification', iris: 'classification', plane: 'regression', blobs: 'clustering' };

const server = await serve();
const browser = await launch();
const page = await openApp(browser, server.url, LINKS.moons);
const models = await page.evaluate(() => window.latih.models.map((m) => [m.id, m.kind]));
const rows = [];
for (const data of DATA) {
  for (const [id, kind] of models) {
    if (kind !== KIND[data] && !(data === 'blobs' && kind === 'reduction')) continue;
    if (id === 'als') continue; // reads a ratings table: timed on its own below
    rows.push(await time(`${LINKS[data]}&model=${id}`, `${data}/${id}`));
  }
}
rows.push(await time('v=1&data=ratings&model=als', 'ratings/als'));
await browser.close();
await server.close();

console.log(`\nRedraw of the boundary view from scratch (100 × 100 grid), median of ${ROUNDS}; ratio = ms ÷ 16 ms (under 1 meets the frame budget)\n`);
console.log('model'.padEnd(22) + 'ms'.padStart(8) + 'ratio'.padStart(8));
for (const r of rows) console.log(r.label.padEnd(22) + r.ms.toFixed(2).padStart(8) + (r.ms / 16).toFixed(2).padStart(8));
const worst = rows.reduce((a, b) => (b.ms > a.ms ? b : a));
console.log(`\nslowest: ${worst.label} ${worst.ms.toFixed(2)} ms (${(worst.ms / 16).toFixed(2)} × the 16 ms budget)`);

async function time(link, label) {
  return page.evaluate(async ({ link, label, rounds }) => {
    const { lab } = window.latih;
    window.latih.setPlaying(false);
    lab.load(link);
    for (let i = 0; i < 2000 && lab.stats().status.state !== 'done' && lab.epoch() < 100; i++) lab.train(50, 100);
    const view = document.getElementById('view');
    const draw = () => { lab.forget_view(); const t0 = performance.now(); lab.draw(view, [], -1, -1); return performance.now() - t0; };
    for (let i = 0; i < 3; i++) draw();
    const ms = Array.from({ length: rounds }, draw).sort((a, b) => a - b);
    return { label, ms: ms[Math.floor(rounds / 2)] };
  }, { link, label, rounds: ROUNDS });
}
