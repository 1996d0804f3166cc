// Soak test (run by hand, not by CI): trains the default experiment (or --link) with Play in
// headless Chromium for --minutes (default 20) and samples memory every --every seconds
// (default 60): the wasm linear memory and the JS heap after a forced garbage collection.
// Prints the samples and the growth from the first sample (after a 30 s warm-up) to the last;
// exits with status 1 when either grew more than 10 %.
//
//   cd tests && node soak/soak.mjs [--minutes 20] [--every 60] [--link 'v=1&data=spiral&…']
import { serve, launch } from '../e2e/lib.mjs';

const args = process.argv.slice(2);
const option = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const MINUTES = Number(option('--minutes', 20));
const EVERY_S = Number(option('--every', 60));
const LINK = option('--link', '');
const LIMIT = 0.10;

const server = await serve();
const browser = await launch();
const page = await browser.newPage();
// The wasm exports (its memory) as trunk's loader announces them.
await page.addInitScript(() => addEventListener('TrunkApplicationStarted', (e) => { window.__wasm = e.detail.wasm; }));
await page.goto(server.url + (LINK ? '#' + LINK : ''));
await page.waitForSelector('body.ready', { timeout: 30000 });
const cdp = await page.context().newCDPSession(page);
await cdp.send('HeapProfiler.enable');

async function sample(t0) {
  await cdp.send('HeapProfiler.collectGarbage');
  const js = await page.evaluate(() => ({
    wasm: window.__wasm.memory.buffer.byteLength,
    heap: performance.memory ? performance.memory.usedJSHeapSize : NaN,
    epoch: window.latih.lab.stats().epoch,
    playing: window.latih.playing,
  }));
  return { minute: (Date.now() - t0) / 60000, ...js };
}

await page.click('#play');
const t0 = Date.now();
await new Promise((r) => setTimeout(r, 30000));
const samples = [await sample(t0)];
const mb = (b) => (b / 1048576).toFixed(1);
const show = (s) => console.log(`${s.minute.toFixed(1).padStart(5)} min  epoch ${String(s.epoch).padStart(8)}  wasm ${mb(s.wasm).padStart(6)} MB  JS heap ${mb(s.heap).padStart(6)} MB${s.playing ? '' : '  (stopped!)'}`);
show(samples[0]);
while (Date.now() - t0 < MINUTES * 60000) {
  await new Promise((r) => setTimeout(r, Math.min(EVERY_S * 1000, Math.max(1000, MINUTES * 60000 - (Date.now() - t0)))));
  const s = await sample(t0);
  samples.push(s);
  show(s);
}
await browser.close();
await server.close();

const [first, last] = [samples[0], samples[samples.length - 1]];
const growth = (k) => last[k] / first[k] - 1;
console.log(`\n${MINUTES} min of training, ${last.epoch.toLocaleString('en')} epochs: wasm memory ${mb(first.wasm)} → ${mb(last.wasm)} MB (${(100 * growth('wasm')).toFixed(1)} %), ` +
  `JS heap ${mb(first.heap)} → ${mb(last.heap)} MB (${(100 * growth('heap')).toFixed(1)} %); limit ${100 * LIMIT} %`);
if (!last.playing) console.log('Training stopped before the end (a status other than ready).');
process.exit(growth('wasm') > LIMIT || growth('heap') > LIMIT ? 1 : 0);
