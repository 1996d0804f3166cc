// No lost work: the experiment is saved in the browser as it changes, and reopening the app
// (after closing the tab, or a crash) offers to restore it: settings, the person's data and the
// trained state. Embeds never save (they would overwrite the person's own work).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serve, launch, hashOf, trainEpochs, ARTIFACTS } from './lib.mjs';

let server, browser;
before(async () => {
  fs.mkdirSync(path.join(ARTIFACTS, 'autosave'), { recursive: true });
  server = await serve();
  browser = await launch();
});
after(async () => { await browser?.close(); await server?.close(); });

async function open(context, hash = '') {
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  await page.goto(server.url + (hash ? '#' + hash : ''));
  await page.waitForSelector('body.ready', { timeout: 15000 });
  return page;
}

const saved = (page) => page.evaluate(() => JSON.parse(localStorage.getItem('latih.autosave.v1') || 'null'));

test('closing the tab and reopening the app restores the trained experiment', async () => {
  const context = await browser.newContext();
  const first = await open(context, 'v=1&data=xor&hidden=5,3&act=relu&lr=0.01');
  await trainEpochs(first, 12);
  // Saved by itself within a few seconds (every 3 s at most while things change).
  await first.waitForFunction(() => {
    const s = JSON.parse(localStorage.getItem('latih.autosave.v1') || 'null');
    return s && s.epoch === 12;
  }, null, { timeout: 10000 });
  const link = await hashOf(first);
  const want = await first.evaluate(() => Array.from(window.latih.lab.losses()).slice(-3));
  assert.equal((await saved(first)).kind, 'model');
  await first.close();

  const again = await open(context);
  assert.equal(await again.isVisible('#restore'), true);
  assert.match(await again.textContent('#restore-text'), /trained for 12 epochs/);
  await again.screenshot({ path: path.join(ARTIFACTS, 'autosave', 'offer.png') });
  // While the offer is open nothing overwrites what it offers.
  await again.evaluate(() => window.latih.saveNow());
  assert.equal((await saved(again)).epoch, 12);
  await again.click('#restore-yes');
  assert.equal(await again.isVisible('#restore'), false);
  assert.equal(await hashOf(again), link);
  assert.equal(await again.evaluate(() => window.latih.lab.stats().epoch), 12);
  const got = await again.evaluate(() => Array.from(window.latih.lab.losses()).slice(-3));
  assert.deepEqual(got, want, 'the same weights: the same losses');
  assert.deepEqual(again.errors, []);
  await context.close();
});

test('the person\'s CSV comes back too, and declining starts from the page\'s own link', async () => {
  const context = await browser.newContext();
  const first = await open(context);
  const csv = path.join(ARTIFACTS, 'autosave', 'mine.csv');
  fs.writeFileSync(csv, 'a,b,label\n' + Array.from({ length: 60 }, (_, i) => `${i % 7},${(i * 3) % 11},${i % 2 ? 'yes' : 'no'}`).join('\n') + '\n');
  await first.setInputFiles('#csv-file', csv);
  await first.waitForFunction(() => window.latih.lab.settings().data === 'csv');
  await first.evaluate(() => window.latih.saveNow());
  assert.equal((await saved(first)).kind, 'model');
  await first.close();

  const again = await open(context, 'v=1&data=spiral');
  assert.equal(await again.isVisible('#restore'), true);
  await again.click('#restore-no');
  assert.equal(await again.evaluate(() => window.latih.lab.settings().data), 'spiral');
  await again.close();

  // Declining let the spiral be saved; the CSV experiment is gone only once replaced.
  const third = await open(context);
  const record = await saved(third);
  assert.match(record.link, /data=spiral/);
  await third.close();
  await context.close();

  // A fresh context: the CSV one saved, then restored with its rows.
  const ctx2 = await browser.newContext();
  const p1 = await open(ctx2);
  await p1.setInputFiles('#csv-file', csv);
  await p1.waitForFunction(() => window.latih.lab.settings().data === 'csv');
  await p1.evaluate(() => window.latih.saveNow());
  await p1.close();
  const p2 = await open(ctx2);
  await p2.click('#restore-yes');
  // A file's experiment is the full build's: the page moves there, then restores it.
  await p2.waitForFunction(() => window.latih.build === 'full' && window.latih.lab.settings().data === 'csv');
  assert.equal(await p2.evaluate(() => window.latih.lab.settings().target), 'label');
  assert.equal(await p2.evaluate(() => window.latih.lab.stats().train_size + window.latih.lab.stats().test_size), 60);
  await ctx2.close();
});

test('an embed never saves over the person\'s work', async () => {
  const context = await browser.newContext();
  const page = await open(context, 'v=1&data=gauss&embed=1');
  await page.evaluate(() => window.latih.saveNow());
  assert.equal(await saved(page), null);
  assert.equal(await page.isVisible('#restore'), false);
  await context.close();
});
