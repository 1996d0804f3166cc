// What the benchmark scripts share: paths, command-line options, the wasm build, the static
// server, table helpers, the two training setups and the browser (launched as the end-to-end
// tests launch it).
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { homedir } from 'node:os';

export { launch } from '../e2e/lib.mjs';

export const here = dirname(fileURLToPath(import.meta.url));
export const testsDir = resolve(here, '..');
export const root = resolve(testsDir, '..');

const args = process.argv.slice(2);
/** True when `--name` is on the command line. */
export const flag = (name) => args.includes(name);
/** The value after `--name`, or `dflt`. */
export const option = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};

const env = { ...process.env, PATH: `${join(homedir(), '.cargo', 'bin')}:${process.env.PATH}` };
/** Runs a command in the repository root, failing loudly. */
export function sh(cmd, argv) {
  const t0 = Date.now();
  const r = spawnSync(cmd, argv, { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed (${r.status ?? r.error})`);
  console.error(`  ${cmd} ${argv[0]} … ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

/** Runs the release CLI (`target/release/latih <argv>`) and parses the JSON it prints. */
export function nativeJson(argv) {
  const r = spawnSync(join(root, 'target/release/latih'), argv, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`latih ${argv[0]} failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** Opens a bench page and waits for it to set `window.benchReady`; errors it logs are kept. */
export async function openBenchPage(browser, url) {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(url);
  await page.waitForFunction(() => window.benchReady === true, null, { timeout: 30000 }).catch(() => {
    throw new Error(`bench page did not load: ${errors.join('; ')}`);
  });
  return { page, errors };
}

/** Builds the wasm library into `pkg` with wasm-bindgen, and wasm-opt -O3 as trunk does. */
export function buildWasm(pkg, { wasmOpt = true } = {}) {
  sh('cargo', ['build', '--release', '--target', 'wasm32-unknown-unknown', '--lib', '-p', 'latih']);
  sh('wasm-bindgen', ['--target', 'web', '--out-dir', pkg, join(root, 'target/wasm32-unknown-unknown/release/latih.wasm')]);
  if (wasmOpt) {
    const bg = join(pkg, 'latih_bg.wasm');
    sh(join(testsDir, 'node_modules/.bin/wasm-opt'), ['-O3', '--enable-bulk-memory', '--enable-sign-ext', '--enable-simd',
      '--enable-nontrapping-float-to-int', '--enable-reference-types', '--enable-multivalue', bg, '-o', bg]);
  }
}

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm' };
/**
 * Serves tests/bench (every path under /bench/) and the `allowed` files of tests/ (URL paths such
 * as /node_modules/convnetjs/build/convnet.js) on 127.0.0.1, nothing else. `rewrite(path, text)`,
 * when given, may change a served text file (models.mjs writes its import map into the page).
 * Resolves to `{ base, close }`.
 */
export async function serve(allowed, { rewrite } = {}) {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    let file = null;
    if (allowed.has(path)) file = join(testsDir, path);
    else if (path.startsWith('/bench/') && !path.includes('..')) file = join(testsDir, path);
    try {
      if (!file) throw new Error('not served');
      let body = await readFile(file);
      if (rewrite && extname(file) === '.html') body = rewrite(path, body.toString('utf8'));
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { base: `http://127.0.0.1:${server.address().port}`, close: () => server.close() };
}

/** The median of a list of numbers. */
export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
/** A ratio as printed: 2 decimals below 10, 1 above, with ×. */
export const fmtRatio = (x) => (Number.isFinite(x) ? `${x >= 10 ? x.toFixed(1) : x.toFixed(2)}×` : '–');
/** A text table: first column left-aligned, the others right-aligned. */
export function table(header, rows) {
  const all = [header, ...rows].map((r) => r.map(String));
  const w = header.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ');
  return [line(all[0]), w.map((n) => '-'.repeat(n)).join('  '), ...all.slice(1).map(line)].join('\n');
}

/** TensorFlow Playground's default setup, and a deeper network on the spiral. */
export const SETUPS = [
  { key: 'a', name: 'circle, 2-4-2-2 (Playground default)',
    fragment: 'v=1&data=circle&samples=500&train=50&features=x1,x2&hidden=4,2&act=tanh&lr=0.03&batch=10' },
  { key: 'b', name: 'spiral, 2-8-8-8-2',
    fragment: 'v=1&data=spiral&samples=500&train=50&features=x1,x2&hidden=8,8,8&act=tanh&lr=0.03&batch=10' },
];
