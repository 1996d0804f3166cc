// A panic inside the core (triggered on purpose through the Lab's debug hook) does not take
// the page down: the page says what failed, offers a report with the experiment's link, and
// "Reset and continue" reopens the experiment in a new Lab without reloading.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { openApp, hashOf, trainEpochs, ARTIFACTS, startSuite, stopSuite } from './lib.mjs';

let server, browser;
before(async () => ({ server, browser } = await startSuite()));
after(() => stopSuite(server, browser));

test('a panic in the core is caught, reported and recovered from without a reload', async () => {
  const page = await openApp(browser, server.url, 'v=1&data=moons&hidden=6&act=relu&noise=10');
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  await trainEpochs(page, 5);
  const link = await hashOf(page);
  await page.evaluate(() => { window.notReloaded = true; window.latih.setPlaying(true); });
  // As a real failure would: from inside the page's own code, not from the test's call.
  await page.evaluate(() => setTimeout(() => window.latih.lab.debug_panic('from the test'), 0));
  await page.waitForSelector('#crash:not([hidden])');
  assert.match(await page.textContent('#crash-text'), /debug panic requested: from the test/);
  assert.equal(await page.evaluate(() => window.latih.playing), false);
  await page.screenshot({ path: path.join(ARTIFACTS, 'crash.png') });
  await page.click('#crash-report');
  const report = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(report, /debug panic requested/);
  assert.ok(report.includes(link), report);

  await page.click('#crash-reset');
  assert.equal(await page.isVisible('#crash'), false);
  assert.equal(await page.evaluate(() => window.notReloaded), true, 'no reload');
  assert.equal(await hashOf(page), link, 'the same experiment');
  // The new Lab trains and draws.
  const before = await page.evaluate(() => window.latih.lab.stats().epoch);
  await trainEpochs(page, 3);
  assert.equal(await page.evaluate(() => window.latih.lab.stats().epoch), before + 3);
  await page.click('#play');
  await page.waitForFunction((e) => window.latih.lab.stats().epoch > e + 3, before);
  // Only the deliberate panic was an error.
  assert.ok(page.errors.every((e) => /debug panic|unreachable|RuntimeError/.test(e)), page.errors.join('\n'));
  await page.close();
});
