// Runs one dependency-free CommonJS file (`?src=/node_modules/...`) as it is and exports its
// `module.exports` as the default export, as Node does for `import x from 'cjs-package'`. The
// import map that models.mjs writes (importmap.mjs) points fft.js and median-quickselect here.
const src = new URL(import.meta.url).searchParams.get('src');
const response = await fetch(src);
if (!response.ok) throw new Error(`cjs.js: cannot fetch ${src} (${response.status})`);
const module = { exports: {} };
// eslint-disable-next-line no-new-func
new Function('module', 'exports', `${await response.text()}\n//# sourceURL=${src}`)(module, module.exports);
export default module.exports;
