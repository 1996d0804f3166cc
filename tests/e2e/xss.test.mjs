// Every string from a person, a file or a link is shown as text: markup and script payloads
// go in as column names, class labels, a file name, link keys and values, lines of the
// experiment text, a pasted link, and into a deployed page; nothing executes, and each
// payload is visible as the literal text it was.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { openApp, trainEpochs, ARTIFACTS, startSuite, stopSuite } from './lib.mjs';

let server, browser;
const dir = path.join(ARTIFACTS, 'xss');
const IMG = '<img src=x onerror="window.__pwned=1">';
const SCRIPT = '<script>window.__pwned=2</script>';
const SVG = '"><svg onload="window.__pwned=3">';
before(async () => ({ server, browser } = await startSuite(dir)));
after(() => stopSuite(server, browser));

const pwned = (page) => page.evaluate(() => window.__pwned ?? null);
const bodyText = (page) => page.evaluate(() => document.body.innerText);
const injected = (page) => page.evaluate(() => document.querySelectorAll('body img[src="x"], body svg[onload], body script:not([src]):not([type])').length);

test('markup in a CSV file, its name, its labels and a deployed page stays text', async () => {
  const page = await openApp(browser, server.url);
  const rows = Array.from({ length: 40 }, (_, i) => `${i % 7},${(i * 3) % 5},${i % 2 ? '"' + IMG.replace(/"/g, '""') + '"' : SCRIPT}`);
  const csv = `"${IMG.replace(/"/g, '""')}",${SCRIPT},"${SVG.replace(/"/g, '""')}"\n${rows.join('\n')}\n`;
  await page.setInputFiles('#csv-file', { name: `${IMG}.csv`, mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.waitForFunction(() => window.latih.lab.settings().data === 'csv');
  await trainEpochs(page, 5);
  await page.evaluate(() => window.latih.redraw());
  await page.waitForTimeout(200);
  const text = await bodyText(page);
  for (const p of [IMG, SCRIPT]) assert.ok(text.includes(p), `${p} is shown as text`);
  // The deployed page shows the same names and labels as text too.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-page')]);
  const file = path.join(dir, 'xss-app.html');
  await download.saveAs(file);
  const app = await browser.newPage();
  const appErrors = [];
  app.on('pageerror', (e) => appErrors.push(String(e)));
  await app.goto(pathToFileURL(file).href);
  await app.waitForSelector('body.ready', { timeout: 30000 });
  const appText = await bodyText(app);
  assert.ok(appText.includes(IMG) && appText.includes(SCRIPT), appText.slice(0, 400));
  assert.equal(await pwned(app), null);
  assert.equal(await injected(app), 0);
  assert.deepEqual(appErrors, []);
  assert.equal(await pwned(page), null);
  assert.equal(await injected(page), 0);
  assert.deepEqual(page.errors, []);
  await Promise.all([page.close(), app.close()]);
});

test('markup in a link, in the experiment text and in a pasted link stays text', async () => {
  const enc = encodeURIComponent;
  const page = await openApp(browser, server.url, `v=1&data=iris&target=${enc(IMG)}&${enc(SCRIPT)}=1&exclude=${enc(SVG)}`);
  let text = await page.textContent('#notice-text');
  assert.ok(text.includes('<img src=x'), text);
  // The experiment text: a bad line and a bad value come back as problems, as text.
  await page.fill('#exp-text', `v = 1\n${SCRIPT}\nlr = ${IMG}\n`);
  await page.waitForFunction(() => document.querySelectorAll('#exp-problems li').length >= 2);
  text = await page.textContent('#exp-problems');
  assert.ok(text.includes('<script>') && text.includes('<img'), text);
  await page.press('#exp-text', 'Control+Enter');
  // A pasted link of either kind.
  await page.click('#share');
  await page.fill('#open-link-text', `https://playground.tensorflow.org/#${enc(IMG)}=1&dataset=${enc(SCRIPT)}`);
  await page.press('#open-link-text', 'Enter');
  text = await page.textContent('#notice-text');
  assert.ok(text.includes('<img') && text.includes('<script>'), text);
  await page.click('#share');
  await page.fill('#open-link-text', `${server.url}#v=1&model=${enc(SVG)}`);
  await page.press('#open-link-text', 'Enter');
  assert.ok((await page.textContent('#notice-text')).includes('<svg'));
  assert.equal(await pwned(page), null);
  assert.equal(await injected(page), 0);
  assert.deepEqual(page.errors, []);
  await page.close();
});
