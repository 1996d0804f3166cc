// Side-by-side benchmark: reading and summarising a 100,000 × 20 numeric CSV in one headless
// Chromium page, Latih (wasm: the `csv` crate reader, column typing and `explore::summarize`)
// against papaparse (header, dynamicTyping) plus the same summary written in JS. Prints RATIOS;
// asserts nothing.
//
//   cd tests && node bench/csv.mjs [--rounds N] [--rows R] [--cols C] [--skip-build]
//
// Rounds are interleaved (Latih, papaparse, Latih, ...) after one warm-up round each; the
// ratio printed is the median of the per-round ratios papaparse ÷ Latih (> 1: Latih faster).
// Memory: Latih's is the growth of the wasm memory during its first read (wasm memory does not
// shrink, so this is its peak working set); papaparse's is the JS heap growth while its result
// is still referenced (Chromium's performance.memory, with --enable-precise-memory-info).
import { join } from 'node:path';
import { here, flag, option, buildWasm, serve, median, fmtRatio, table, openBenchPage } from './common.mjs';
import { chromium } from 'playwright-core';

const ROUNDS = Math.max(1, Number(option('--rounds', 5)));
const ROWS = Number(option('--rows', 100000));
const COLS = Number(option('--cols', 20));
const pkg = join(here, 'pkg');
if (!flag('--skip-build')) buildWasm(pkg);

const allowed = new Set(['/node_modules/papaparse/papaparse.min.js']);
const server = await serve(allowed);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--enable-precise-memory-info', '--js-flags=--expose-gc'],
});
try {
  const { page, errors } = await openBenchPage(browser, `${server.base}/bench/csv.html`);
  const bytes = await page.evaluate(([r, c]) => window.bench.make(r, c), [ROWS, COLS]);
  console.log(`CSV: ${ROWS.toLocaleString('en')} rows × ${COLS} columns, ${(bytes / 1e6).toFixed(1)} MB`);
  const first = await page.evaluate(() => window.bench.latih());
  const firstPapa = await page.evaluate(() => window.bench.papa());
  if (first.cols !== COLS || firstPapa.cols !== COLS || firstPapa.rows !== ROWS) throw new Error('the two sides did not read the same table');
  const latih = [], papa = [], ratios = [];
  for (let i = 0; i < ROUNDS; i++) {
    const a = await page.evaluate(() => window.bench.latih());
    await page.evaluate(() => window.gc && window.gc());
    const b = await page.evaluate(() => window.bench.papa());
    await page.evaluate(() => window.gc && window.gc());
    latih.push(a.ms);
    papa.push(b.ms);
    ratios.push(b.ms / a.ms);
  }
  const mb = (x) => (Number.isFinite(x) ? `${(x / 1e6).toFixed(1)} MB` : '–');
  console.log(table(['side', 'median ms', 'memory'], [
    ['Latih (wasm): read + summarise', median(latih).toFixed(1), `${mb(first.wasmMemoryGrowth)} wasm growth (${mb(first.wasmMemory)} total)`],
    ['papaparse + JS summary', median(papa).toFixed(1), `${mb(firstPapa.heapGrowth)} JS heap growth`],
  ]));
  console.log(`papaparse ÷ Latih time: ${fmtRatio(median(ratios))} (per round: ${ratios.map(fmtRatio).join(' ')})`);
  console.log(`papaparse ÷ Latih memory: ${fmtRatio(firstPapa.heapGrowth / first.wasmMemoryGrowth)}`);
  if (errors.length) console.log('page errors:', errors);
} finally {
  await browser.close();
  server.close();
}
