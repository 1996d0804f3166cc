// What the benchmark scripts share: paths, command-line options, the wasm build, the two
// setups and the browser (launched as the end-to-end tests launch it).
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
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

/** TensorFlow Playground's default setup, and a deeper network on the spiral. */
export const SETUPS = [
  { key: 'a', name: 'circle, 2-4-2-2 (Playground default)',
    fragment: 'v=1&data=circle&samples=500&train=50&features=x1,x2&hidden=4,2&act=tanh&lr=0.03&batch=10' },
  { key: 'b', name: 'spiral, 2-8-8-8-2',
    fragment: 'v=1&data=spiral&samples=500&train=50&features=x1,x2&hidden=8,8,8&act=tanh&lr=0.03&batch=10' },
];
