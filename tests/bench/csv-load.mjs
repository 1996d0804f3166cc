// How long the page's main thread is blocked while a large CSV becomes the data, in headless
// Chromium on the release build (dist/, from `trunk build --release`). Side by side in one
// page: the file read through the page's file input (the core reads it in 12 ms slices between
// frames, makes the session, then computes the statistics in slices too), against the baseline of reading it in
// one go (`lab.load_csv_as` then `lab.explore`, as the page did before slicing). Prints the
// longest main-thread task of each and the RATIO baseline ÷ sliced (> 1: the page freezes less),
// medians of N rounds; asserts nothing.
//
//   cd tests && node bench/csv-load.mjs [--rounds N] [--rows R]
//
// Long tasks come from Chromium's PerformanceObserver('longtask') (tasks over 50 ms).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serve, launch, openApp } from '../e2e/lib.mjs';
import { option, median, fmtRatio, table } from './common.mjs';

const ROUNDS = Math.max(1, Number(option('--rounds', 3)));
const ROWS = Number(option('--rows', 100000));
const COLS = 20;
const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'latih-csv-load-')), 'big.csv');
let seed = 1;
const next = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
const lines = [Array.from({ length: COLS }, (_, j) => `c${j}`).join(',')];
for (let i = 0; i < ROWS; i++) {
  lines.push(Array.from({ length: COLS }, (_, j) => (j === COLS - 1 ? (next() > 0.5 ? 'yes' : 'no') : (next() * 100).toFixed(3))).join(','));
}
fs.writeFileSync(file, lines.join('\n'));
const mb = fs.statSync(file).size / 1e6;

const server = await serve();
const browser = await launch();
const watch = () => {
  window.longTasks = [];
  if (!window.longObserver) {
    window.longObserver = new PerformanceObserver((l) => { for (const e of l.getEntries()) window.longTasks.push(e.duration); });
    window.longObserver.observe({ type: 'longtask' });
  }
};
const settle = (page) => page.waitForTimeout(1500); // the observer reports after the task
const sliced = [], whole = [];
for (let r = 0; r < ROUNDS; r++) {
  const page = await openApp(browser, server.url, 'v=1&data=circle');
  await page.evaluate(watch);
  await page.setInputFiles('#csv-file', file);
  await page.waitForFunction(() => window.latih.lab.stats().data === 'csv', null, { timeout: 120000 });
  await settle(page);
  sliced.push(await page.evaluate(() => window.longTasks.slice()));
  await page.close();

  const base = await openApp(browser, server.url, 'v=1&data=circle');
  const bytes = fs.readFileSync(file).toString('base64');
  await base.evaluate((b64) => {
    const bin = atob(b64);
    window.csvBytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) window.csvBytes[i] = bin.charCodeAt(i);
  }, bytes);
  // One synchronous block, timed from inside (a task run through the debugging protocol is
  // not reported as a long task); it leaves out the charts and the frame that follow.
  whole.push([await base.evaluate(() => {
    const t0 = performance.now();
    window.latih.lab.load_csv_as(window.csvBytes, 'big.csv', 'auto', 'auto');
    window.latih.lab.explore();
    return performance.now() - t0;
  })]);
  await base.close();
}
await browser.close();
server.close();
fs.rmSync(path.dirname(file), { recursive: true });

const longest = (runs) => median(runs.map((t) => Math.max(0, ...t)));
const total = (runs) => median(runs.map((t) => t.reduce((a, b) => a + b, 0)));
console.log(`CSV: ${ROWS.toLocaleString('en')} rows × ${COLS} columns, ${mb.toFixed(1)} MB; median of ${ROUNDS} rounds`);
console.log(table(['main thread', 'one go (baseline)', 'sliced (the page)', 'ratio'], [
  ['longest task', `${longest(whole).toFixed(0)} ms`, `${longest(sliced).toFixed(0)} ms`, fmtRatio(longest(whole) / longest(sliced))],
  ['all long tasks', `${total(whole).toFixed(0)} ms`, `${total(sliced).toFixed(0)} ms`, fmtRatio(total(whole) / total(sliced))],
]));
console.log('The sliced side also counts what the page does after the data change (the EDA charts, the first frame); the baseline does not, so the ratio is a floor.');
