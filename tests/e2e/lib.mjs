// Shared helpers for the end-to-end tests: serve the trunk release build (dist/) on
// 127.0.0.1 and drive Debian's Chromium through playwright-core.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, '../..');
export const DIST = path.join(ROOT, 'dist');
export const ARTIFACTS = path.join(ROOT, 'tests', 'artifacts');
/** The page's scripts (www/*.js: app.js and the modules it imports), for the tests that read them. */
export const PAGE_SCRIPTS = fs.readdirSync(path.join(ROOT, 'www')).filter((f) => f.endsWith('.js')).sort();
fs.mkdirSync(ARTIFACTS, { recursive: true });

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.wasm': 'application/wasm', '.json': 'application/json', '.png': 'image/png',
  '.svg': 'image/svg+xml', '.ico': 'image/x-icon', '.webmanifest': 'application/manifest+json',
};

/** Serves `dir` on a free loopback port (`gzip`: compressed, as a static host serves it);
 *  resolves to { url, close }. */
export function serve(dir = DIST, { gzip = false } = {}) {
  if (!fs.existsSync(path.join(dir, 'index.html'))) throw new Error(`${dir}/index.html is missing: run trunk build first`);
  const server = http.createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    let file = path.normalize(path.join(dir, rel));
    if (!file.startsWith(dir)) { res.writeHead(403).end(); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    fs.readFile(file, (err, body) => {
      if (err) { res.writeHead(404).end('not found'); return; }
      const headers = { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream', 'cache-control': 'no-store' };
      if (gzip) headers['content-encoding'] = 'gzip';
      res.writeHead(200, headers);
      res.end(gzip ? zlib.gzipSync(body, { level: 6 }) : body);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({ url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/** Opens the app at `hash` and waits until it is ready; collects page errors. */
export async function openApp(browser, base, hash = '', viewport = { width: 1280, height: 900 }) {
  const page = await browser.newPage({ viewport });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(base + (hash ? '#' + hash : ''));
  await page.waitForSelector('body.ready', { timeout: 15000 });
  page.errors = errors;
  return page;
}

/** Moves the page to the full build now, as a control that needs it does by itself (the builds
 *  test checks that), for a test of what only the full build has that calls the Lab directly
 *  or checks a control's effect at once. */
export const useFullBuild = (page) => page.evaluate(() => window.latih.full());

export const hashOf = (page) => page.evaluate(() => decodeURIComponent(location.hash.slice(1)));
export const setting = async (page, key) => new URLSearchParams(await hashOf(page)).get(key);
export const stats = (page) => page.evaluate(() => window.latih.lab.stats());

/** Trains exactly `n` more epochs through the lab (as the Play loop does, in slices). */
/** Trains n epochs (or iterations), or fewer when the model is done first (a converged fit). */
export async function trainEpochs(page, n) {
  await page.evaluate(async (n) => {
    let done = 0;
    while (done < n) {
      const k = window.latih.lab.train(8, n - done);
      done += k;
      // A slice can also end inside an evaluation with no epoch done: only a status other
      // than ready means nothing more will train.
      if (k === 0 && window.latih.lab.stats().status.state !== 'ready') break;
      await new Promise((r) => setTimeout(r, 0));
    }
    window.latih.redraw();
  }, n);
}

export async function shot(page, name) {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.screenshot({ path: path.join(ARTIFACTS, name), fullPage: true });
}

/** Arms a Cancel click made from inside the page: as soon as the text of `watch` matches
 *  `pattern` and `button` is visible and enabled, the page clicks it in the same turn, before
 *  the next slice of work runs. A test that clicked from outside raced the work, and a fast
 *  machine finished it first. Install before starting the work; `cancelled(page)` resolves to
 *  the text that was showing when the click was made. */
export async function armCancel(page, watch, pattern, button) {
  await page.evaluate(([watch, pattern, button]) => {
    window.armedCancel = undefined;
    const re = new RegExp(pattern);
    const observer = new MutationObserver(() => {
      const text = document.querySelector(watch)?.textContent ?? '';
      const b = document.querySelector(button);
      if (b && re.test(text) && !b.disabled && b.offsetParent !== null) {
        observer.disconnect();
        window.armedCancel = text;
        b.click();
      }
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  }, [watch, pattern, button]);
}
export const cancelled = (page) =>
  page.waitForFunction(() => window.armedCancel, null, { timeout: 30000 }).then((h) => h.jsonValue());

/** What each test file starts with: the built site served and Chromium launched, and the
 *  file's screenshot folder made when it names one. */
export async function startSuite(dir) {
  if (dir) fs.mkdirSync(dir, { recursive: true });
  return { server: await serve(), browser: await launch() };
}

/** Closes what `startSuite` started (either may be missing when starting failed). */
export async function stopSuite(server, browser) {
  await browser?.close();
  await server?.close();
}
