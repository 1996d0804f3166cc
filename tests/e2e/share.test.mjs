// Sharing and export from the UI: the Share dialog's link and QR code (decoded back with
// jsQR), TensorFlow Playground links opened as Latih experiments, the experiment as text
// (live problems, Ctrl+Enter, stable round trip), the experiment file carrying a CSV too big
// for a link, and the predictions CSV and chart PNG downloads.
// Screenshots go to tests/artifacts/share/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import jsQR from 'jsqr';
import { openApp, stats, setting, hashOf, trainEpochs, shot, ARTIFACTS, startSuite, stopSuite } from './lib.mjs';

let server, browser;
const dir = path.join(ARTIFACTS, 'share');
before(async () => ({ server, browser } = await startSuite(dir)));
after(() => stopSuite(server, browser));

/** Clicks `selector` and returns the downloaded file's name and bytes. */
async function downloadOf(page, selector) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const file = path.join(dir, download.suggestedFilename());
  await download.saveAs(file);
  return { name: download.suggestedFilename(), file, bytes: fs.readFileSync(file) };
}

test('Share copies the link and shows a QR code that decodes to it', async () => {
  const page = await openApp(browser, server.url, 'v=1&data=spiral&hidden=8,8&act=relu&noise=10');
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  await page.click('#share');
  assert.ok(await page.isVisible('#share-dialog'));
  const link = await page.inputValue('#share-link');
  assert.equal(link, await page.evaluate(() => location.href));
  assert.match(await page.textContent('#share-size'), /\d+ characters/);
  await page.click('#share-copy');
  await page.waitForFunction(() => document.querySelector('#share-copied').textContent !== '');
  assert.equal(await page.textContent('#share-copied'), 'Copied to the clipboard.');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link);
  // The QR code, read from the canvas's pixels, is the link.
  const image = await page.evaluate(() => {
    const c = document.querySelector('#share-qr');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height);
    return { width: d.width, height: d.height, data: Array.from(d.data) };
  });
  const code = jsQR(Uint8ClampedArray.from(image.data), image.width, image.height);
  assert.ok(code, 'the QR code decodes');
  assert.equal(code.data, link);
  await page.screenshot({ path: path.join(dir, 'share-dialog.png') });
  // Opening the decoded link gives the same experiment.
  const other = await openApp(browser, code.data.split('#')[0], code.data.split('#')[1]);
  assert.equal(await other.evaluate(() => window.latih.lab.link()), await page.evaluate(() => window.latih.lab.link()));
  await page.keyboard.press('Escape');
  assert.ok(!(await page.isVisible('#share-dialog')));
  // A link too long for a QR code says so instead of drawing one.
  const long = await openApp(browser, server.url);
  await long.evaluate(async () => {
    await window.latih.full();
    // Random digits compress about 2.3 times: a link of several thousand characters.
    let csv = 'a,b,y\n';
    for (let i = 0; i < 350; i++) csv += `${Math.random().toFixed(8)},${Math.random().toFixed(8)},${i % 2}\n`;
    window.latih.lab.load_csv(new TextEncoder().encode(csv), 'random.csv');
  });
  await long.click('#share');
  assert.ok((await long.inputValue('#share-link')).length > 2953);
  assert.equal(await long.evaluate(() => window.latih.lab.link_has_data()), true);
  assert.match(await long.textContent('#share-qr-note'), /too long for a QR code/);
  assert.deepEqual([...page.errors, ...other.errors, ...long.errors], []);
  await Promise.all([page.close(), other.close(), long.close()]);
});

test('a TensorFlow Playground link opens as the equivalent experiment with notices', async () => {
  const page = await openApp(browser, server.url);
  await page.click('#share');
  const tfp = 'https://playground.tensorflow.org/#activation=relu&batchSize=20&dataset=spiral&regDataset=reg-plane&learningRate=0.01&regularizationRate=0.001&noise=15&networkShape=8,6,4&seed=0.12345&showTestData=true&discretize=false&percTrainData=70&x=true&y=true&xTimesY=false&xSquared=true&ySquared=true&cosX=true&sinX=true&cosY=false&sinY=true&collectStats=false&problem=classification&initZero=false&hideText=false&regularization=L2';
  await page.fill('#open-link-text', tfp);
  await page.press('#open-link-text', 'Enter');
  assert.ok(!(await page.isVisible('#share-dialog')));
  const want = { data: 'spiral', act: 'relu', batch: '20', lr: '0.01', reg: 'l2', rate: '0.001', noise: '15', hidden: '8,6,4', train: '70', test: '1', features: 'x1,x2,x1sq,x2sq,sinx1,sinx2', samples: '500' };
  for (const [k, v] of Object.entries(want)) assert.equal(await setting(page, k), v, k);
  const notice = await page.textContent('#notice-text');
  assert.match(notice, /TensorFlow Playground/);
  assert.match(notice, /cosX/);
  assert.match(notice, /seed/);
  // The network view follows: three hidden layers.
  assert.equal(await page.evaluate(() => window.latih.lab.network().sizes.length), 5);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('the experiment as text: problems point at lines, Ctrl+Enter applies, the text is stable', async () => {
  const page = await openApp(browser, server.url, 'v=1&data=xor&hidden=4,2');
  const original = await page.inputValue('#exp-text');
  assert.match(original, /^# Latih experiment/);
  assert.match(original, /\nhidden = 4,2\n/);
  const lines = original.split('\n');
  const lr = lines.findIndex((l) => l.startsWith('lr = ')) + 1;
  await page.fill('#exp-text', original.replace('lr = 0.03', 'lr = fast').replace('hidden = 4,2', 'hidden = 6,3') + 'what is this\n');
  await page.waitForFunction(() => document.querySelectorAll('#exp-problems li').length === 2);
  const problems = await page.$$eval('#exp-problems li', (li) => li.map((l) => l.textContent));
  assert.ok(problems.some((p) => p.startsWith(`Line ${lr}: lr=fast`)), problems.join('\n'));
  assert.ok(problems.some((p) => p.startsWith(`Line ${lines.length}: “what is this”`)), problems.join('\n'));
  assert.equal(await page.getAttribute('#exp-text', 'aria-invalid'), 'true');
  // Nothing changed until applied.
  assert.equal(await setting(page, 'hidden'), '4,2');
  await page.fill('#exp-text', original.replace('hidden = 4,2', 'hidden = 6,3').replace('data = xor', 'data = moons'));
  await page.press('#exp-text', 'Control+Enter');
  assert.equal(await setting(page, 'hidden'), '6,3');
  assert.equal(await setting(page, 'data'), 'moons');
  assert.equal(await page.inputValue('#data'), 'moons');
  // Applied text reads back as itself (canonical), and applying it again changes nothing.
  const applied = await page.inputValue('#exp-text');
  assert.equal(applied, original.replace('hidden = 4,2', 'hidden = 6,3').replace('data = xor', 'data = moons'));
  const hash = await hashOf(page);
  await page.click('#exp-apply');
  assert.equal(await hashOf(page), hash);
  assert.equal(await page.inputValue('#exp-text'), applied);
  // A control change shows in the text.
  await page.selectOption('#act', 'relu');
  assert.match(await page.inputValue('#exp-text'), /\nact = relu\n/);
  await page.locator('#text-panel').screenshot({ path: path.join(dir, 'text-panel.png') });
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('an experiment file carries a CSV too big for a link and restores everything', async () => {
  const page = await openApp(browser, server.url);
  // ~400 KB of numbers: far over the link's payload budget.
  let csv = 'alpha,beta,gamma,label\n';
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let i = 0; i < 12000; i++) {
    const a = rnd() * 10, b = rnd() * 10;
    csv += `${a.toFixed(4)},${b.toFixed(4)},${(rnd() * 100).toFixed(3)},${a + b > 10 ? 'high' : 'low'}\n`;
  }
  const csvFile = path.join(dir, 'big.csv');
  fs.writeFileSync(csvFile, csv);
  await page.setInputFiles('#csv-file', csvFile);
  await page.waitForFunction(() => window.latih.lab.settings().data === 'csv');
  assert.equal(await page.evaluate(() => window.latih.lab.link_has_data()), false);
  await page.selectOption('#model', 'tree');
  await page.click('#share');
  assert.match(await page.textContent('#share-size'), /too big to travel in a link/);
  const saved = await downloadOf(page, '#share-file');
  assert.match(saved.name, /^latih-csv-tree\.latih\.txt$/);
  assert.ok(saved.bytes.length < csv.length, `${saved.bytes.length} compressed vs ${csv.length}`);
  const before = await page.evaluate(() => ({ link: window.latih.lab.link(), rows: window.latih.lab.explore().rows }));
  await trainEpochs(page, 1);
  const accuracy = (await stats(page)).test_accuracy;
  // A fresh page opens the file through the same picker and has the same experiment and data.
  const fresh = await openApp(browser, server.url);
  await fresh.setInputFiles('#csv-file', saved.file);
  await fresh.waitForFunction(() => window.latih.lab.settings().data === 'csv');
  const after = await fresh.evaluate(() => ({ link: window.latih.lab.link(), rows: window.latih.lab.explore().rows }));
  assert.deepEqual(after, before);
  assert.match(await fresh.textContent('#notice-text'), /Opened “latih-csv-tree\.latih\.txt”/);
  assert.equal(await fresh.inputValue('#model'), 'tree');
  await trainEpochs(fresh, 1);
  assert.equal((await stats(fresh)).test_accuracy, accuracy);
  // Saving again from the reopened experiment writes the same data back.
  await fresh.click('#share');
  const again = await downloadOf(fresh, '#share-file');
  assert.equal(again.bytes.toString(), saved.bytes.toString());
  assert.deepEqual([...page.errors, ...fresh.errors], []);
  await Promise.all([page.close(), fresh.close()]);
});

test('predictions export as CSV that agrees with the metrics, and charts as PNG', async () => {
  const page = await openApp(browser, server.url, 'v=1&data=iris&train=60&model=logistic');
  await trainEpochs(page, 100);
  const s = await stats(page);
  const { name, bytes } = await downloadOf(page, '#export-predictions');
  assert.equal(name, 'latih-iris-logistic-predictions.csv');
  const rows = bytes.toString().trim().split('\n').map((l) => l.split(','));
  const header = rows.shift();
  assert.deepEqual(header.slice(0, 2), ['row', 'part']);
  assert.equal(rows.length, 150);
  const [target, predicted] = [header.indexOf('species'), header.indexOf('predicted')];
  const test = rows.filter((r) => r[1] === 'test');
  const right = test.filter((r) => r[target] === r[predicted]).length;
  assert.equal(right / test.length, s.test_accuracy);
  assert.ok(header.includes('p(virginica)'), header.join());
  for (const [button, file] of [['#export-view', 'view'], ['#export-loss', 'loss']]) {
    const png = await downloadOf(page, button);
    assert.equal(png.name, `latih-iris-logistic-${file}.png`);
    assert.deepEqual([...png.bytes.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10], 'a PNG signature');
    assert.ok(png.bytes.readUInt32BE(16) > 50 && png.bytes.readUInt32BE(20) > 50, 'non-trivial size');
  }
  // A classical model's own chart too (a tree: the tree itself).
  await page.selectOption('#model', 'tree');
  await trainEpochs(page, 1);
  await page.waitForSelector('#export-model-chart', { state: 'visible' });
  const chart = await downloadOf(page, '#export-model-chart');
  assert.equal(chart.name, 'latih-iris-tree-model.png');
  assert.deepEqual([...chart.bytes.subarray(0, 4)], [137, 80, 78, 71]);
  // PCA makes no predictions: a clear message, nothing downloaded.
  await page.selectOption('#task', 'reduction');
  await page.click('#export-predictions');
  assert.match(await page.textContent('#notice-text'), /PCA projects the data/);
  await shot(page, 'share/exports.png');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a trained model travels in a link and in a model file, and predicts and trains on exactly', async () => {
  const page = await openApp(browser, server.url, 'v=1&data=spiral&samples=300&hidden=8,6&act=tanh&opt=adam&lr=0.01');
  await trainEpochs(page, 40);
  // The predictions file is the full build's: reading it moves each page there (with its
  // trained state, which must change nothing).
  const predictions = async () => { await window.latih.full(); return window.latih.lab.predictions_csv(); };
  const saved = await page.evaluate(predictions);
  // The link with the model: weights in it, the same predictions and epoch when opened.
  await page.click('#share');
  await page.check('#share-model');
  const link = await page.inputValue('#share-link');
  assert.match(link, /&trained=40&state=/);
  assert.match(await page.textContent('#share-model-epoch'), /epoch 40/);
  const [base, fragment] = link.split('#');
  const opened = await openApp(browser, base, fragment);
  assert.equal((await stats(opened)).epoch, 40);
  assert.equal(await opened.evaluate(predictions), saved);
  // The model file: opened in a fresh page through the file picker.
  await page.keyboard.press('Escape');
  const file = await downloadOf(page, '#export-model');
  assert.equal(file.name, 'latih-spiral-mlp-model.json');
  const json = JSON.parse(file.bytes.toString());
  assert.equal(json.format, 'latih-model');
  const fresh = await openApp(browser, server.url);
  await fresh.setInputFiles('#csv-file', file.file);
  await fresh.waitForFunction(() => window.latih.lab.settings().data === 'spiral');
  assert.match(await fresh.textContent('#notice-text'), /restored at epoch 40/);
  assert.equal(await fresh.evaluate(predictions), saved);
  // Training on from the file is the same as never having stopped.
  await trainEpochs(page, 5);
  await trainEpochs(fresh, 5);
  assert.equal(await fresh.evaluate(predictions), await page.evaluate(predictions));
  // A broken model file gets a clear message and changes nothing.
  const broken = path.join(dir, 'broken-model.json');
  fs.writeFileSync(broken, '{"format":"latih-model","version":1,"experiment":3}');
  const before = await fresh.evaluate(() => window.latih.lab.link());
  await fresh.setInputFiles('#csv-file', broken);
  await fresh.waitForFunction(() => /could not be opened/.test(document.querySelector('#notice-text').textContent));
  assert.match(await fresh.textContent('#notice-text'), /not a model file Latih can read/);
  assert.equal(await fresh.evaluate(() => window.latih.lab.link()), before);
  assert.deepEqual([...page.errors, ...opened.errors, ...fresh.errors], []);
  await Promise.all([page.close(), opened.close(), fresh.close()]);
});

test('a link naming many trained epochs without weights replays them in frames, with progress, and the page stays responsive', async () => {
  const page = await openApp(browser, server.url, 'v=1&data=circle');
  await page.evaluate(() => { window.ticks = 0; setInterval(() => { window.ticks += 1; }, 20); });
  // A hand-edited link: 30,000 epochs and no weights. Opening it used to replay them in one
  // call (seconds of a frozen tab); now the first 40 ms go there and frames do the rest.
  await page.evaluate(() => { location.hash = '#v=1&data=circle&trained=30000'; });
  await page.waitForFunction(() => /Restoring the trained model/.test(document.getElementById('status').textContent), null, { timeout: 10000 });
  assert.ok(await page.evaluate(() => window.latih.lab.replaying()));
  assert.match(await page.textContent('#status'), /epoch 30,000, \d+ %/);
  await shot(page, 'share/replaying.png');
  await page.waitForFunction(() => !window.latih.lab.replaying(), null, { timeout: 120000 });
  const s = await stats(page);
  assert.equal(s.epoch, 30000);
  assert.equal(s.status.state, 'ready');
  assert.ok(Number.isFinite(s.test_loss));
  assert.ok(await page.isHidden('#status'), 'the progress line goes once the state is reached');
  assert.ok(await page.evaluate(() => window.ticks) >= 10, 'the page kept running its timers');
  assert.match(await hashOf(page), /trained=30000/);
  assert.deepEqual(page.errors, []);
});
