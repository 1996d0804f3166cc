// Offline and installable: after one visit the service worker has cached the app, and a
// reload with the network cut still opens it, trains and reads a link; the web app manifest
// names the app and its icons (which load).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, trainEpochs } from './lib.mjs';

let server, browser;
before(async () => {
  server = await serve();
  browser = await launch();
});
after(async () => { await browser?.close(); await server?.close(); });

test('after one visit the app reloads, trains and opens links with the network cut', async () => {
  const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(server.url + '#v=1&data=xor&hidden=4');
  await page.waitForSelector('body.ready', { timeout: 15000 });
  // The install step caches every file before the worker activates.
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(async () => (await navigator.serviceWorker.ready).active.state === 'activated');
  await context.setOffline(true);
  const served = [];
  page.on('response', (r) => served.push([r.url(), r.fromServiceWorker()]));
  await page.goto('about:blank');
  const response = await page.goto(server.url + '#v=1&data=spiral&hidden=8,8&act=relu');
  assert.ok(response.fromServiceWorker(), 'the page came from the service worker');
  await page.waitForSelector('body.ready', { timeout: 15000 });
  // Everything the app loaded came from the cache.
  assert.ok(served.length >= 4, served.join('\n'));
  assert.deepEqual(served.filter(([, fromWorker]) => !fromWorker), []);
  assert.equal(await page.evaluate(() => window.latih.lab.settings().data), 'spiral');
  await trainEpochs(page, 5);
  assert.equal(await page.evaluate(() => window.latih.lab.epoch()), 5);
  // The full build is cached too: a model family chosen offline moves the page there.
  await page.selectOption('#model', 'tree');
  await page.waitForFunction(() => window.latih.build === 'full' && window.latih.lab.settings().model === 'tree');
  // The deploy template is cached too: deploying works offline.
  const template = await page.evaluate(() => fetch('www/deploy-template.html').then((r) => r.text()));
  assert.match(template, /__LATIH_WASM__/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the web app manifest makes the app installable: name, start, standalone, icons', async () => {
  const page = await browser.newPage();
  await page.goto(server.url);
  const href = await page.getAttribute('link[rel="manifest"]', 'href');
  const manifestUrl = new URL(href, server.url).href;
  const manifest = await (await fetch(manifestUrl)).json();
  assert.equal(manifest.short_name, 'Latih');
  assert.equal(manifest.display, 'standalone');
  assert.equal(new URL(manifest.start_url, manifestUrl).href, server.url);
  const sizes = manifest.icons.map((i) => i.sizes);
  assert.ok(sizes.includes('192x192') && sizes.includes('512x512'), sizes.join());
  assert.ok(manifest.icons.some((i) => i.purpose === 'maskable'));
  for (const icon of manifest.icons) {
    const r = await fetch(new URL(icon.src, manifestUrl));
    assert.equal(r.status, 200, icon.src);
    if (icon.type === 'image/png') {
      const png = Buffer.from(await r.arrayBuffer());
      const [w, h] = [png.readUInt32BE(16), png.readUInt32BE(20)];
      assert.equal(`${w}x${h}`, icon.sizes, icon.src);
    }
  }
  await page.close();
});
