// Time from navigation to the first drawn frame of the default experiment on a slow network,
// the release build as it ships (dist/: the page starts on the playground build) against the
// same site starting on the full build (the one bundle the page loaded before the split),
// side by side, in headless Chromium with the network throttled through the DevTools protocol.
// Prints each median and the RATIO playground ÷ full; asserts nothing.
//
//   cd tests && node bench/startup.mjs [--rounds 3] [--kbps 1600,9000] [--rtt 150]
//
// The baseline is a copy of dist/ whose loader imports full/ instead of the playground build
// (its Content-Security-Policy dropped, as its pinned loader hash no longer matches). Both are
// served gzipped, as a static host serves them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serve, launch, DIST } from '../e2e/lib.mjs';
import { option } from './common.mjs';

const ROUNDS = Math.max(1, Number(option('--rounds', 3)));
const SPEEDS = option('--kbps', '1600,9000').split(',').map(Number);
const RTT = Number(option('--rtt', 150));

const baseline = fs.mkdtempSync(path.join(os.tmpdir(), 'latih-full-start-'));
fs.cpSync(DIST, baseline, { recursive: true });
let html = fs.readFileSync(path.join(baseline, 'index.html'), 'utf8');
html = html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>\s*/, '');
html = html.replace(/import init, \* as bindings from '\.\/latih-[0-9a-f]+\.js';/, "import init, * as bindings from './full/latih.js';");
html = html.replace(/init\(\{ module_or_path: '\.\/latih-[0-9a-f]+_bg\.wasm' \}\)/, "init({ module_or_path: './full/latih_bg.wasm' })");
html = html.replace(/<link rel="(?:modulepreload|preload)"[^>]*>/g, '');
if (!html.includes("'./full/latih.js'")) throw new Error('the loader in dist/index.html is not the one this script knows');
fs.writeFileSync(path.join(baseline, 'index.html'), html);

const sites = { playground: await serve(DIST, { gzip: true }), full: await serve(baseline, { gzip: true }) };
const browser = await launch();

async function firstFrame(url, kbps) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const bytes = (kbps * 1000) / 8;
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: RTT, downloadThroughput: bytes, uploadThroughput: bytes });
  await page.goto(url);
  await page.waitForFunction(() => window.latih && window.latih.firstDrawMs !== undefined, null, { timeout: 120000 });
  const ms = await page.evaluate(() => window.latih.firstDrawMs);
  const build = await page.evaluate(() => window.latih.build);
  await context.close();
  return { ms, build };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`navigation → first drawn frame, default experiment, RTT ${RTT} ms, median of ${ROUNDS}`);
for (const kbps of SPEEDS) {
  const times = { playground: [], full: [] };
  for (let r = 0; r < ROUNDS; r++) {
    for (const name of ['playground', 'full']) {
      const { ms, build } = await firstFrame(sites[name].url, kbps);
      if (build !== name) throw new Error(`the ${name} site ran the ${build} build`);
      times[name].push(ms);
    }
  }
  const [p, f] = [median(times.playground), median(times.full)];
  console.log(`${(kbps / 1000).toFixed(1)} Mbit/s: playground ${p.toFixed(0)} ms, full ${f.toFixed(0)} ms, ratio ${(p / f).toFixed(2)}`);
}
await browser.close();
await Promise.all(Object.values(sites).map((s) => s.close()));
fs.rmSync(baseline, { recursive: true, force: true });
