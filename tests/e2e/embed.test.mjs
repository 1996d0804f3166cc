// Embed mode: an experiment in an iframe of a page from another origin (two local servers:
// the app on 127.0.0.1, the host page on localhost), with panels chosen and controls hidden
// through the link; it trains there, and links back to the full playground.
// Screenshots go to tests/artifacts/share/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { serve, launch, openApp, ARTIFACTS } from './lib.mjs';

let app, host, browser;
const dir = path.join(ARTIFACTS, 'share');
const EMBED = 'v=1&data=spiral&hidden=8,8&act=relu&embed=1&show=model,output&hide=lr,reg,rate,batch,stop,share,hidden,features';

before(async () => {
  fs.mkdirSync(dir, { recursive: true });
  app = await serve();
  browser = await launch();
  // The host page: another origin (localhost, another port) that embeds the app.
  const appUrl = app.url;
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html><head><title>A course page</title></head><body>
      <h1>Lesson: spirals</h1><p>Press Play and watch the boundary.</p>
      <iframe id="latih" src="${appUrl}#${EMBED}" title="Latih experiment" width="100%" height="760" style="border:0" allow="clipboard-write"></iframe>
      </body></html>`);
  });
  host = await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    url: `http://localhost:${server.address().port}/`, close: () => new Promise((r) => server.close(r)),
  })));
});
after(async () => { await browser?.close(); await app?.close(); await host?.close(); });

test('an embed from another origin shows the chosen panels, hides controls, trains and links to the full page', async () => {
  const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(host.url);
  const frame = page.frameLocator('#latih');
  await frame.locator('body.ready').waitFor({ timeout: 20000 });
  const inner = page.frames().find((f) => f.url().startsWith(app.url));
  assert.ok(inner, 'the app runs in the frame');
  assert.notEqual(new URL(inner.url()).origin, new URL(page.url()).origin, 'two origins');
  // Only the chosen panels, no page chrome, hidden controls gone, the rest still there.
  const visible = (sel) => inner.isVisible(sel);
  assert.equal(await visible('[data-panel="data"]'), false);
  assert.equal(await visible('[data-panel="explore"]'), false);
  assert.equal(await visible('[data-panel="text"]'), false);
  assert.equal(await visible('[data-panel="output"]'), true);
  assert.equal(await visible('.top h1'), false);
  for (const id of ['#lr', '#reg', '#rate', '#batch', '#stop', '#share', '#add-layer']) assert.equal(await visible(id), false, id);
  for (const id of ['#play', '#reset', '#act', '#opt', '#model']) assert.equal(await visible(id), true, id);
  assert.equal(await inner.evaluate(() => document.querySelector('.node.feature').disabled), true);
  // It trains inside the frame.
  await inner.click('#play');
  await inner.waitForFunction(() => window.latih.lab.epoch() >= 20, null, { timeout: 30000 });
  await inner.click('#play');
  // The embed keeps its display keys in its own link; the full-page link drops them.
  const href = await inner.getAttribute('#open-full', 'href');
  assert.ok(href.startsWith(app.url + '#v=1&data=spiral'), href);
  assert.ok(!href.includes('embed=') && !href.includes('hide='), href);
  assert.match(await inner.evaluate(() => location.hash), /embed=1&show=model,output&hide=/);
  await page.screenshot({ path: path.join(dir, 'embed-cross-origin.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('every name hide= accepts hides something, and the Share dialog writes the iframe snippet', async () => {
  const names = await (async () => {
    const page = await openApp(browser, app.url);
    const all = await page.evaluate(() => window.latih.lab.display());
    await page.close();
    return all;
  })();
  assert.equal(names.embed, false);
  const hideable = ['data', 'file', 'train', 'classes', 'samples', 'noise', 'regenerate', 'task', 'model', 'settings', 'act', 'opt', 'lr', 'batch', 'reg', 'rate', 'stop', 'test', 'discrete', 'play', 'reset', 'step', 'share', 'exports'];
  // Blobs show the classes control; a tree shows model settings.
  const page = await openApp(browser, app.url, `v=1&data=blobs&model=tree&hide=${hideable.join(',')}`);
  const shown = await page.evaluate((names) => names.filter((n) => {
    const el = document.querySelector({ settings: '#model-settings', exports: '.exports', file: '#csv-drop' }[n] || `#${n}`);
    return el && el.offsetParent !== null;
  }), hideable);
  assert.deepEqual(shown, []);
  assert.deepEqual(page.errors, []);
  const full = await openApp(browser, app.url, 'v=1&data=moons&model=knn&k=7');
  await full.click('#share');
  const snippet = await full.inputValue('#embed-snippet');
  assert.match(snippet, /^<iframe src="http:\/\/127\.0\.0\.1:\d+\/#v=1&data=moons.*&model=knn&k=7.*&embed=1" title="Latih experiment: moons with knn"/);
  // The snippet works as written: put it in a host page of another origin.
  const hostPage = await browser.newPage();
  await hostPage.setContent(`<h1>Docs</h1>${snippet}`);
  const frame = hostPage.frameLocator('iframe');
  await frame.locator('body.ready').waitFor({ timeout: 20000 });
  assert.equal(await frame.locator('#model').inputValue(), 'knn');
  await Promise.all([page.close(), full.close(), hostPage.close()]);
});
