// End-to-end tests of the playground in headless Chromium against the trunk release build.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { serve, launch, openApp, hashOf, setting, stats, trainEpochs, shot, ROOT, ARTIFACTS } from './lib.mjs';

let server;
let browser;

before(async () => {
  server = await serve();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('default page opens on the default experiment, trains, and the loss falls', async () => {
  const start = Date.now();
  const page = await openApp(browser, server.url);
  // Ready means: wasm started, the experiment is built and the first frame is queued.
  await page.waitForFunction(() => document.querySelectorAll('canvas.neuron').length === 6);
  await page.waitForFunction(() => window.latih.firstDrawMs !== undefined);
  // Reported, not asserted: timings belong to the benchmark, not to pass/fail.
  const firstDrawMs = await page.evaluate(() => window.latih.firstDrawMs);
  fs.writeFileSync(path.join(ARTIFACTS, 'startup.json'),
    JSON.stringify({ navigation_to_first_frame_ms: firstDrawMs, test_open_to_ready_ms: Date.now() - start }, null, 2));
  console.log(`startup: first frame drawn ${firstDrawMs.toFixed(0)} ms after navigation`);
  assert.equal(await setting(page, 'v'), '1');
  assert.equal(await setting(page, 'data'), 'circle');
  assert.equal(await setting(page, 'hidden'), '4,2');
  const first = await stats(page);
  assert.equal(first.epoch, 0);
  await page.click('#play');
  await page.waitForFunction(() => window.latih.lab.epoch() >= 150, null, { timeout: 30000 });
  await page.click('#play');
  assert.equal(await page.evaluate(() => window.latih.playing), false);
  const s = await stats(page);
  assert.ok(s.train_loss < first.train_loss * 0.5, `loss ${first.train_loss} -> ${s.train_loss}`);
  assert.ok(s.test_accuracy > 0.9, `test accuracy ${s.test_accuracy}`);
  // The counter on screen is the lab's epoch, and says what an epoch is.
  const shown = Number((await page.textContent('#epoch')).replace(/,/g, ''));
  assert.ok(Math.abs(shown - s.epoch) <= 1, `shown ${shown} vs ${s.epoch}`);
  assert.match(await page.textContent('#epoch-hint'), /one pass over the 250 training points/);
  assert.match(await page.textContent('#test-acc'), /%$/);
  await shot(page, 'trained-default.png');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('every control changes the experiment and the link', async () => {
  const page = await openApp(browser, server.url);
  const selects = { lr: '0.1', act: 'relu', opt: 'adam', reg: 'l2', data: 'xor' };
  for (const [id, value] of Object.entries(selects)) {
    await page.selectOption('#' + id, value);
    assert.equal(await setting(page, id), value, id);
  }
  await page.selectOption('#rate', '0.01');
  assert.equal(await setting(page, 'rate'), '0.01');
  await page.click('details.seeds summary');
  const numbers = { batch: '25', stop: '40', samples: '800', dseed: '7', seed: '9' };
  for (const [id, value] of Object.entries(numbers)) {
    await page.fill('#' + id, value);
    await page.press('#' + id, 'Enter');
    await page.locator('#' + id).blur();
    assert.equal(await setting(page, id), value, id);
  }
  for (const [id, value] of Object.entries({ train: '70', noise: '25' })) {
    await page.locator('#' + id).fill(value);
    assert.equal(await setting(page, id), value, id);
    assert.equal(await page.textContent(`#${id}-out`), value);
  }
  await page.check('#test');
  assert.equal(await setting(page, 'test'), '1');
  await page.check('#discrete');
  assert.equal(await setting(page, 'discrete'), '1');
  await page.selectOption('#data', 'blobs');
  assert.equal(await page.isVisible('#classes'), true);
  await page.fill('#classes', '5');
  await page.press('#classes', 'Enter');
  await page.locator('#classes').blur();
  assert.equal(await setting(page, 'classes'), '5');
  assert.equal((await stats(page)).classes, 5);
  // Features are toggled on the network view.
  await page.click('button.feature[data-feature="x1sq"]');
  assert.equal(await setting(page, 'features'), 'x1,x2,x1sq');
  assert.equal(await page.getAttribute('button.feature[data-feature="x1sq"]', 'aria-pressed'), 'true');
  await page.click('button.feature[data-feature="x1"]');
  assert.equal(await setting(page, 'features'), 'x2,x1sq');
  // Layers and neurons.
  await page.click('#add-layer');
  assert.equal(await setting(page, 'hidden'), '4,2,2');
  await page.click('.hidden-layer:nth-child(2) .add-neuron');
  assert.equal(await setting(page, 'hidden'), '5,2,2');
  await page.click('.hidden-layer:nth-child(4) .remove-neuron');
  assert.equal(await setting(page, 'hidden'), '5,2,1');
  await page.click('#remove-layer');
  assert.equal(await setting(page, 'hidden'), '5,2');
  assert.equal(await page.locator('canvas.neuron').count(), 7);
  // Regenerate picks a new data seed, and says so in the link.
  const seedBefore = await setting(page, 'dseed');
  await page.click('#regenerate');
  assert.notEqual(await setting(page, 'dseed'), seedBefore);
  // Step trains one epoch; reset returns to epoch 0 with the same weights.
  const w0 = await page.evaluate(() => JSON.stringify(window.latih.lab.network().weights));
  await page.click('#step');
  assert.equal((await stats(page)).epoch, 1);
  await page.click('#reset');
  assert.equal((await stats(page)).epoch, 0);
  assert.equal(await page.evaluate(() => JSON.stringify(window.latih.lab.network().weights)), w0);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a link restores the same data, weights and loss curve', async () => {
  const link = 'v=1&data=spiral&samples=400&noise=10&hidden=6,4&act=tanh&opt=adam&lr=0.01&batch=8&seed=5&dseed=3';
  const curves = [];
  for (let i = 0; i < 2; i++) {
    const page = await openApp(browser, server.url, link);
    // Step records every epoch; Play-style training records at the end of each slice.
    for (let k = 0; k < 3; k++) await page.click('#step');
    await trainEpochs(page, 7);
    curves.push(await page.evaluate(() => Array.from(window.latih.lab.losses())));
    await page.close();
  }
  const byEpoch = (c) => new Map(Array.from({ length: c.length / 3 }, (_, i) => [c[3 * i], [c[3 * i + 1], c[3 * i + 2]]]));
  const [a, b] = curves.map(byEpoch);
  for (const e of [0, 1, 2, 3, 10]) {
    assert.ok(a.has(e) && b.has(e), `epoch ${e} recorded`);
    assert.deepEqual(a.get(e), b.get(e), `epoch ${e}`);
  }
});

test('the browser and the native CLI agree on the losses', async () => {
  const link = 'v=1&data=spiral&samples=300&noise=5&hidden=8,8,8&act=tanh&opt=momentum&lr=0.03&batch=10&reg=l2&rate=0.001&seed=2';
  const bin = path.join(ROOT, 'target', 'release', 'latih');
  assert.ok(fs.existsSync(bin), 'build the native CLI first (cargo build --release)');
  const native = JSON.parse(execFileSync(bin, ['run', link, '--epochs', '25'], { encoding: 'utf8' }));
  const page = await openApp(browser, server.url, link);
  await trainEpochs(page, 25);
  // Step through a few epochs too, so several epochs are compared, not only the last.
  await page.click('#step');
  await page.click('#step');
  const web = await page.evaluate(() => Array.from(window.latih.lab.losses()));
  await page.close();
  const nativeRun = JSON.parse(execFileSync(bin, ['run', link, '--epochs', '27'], { encoding: 'utf8' }));
  let compared = 0;
  for (let k = 0; k < web.length; k += 3) {
    const r = nativeRun.epochs[web[k]];
    assert.equal(r.epoch, web[k]);
    for (const [a, b] of [[r.train_loss, web[k + 1]], [r.test_loss, web[k + 2]]]) {
      assert.ok(Math.abs(a - b) <= 1e-9 * Math.abs(a), `epoch ${r.epoch}: native ${a} vs browser ${b}`);
    }
    compared++;
  }
  assert.ok(compared >= 4, `compared ${compared} epochs`);
  assert.equal(native.epochs.length, 26);
});

test('back and forward restore the previous experiments', async () => {
  const page = await openApp(browser, server.url);
  await page.selectOption('#data', 'xor');
  await page.selectOption('#act', 'relu');
  assert.equal(await setting(page, 'act'), 'relu');
  await page.goBack();
  await page.waitForFunction(() => window.latih.lab.settings().act === 'tanh');
  assert.equal(await page.inputValue('#act'), 'tanh');
  assert.equal(await page.inputValue('#data'), 'xor');
  await page.goBack();
  await page.waitForFunction(() => window.latih.lab.settings().data === 'circle');
  assert.equal(await page.inputValue('#data'), 'circle');
  await page.goForward();
  await page.waitForFunction(() => window.latih.lab.settings().data === 'xor');
  assert.equal(await page.inputValue('#data'), 'xor');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('dragging a slider makes one history entry, updated while it moves', async () => {
  const page = await openApp(browser, server.url);
  const before = await page.evaluate(() => history.length);
  const box = await page.locator('#noise').boundingBox();
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + 4, y);
  await page.mouse.down();
  const seen = new Set();
  for (let k = 1; k <= 12; k++) {
    await page.mouse.move(box.x + 4 + (box.width * 0.7 * k) / 12, y);
    seen.add(await setting(page, 'noise'));
  }
  await page.mouse.up();
  const after = await setting(page, 'noise');
  assert.ok(seen.size >= 3, `the link followed the drag: ${[...seen]}`);
  assert.ok(Number(after) >= 25, `noise after the drag: ${after}`);
  assert.equal(await page.evaluate(() => history.length), before + 1);
  await page.goBack();
  await page.waitForFunction(() => window.latih.lab.settings().noise === '0');
  assert.equal(await page.inputValue('#noise'), '0');
  await page.close();
});

test('a hand-edited bad link opens with a notice listing what changed', async () => {
  const page = await openApp(browser, server.url, 'v=1&data=spiral&samples=9999999&lr=fast&hidden=8,0&colour=red');
  await page.waitForSelector('#notice:not([hidden])');
  const text = await page.textContent('#notice');
  for (const needle of ['samples=9999999', 'lr=fast', '0 neurons', 'colour']) assert.ok(text.includes(needle), `${needle} in: ${text}`);
  assert.equal(await setting(page, 'samples'), '100000');
  assert.equal(await setting(page, 'lr'), '0.03');
  assert.equal(await setting(page, 'hidden'), '8,1');
  assert.equal(await setting(page, 'data'), 'spiral');
  await page.click('#notice-close');
  assert.equal(await page.isVisible('#notice'), false);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a 4-class blobs dataset trains with softmax', async () => {
  const page = await openApp(browser, server.url, 'v=1&data=blobs&classes=4&noise=15&hidden=6,4&test=1');
  assert.match(await page.textContent('.output-layer .layer-head'), /Softmax ×4/);
  assert.equal(await page.locator('.out-node').count(), 4);
  assert.equal(await page.locator('#legend span').count(), 4 + 2);
  await page.click('#play');
  await page.waitForFunction(() => window.latih.lab.epoch() >= 60, null, { timeout: 30000 });
  await page.click('#play');
  const s = await stats(page);
  assert.equal(s.classes, 4);
  assert.ok(s.test_accuracy > 0.85, `test accuracy ${s.test_accuracy}`);
  await shot(page, 'trained-blobs4.png');
  await page.close();
});

test('spiral with features and a deep net trains, and its screenshot is kept', async () => {
  const page = await openApp(browser, server.url, 'v=1&data=spiral&features=x1,x2,x1sq,x2sq,x1x2,sinx1,sinx2&hidden=8,8,6&act=tanh&opt=adam&lr=0.01&batch=10&test=1');
  await trainEpochs(page, 300);
  const s = await stats(page);
  assert.ok(s.train_accuracy > 0.9, `train accuracy ${s.train_accuracy}`);
  // Hover a neuron: the big view shows it and says so.
  await page.hover('canvas.neuron[data-layer="1"][data-neuron="0"]');
  await page.waitForFunction(() => document.getElementById('view-caption').textContent.includes('neuron 1 of layer 1'));
  await page.mouse.move(0, 0);
  await shot(page, 'trained-spiral.png');
  await page.close();
});

test('divergence is caught, training pauses and the page says what to try', async () => {
  const page = await openApp(browser, server.url, 'v=1&data=plane&act=relu&opt=momentum&lr=10&hidden=8,8');
  await page.click('#play');
  await page.waitForSelector('#status.diverged:not([hidden])', { timeout: 20000 });
  assert.match(await page.textContent('#status'), /learning rate/);
  assert.equal(await page.evaluate(() => window.latih.playing), false);
  assert.equal((await stats(page)).status.state, 'diverged');
  // Lowering the learning rate restarts cleanly.
  await page.selectOption('#lr', '0.01');
  assert.equal(await page.isVisible('#status'), false);
  await page.close();
});

test('hovering a link shows its weight', async () => {
  const page = await openApp(browser, server.url);
  const box = await page.locator('#network').boundingBox();
  const ok = await page.evaluate(() => {
    const hit = document.querySelector('.link-hit');
    const r = hit.getBoundingClientRect();
    hit.dispatchEvent(new MouseEvent('mousemove', { clientX: r.left + r.width / 2, clientY: r.top + r.height / 2, bubbles: true }));
    return !document.getElementById('tooltip').hidden;
  });
  assert.ok(box && ok);
  assert.match(await page.textContent('#tooltip'), /^Weight -?\d+\.\d{3} \(x₁ → neuron 1 of layer 1\)$/);
  await page.close();
});

test('no main-thread task over 50 ms while training the default experiment', async () => {
  const page = await openApp(browser, server.url);
  // Observe two separate 3-second windows of training. A frame that is systematically too
  // long shows up in both; a one-off preemption of this 2-core machine by another process
  // (seen while builds ran beside the tests) shows up in one at most.
  const windows = [];
  for (let w = 0; w < 2; w++) {
    await page.evaluate(() => {
      window.longTasks = [];
      window.longTaskObserver?.disconnect();
      window.longTaskObserver = new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.longTasks.push(Math.round(e.duration));
      });
      window.longTaskObserver.observe({ type: 'longtask' });
    });
    await page.click('#play');
    await page.waitForTimeout(3000);
    await page.click('#play');
    windows.push(await page.evaluate(() => window.longTasks));
  }
  assert.ok((await stats(page)).epoch > 20);
  assert.ok(windows.some((w) => w.length === 0), `long tasks (ms) in both windows: ${JSON.stringify(windows)}`);
  await page.close();
});

test('the layout works on a 360 px wide phone screen', async () => {
  const page = await openApp(browser, server.url, '', { width: 360, height: 780 });
  await trainEpochs(page, 100);
  const widths = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, view: innerWidth }));
  assert.ok(widths.doc <= widths.view, `page scrolls sideways: ${widths.doc} > ${widths.view}`);
  for (const id of ['#play', '#step', '#reset', '#data', '#view']) {
    const b = await page.locator(id).boundingBox();
    assert.ok(b && b.x >= 0 && b.x + b.width <= 360, `${id} fits: ${JSON.stringify(b)}`);
  }
  await shot(page, 'phone-360.png');
  await page.close();
});
