// "Any browser": a smoke test of the served app in Firefox (Debian's firefox-esr, driven by
// geckodriver through WebDriver with selenium-webdriver, since Playwright needs its own patched
// Firefox): it loads, trains, its link round-trips, and a CSV upload works.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Builder, By } from 'selenium-webdriver';
import firefox from 'selenium-webdriver/firefox.js';
import { serve, ARTIFACTS } from './lib.mjs';

// Never let Selenium Manager look for drivers online: the paths are given.
process.env.SE_OFFLINE = 'true';
const GECKODRIVER = process.env.GECKODRIVER || path.join(os.homedir(), '.cargo/bin/geckodriver');
const FIREFOX = process.env.FIREFOX || '/usr/bin/firefox-esr';

let server, driver;
before(async () => {
  server = await serve();
  const options = new firefox.Options().addArguments('-headless').setBinary(FIREFOX).windowSize({ width: 1280, height: 900 });
  driver = await new Builder()
    .forBrowser('firefox')
    .setFirefoxOptions(options)
    .setFirefoxService(new firefox.ServiceBuilder(GECKODRIVER))
    .build();
});
after(async () => { await driver?.quit(); await server?.close(); });

const js = (script, ...args) => driver.executeScript(script, ...args);
async function ready(url) {
  await driver.get(url);
  await driver.wait(async () => js('return document.body.classList.contains("ready")'), 30000);
  // Errors from here on are collected and must stay none.
  await js('window.__errors = []; addEventListener("error", (e) => window.__errors.push(String(e.message)));');
}

test('Firefox: loads, trains, round-trips its link and reads an uploaded CSV', async () => {
  await ready(`${server.url}#v=1&data=xor&hidden=4&act=relu&lr=0.1`);
  assert.deepEqual(await js('return window.latih.lab.notices()'), []);
  // Train with the Play button until a few epochs are done.
  await driver.findElement(By.id('play')).click();
  await driver.wait(async () => (await js('return window.latih.lab.stats().epoch')) >= 20, 20000);
  await driver.findElement(By.id('play')).click();
  const stats = await js('return window.latih.lab.stats()');
  assert.ok(stats.train_loss < 0.69, `loss ${stats.train_loss}`);

  // The link in the address bar reproduces the experiment in a fresh load.
  await js('const s = document.getElementById("opt"); s.value = "adam"; s.dispatchEvent(new Event("change"));');
  const link = await js('return location.hash');
  assert.match(link, /opt=adam/);
  await ready(`${server.url}${link}`);
  assert.equal(await js('return location.hash'), link);
  assert.equal(await js('return window.latih.lab.settings().opt'), 'adam');
  const png = await driver.takeScreenshot();
  fs.writeFileSync(path.join(ARTIFACTS, 'firefox.png'), png, 'base64');

  // A CSV by the file picker.
  const file = path.join(os.tmpdir(), 'latih-firefox.csv');
  fs.writeFileSync(file, 'width,height,kind\n' + Array.from({ length: 40 }, (_, i) => `${i % 9},${(i * 5) % 13},${i % 3 ? 'a' : 'b'}`).join('\n') + '\n');
  await driver.findElement(By.id('csv-file')).sendKeys(file);
  await driver.wait(async () => (await js('return window.latih.lab.settings().data')) === 'csv', 10000);
  const s = await js('return window.latih.lab.stats()');
  assert.equal(s.train_size + s.test_size, 40);
  assert.equal(await js('return window.latih.lab.settings().target'), 'kind');
  const errors = await js('return window.__errors');
  assert.deepEqual(errors, []);
});
