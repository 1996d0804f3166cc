// Paint-only timing of the boundary view and thumbnails in headless Chromium: what
// `lab.draw` costs once the fields are computed (it caches them while the weights are
// unchanged), i.e. rasterising the field and points in wasm plus putImageData. run.mjs's
// breakdown subtracts two draws that each recompute every field, which buries a
// sub-millisecond paint in the noise of the forward passes.
//
//   cd tests && node bench/paint.mjs [--skip-build] [--pkg DIR] [--samples N]
//
// Builds the wasm like run.mjs does, into bench/pkg or --pkg DIR, unless --skip-build (then
// it times what DIR holds, e.g. a build of an older checkout). Each figure is the median
// over N samples (default 15) of the mean of 10 consecutive draws, minus the same for a
// 1×1 view without thumbnails.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { here, flag, option, buildWasm, SETUPS, launch } from './common.mjs';

const SAMPLES = Math.max(3, Number(option('--samples', 15)));
const pkg = resolve(option('--pkg', join(here, 'pkg')));

if (!flag('--skip-build')) buildWasm(pkg);
if (!existsSync(join(pkg, 'latih.js'))) throw new Error(`no wasm-bindgen output in ${pkg}`);

const PAGE = `<!doctype html><meta charset="utf-8"><body><script type="module">
import init, { Lab } from './pkg/latih.js';
await init();
window.Lab = Lab;
window.ready = true;
</script></body>`;
const server = createServer(async (req, res) => {
  const path = new URL(req.url, 'http://x').pathname;
  try {
    // Cross-origin isolation gives performance.now() microsecond rather than 100 µs steps.
    const isolated = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html', ...isolated });
      return res.end(PAGE);
    }
    const name = path.replace(/^\/pkg\//, '');
    if (name === path || name.includes('/') || name.includes('..')) throw new Error('not served');
    const body = await readFile(join(pkg, name));
    const type = name.endsWith('.wasm') ? 'application/wasm' : 'text/javascript';
    res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store', ...isolated });
    res.end(body);
  } catch {
    res.writeHead(404);
    res.end();
  }
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));

const browser = await launch();
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForFunction(() => window.ready === true, null, { timeout: 30000 });
  const rows = [];
  for (const s of SETUPS) {
    const r = await page.evaluate(([fragment, samples]) => {
      const lab = new window.Lab(fragment);
      for (let i = 0; i < 30; i++) lab.step(); // a non-trivial boundary
      const sizes = lab.network().sizes;
      const hidden = sizes.slice(1, -1).reduce((a, b) => a + b, 0);
      const canvas = (w) => Object.assign(document.createElement('canvas'), { width: w, height: w });
      const none = [];
      const thumbs = Array.from({ length: hidden }, () => canvas(38));
      const time = (view, th) => {
        // Computes the fields once, and gives the JIT time to tier up (V8 compiles wasm in
        // two tiers; the first draws are markedly slower).
        for (let i = 0; i < 50; i++) lab.draw(view, th, -1, -1);
        const per = [];
        for (let k = 0; k < samples; k++) {
          const t0 = performance.now();
          for (let i = 0; i < 10; i++) lab.draw(view, th, -1, -1);
          per.push((performance.now() - t0) / 10);
        }
        per.sort((a, b) => a - b);
        return per[per.length >> 1];
      };
      const tiny = canvas(1);
      const base = time(tiny, none);
      const out = {
        hidden,
        points: lab.stats().train_size + lab.stats().test_size,
        view300: time(canvas(300), none) - base,
        view600: time(canvas(600), none) - base,
        thumbs: time(tiny, thumbs) - base,
      };
      lab.free();
      return out;
    }, [s.fragment, SAMPLES]);
    rows.push([`(${s.key})`, String(r.points), r.view300.toFixed(3), r.view600.toFixed(3),
      `${r.thumbs.toFixed(3)} (${r.hidden})`]);
  }
  const header = ['setup', 'points', '300×300 view', '600×600 view', 'thumbnails (count)'];
  const all = [header, ...rows];
  const w = header.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ');
  console.log(`Paint-only cost per lab.draw (ms, median of ${SAMPLES}×10 draws, fields cached), wasm from ${pkg}:`);
  console.log([line(header), w.map((n) => '-'.repeat(n)).join('  '), ...rows.map(line)].join('\n'));
} finally {
  await browser.close();
  server.close();
}
