// Loads npm packages in a bench page as they are installed, without a bundler: walks the ES-module
// graph from each package's entry file in tests/node_modules and writes the import map that lets
// Chromium follow it, plus the list of files the server may hand out.
//
// The ml.js packages need three kinds of entries (none of them can be imported as-is):
// - bare specifiers (`import { Matrix } from 'ml-matrix'`) map to the file Node would pick for
//   an ES-module import (`module` field, then `exports`, then `main`), scoped to the importing
//   package when it has its own nested copy (ml-knn uses ml-distance-euclidean 2, ml-kmeans 3);
// - relative specifiers without an extension (`from './TreeNode'` in ml-cart's src/, ml-matrix's
//   src/, ...) map, as full paths, to the file they mean (`./TreeNode.js`, `./views/index.js`);
// - CommonJS files without `require` (fft.js, median-quickselect, reached through ml-kmeans and
//   ml-random-forest) map to `/bench/cjs.js?src=<file>`, which runs the file as it is with a
//   `module` object and exports `module.exports` as the default, as Node's interop does.
import { readFileSync, existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { testsDir } from './common.mjs';

const isFile = (p) => existsSync(p) && statSync(p).isFile();
const url = (file) => `/${relative(testsDir, file).split(sep).join('/')}`;

/** The package directory Node would find for `spec` imported from a file in `fromDir`. */
function findPackage(spec, fromDir) {
  const parts = spec.split('/');
  const name = spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  for (let d = fromDir; ; d = dirname(d)) {
    const candidate = join(d, 'node_modules', name);
    if (isFile(join(candidate, 'package.json'))) return { dir: candidate, subpath: spec.slice(name.length + 1) };
    if (dirname(d) === d) return null;
  }
}

/** The ES-module entry of a package: `module`, else `exports` (browser/import/default), else `main`. */
function entryOf(dir) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const pick = (e) => {
    if (typeof e === 'string') return e;
    if (!e || typeof e !== 'object') return null;
    if (Array.isArray(e)) return pick(e[0]);
    if ('.' in e) return pick(e['.']);
    for (const k of ['browser', 'import', 'default']) if (k in e) return pick(e[k]);
    return null;
  };
  return join(dir, pkg.module ?? pick(pkg.exports) ?? pkg.main ?? 'index.js');
}

/** The file a relative specifier means: itself, with `.js`, or its `index.js`. */
function fileFor(path) {
  for (const p of [path, `${path}.js`, join(path, 'index.js')]) if (isFile(p)) return p;
  return null;
}

/** The root of the package holding `file` (the innermost `node_modules/<name>`). */
function packageRoot(file) {
  const parts = file.split(sep);
  const i = parts.lastIndexOf('node_modules');
  const n = parts[i + 1].startsWith('@') ? 3 : 2;
  return parts.slice(0, i + n).join(sep);
}

const IMPORT = /(?:^|[;\n}])\s*(?:import|export)\s[^'"`;]*?\sfrom\s*['"]([^'"]+)['"]|(?:^|[;\n])\s*import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;
const isEsm = (src) => /^\s*(?:import|export)\b/m.test(src);

/**
 * The import map and served files for `packages` (names installed in tests/node_modules).
 * Throws when a file cannot be followed (a missing file, or CommonJS that calls `require`).
 */
export function importMap(packages) {
  const imports = {};
  const scopes = {};
  const files = new Set();
  const wants = []; // [importer package URL, specifier, target URL]
  const cjsUrl = (file) => `/bench/cjs.js?src=${encodeURIComponent(url(file))}`;
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    files.add(url(file));
    const src = readFileSync(file, 'utf8');
    if (!isEsm(src)) {
      if (/\brequire\s*\(/.test(src)) throw new Error(`${url(file)} is CommonJS with require(): cannot be loaded unbundled`);
      return;
    }
    for (const m of src.matchAll(IMPORT)) {
      const spec = m[1] ?? m[2] ?? m[3];
      let target;
      if (spec.startsWith('.') || spec.startsWith('/')) {
        const path = resolve(dirname(file), spec);
        target = fileFor(path);
        if (!target) throw new Error(`${url(file)} imports ${spec}, which does not exist`);
        if (target !== path) imports[url(path)] = targetUrl(target);
      } else {
        const found = findPackage(spec, dirname(file));
        if (!found) throw new Error(`${url(file)} imports ${spec}, which is not installed`);
        target = found.subpath ? fileFor(join(found.dir, found.subpath)) : entryOf(found.dir);
        if (!target) throw new Error(`${url(file)} imports ${spec}, whose file was not found`);
        wants.push([`${url(packageRoot(file))}/`, spec, targetUrl(target)]);
      }
      visit(target);
    }
  };
  const targetUrl = (file) => (isEsm(readFileSync(file, 'utf8')) ? url(file) : cjsUrl(file));
  for (const name of packages) {
    const found = findPackage(name, testsDir);
    if (!found) throw new Error(`${name} is not installed in tests/node_modules`);
    const entry = entryOf(found.dir);
    imports[name] = targetUrl(entry);
    visit(entry);
  }
  // A bare specifier resolves through the most specific scope that names it, else `imports`.
  const resolved = (scope, spec) => {
    const hit = Object.keys(scopes).filter((s) => scope.startsWith(s) && spec in scopes[s])
      .sort((a, b) => b.length - a.length)[0];
    return hit ? scopes[hit][spec] : imports[spec];
  };
  for (const [, spec, target] of wants) {
    const top = findPackage(spec, testsDir);
    if (!(spec in imports) && top && targetUrl(top.subpath ? fileFor(join(top.dir, top.subpath)) : entryOf(top.dir)) === target) {
      imports[spec] = target;
    }
  }
  for (const [scope, spec, target] of [...wants].sort((a, b) => a[0].length - b[0].length)) {
    if (resolved(scope, spec) !== target) (scopes[scope] ??= {})[spec] = target;
  }
  return { map: { imports, scopes }, files };
}
