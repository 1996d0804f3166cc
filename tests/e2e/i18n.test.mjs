// The whole interface in Bahasa Indonesia: a link with lang=id opens the page with every marked
// element, the controls the page builds itself (model picker, model settings, metric tables,
// legend, network view) and the core's model, setting and dataset names in Indonesian; no
// visible text, option or label is left as an English catalogue string; the language switch
// brings English back; the catalogues name every model, setting and dataset of the core's
// registry, and their English still says what the core says. Screenshots of the Indonesian page
// go to tests/artifacts/i18n/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openApp, trainEpochs, hashOf, ROOT, ARTIFACTS, PAGE_SCRIPTS, startSuite, stopSuite } from './lib.mjs';
import { STRINGS } from '../../www/i18n.js';

const dir = path.join(ARTIFACTS, 'i18n');
let server, browser;
before(async () => ({ server, browser } = await startSuite(dir)));
after(() => stopSuite(server, browser));

/** Waits for two frames, so the page has drawn what the last change asked for. */
const frames = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

/** English catalogue strings whose Indonesian differs: none may be left on the Indonesian page. */
const ENGLISH_ONLY = new Set(Object.entries(STRINGS.en)
  .filter(([k, v]) => STRINGS.id[k] !== v && !/\{\w+\}/.test(v))
  .map(([, v]) => v.trim()));

/**
 * What the page shows in English although the catalogue has it in Indonesian: visible text
 * nodes, option texts and optgroup labels of visible selects, and the titles, aria-labels and
 * placeholders of visible elements.
 */
function englishLeft(page) {
  return page.evaluate((english) => {
    const english_ = new Set(english);
    const seen = (el) => el.checkVisibility({ visibilityProperty: true }) && el.getClientRects().length > 0;
    const left = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = n.textContent.trim();
      const el = n.parentElement;
      if (!text || !el || el.closest('select, script, style, textarea')) continue;
      if (english_.has(text) && seen(el)) left.push(`text “${text}” in <${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}>`);
    }
    for (const sel of document.querySelectorAll('select')) {
      if (!seen(sel)) continue;
      for (const o of sel.querySelectorAll('option, optgroup')) {
        const text = (o.tagName === 'OPTION' ? o.textContent : o.label).trim();
        if (english_.has(text)) left.push(`option “${text}” in #${sel.id}`);
      }
    }
    for (const el of document.body.querySelectorAll('[title], [aria-label], [placeholder]')) {
      if (!seen(el)) continue;
      for (const a of ['title', 'aria-label', 'placeholder']) {
        const v = (el.getAttribute(a) || '').trim();
        if (english_.has(v)) left.push(`${a} “${v}” on <${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}>`);
      }
    }
    return left;
  }, [...ENGLISH_ONLY]);
}

/** Every marked element's text or attribute against the catalogue of `lang`. */
function markedMismatches(page, lang) {
  return page.evaluate(([strings]) => {
    const bad = [];
    const want = (key) => strings[key];
    for (const el of document.querySelectorAll('[data-i18n]')) {
      if (el.textContent !== want(el.dataset.i18n)) bad.push(`${el.dataset.i18n}: “${el.textContent}”`);
    }
    for (const el of document.querySelectorAll('[data-i18n-title]')) {
      if (el.title !== want(el.dataset.i18nTitle)) bad.push(`title ${el.dataset.i18nTitle}: “${el.title}”`);
    }
    for (const el of document.querySelectorAll('[data-i18n-label]')) {
      if (el.getAttribute('aria-label') !== want(el.dataset.i18nLabel)) bad.push(`aria-label ${el.dataset.i18nLabel}: “${el.getAttribute('aria-label')}”`);
    }
    for (const el of document.querySelectorAll('[data-i18n-group]')) {
      if (el.label !== want(el.dataset.i18nGroup)) bad.push(`optgroup ${el.dataset.i18nGroup}: “${el.label}”`);
    }
    return bad;
  }, [STRINGS[lang]]);
}

/** The visible text before an element (its label's words). */
const labelOf = (page, selector) => page.$eval(selector, (el) => el.closest('label').querySelector('span').textContent);

test('every key the page and its scripts ask for exists in both catalogues', () => {
  const html = fs.readFileSync(path.join(ROOT, 'index.html'), 'utf8');
  const used = new Set([...html.matchAll(/data-i18n(?:-[a-z]+)?="([^"]+)"/g)].map((m) => m[1]));
  // The first argument of every t(...) call: each plain string in it is a key (t(a ? 'x' : 'y')).
  for (const file of PAGE_SCRIPTS) {
    const js = fs.readFileSync(path.join(ROOT, 'www', file), 'utf8');
    for (const m of js.matchAll(/\bt\(/g)) {
      let depth = 0;
      let quote = null;
      let i = m.index + 2;
      for (; i < js.length; i++) {
        const c = js[i];
        if (quote) { if (c === '\\') i++; else if (c === quote) quote = null; continue; }
        if (c === "'" || c === '`' || c === '"') quote = c;
        else if ('([{'.includes(c)) depth++;
        else if (')]}'.includes(c)) { if (depth === 0) break; depth--; } else if (c === ',' && depth === 0) break;
      }
      // (strings compared with are values, not keys: t(c.type === 'numeric' ? ...))
      const arg = js.slice(m.index + 2, i).replace(/'[^']*'\s*[!=]==|[!=]==\s*'[^']*'/g, '');
      for (const lit of arg.matchAll(/'([^']+)'/g)) used.add(lit[1]);
    }
  }
  assert.ok(used.size > 300, `only ${used.size} keys found in use`);
  for (const k of used) {
    assert.ok(k in STRINGS.en, `“${k}” is used but has no English string`);
    assert.ok(k in STRINGS.id, `“${k}” is used but has no Indonesian string`);
  }
  assert.deepEqual(Object.keys(STRINGS.id).sort(), Object.keys(STRINGS.en).sort());
  // Placeholders survive translation.
  for (const [k, v] of Object.entries(STRINGS.en)) {
    const names = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    assert.deepEqual(names(STRINGS.id[k]), names(v), `${k}: the placeholders differ`);
  }
});

test('the catalogues name every model, setting and dataset of the core, and agree with its English', async () => {
  const page = await openApp(browser, server.url, 'v=1');
  const { models, datasets, mlpSearch } = await page.evaluate(() => ({
    models: window.latih.models,
    datasets: window.wasmBindings.datasets(),
    mlpSearch: window.latih.lab.searchable(),
  }));
  // The key that translate() would use: the first of `keys` in the catalogue.
  const resolve = (keys) => keys.find((k) => k in STRINGS.en);
  const check = (keys, english, what) => {
    const key = resolve(keys);
    assert.ok(key, `${what}: none of ${keys.join(', ')} in the catalogues`);
    assert.equal(STRINGS.en[key], english, `${what}: the core now says “${english}”; update ${key} in both catalogues`);
  };
  assert.ok(models.length >= 18, `${models.length} models`);
  for (const m of models) {
    check([`model.${m.id}.name`], m.name, `${m.id} name`);
    check([`model.${m.id}.hint`], m.hint, `${m.id} hint`);
    for (const s of m.settings) {
      for (const what of ['label', 'hint']) check([`setting.${m.id}.${s.key}.${what}`, `setting.${s.key}.${what}`], s[what], `${m.id} ${s.key} ${what}`);
    }
  }
  for (const s of mlpSearch) check([`setting.mlp.${s.key}.label`, `setting.${s.key}.label`], s.label, `mlp ${s.key} label`);
  assert.ok(datasets.length >= 7, `${datasets.length} datasets`);
  for (const d of datasets) {
    check([`dataset.${d.id}.name`], d.name, `${d.id} name`);
    check([`dataset.${d.id}.about`], d.about, `${d.id} about`);
  }
  // The generators' titles, as the Explore panel's caption names them.
  for (const id of ['circle', 'xor', 'gauss', 'spiral', 'moons', 'blobs', 'plane', 'bumps', 'sine']) {
    const name = await page.evaluate((id) => { window.latih.lab.set('data', id); return window.latih.lab.explore().name; }, id);
    check([`data.${id}.title`], name, `${id} title`);
  }
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('lang=id in the link shows the whole page in Bahasa Indonesia, and the switch brings English back', async () => {
  const page = await openApp(browser, server.url, 'v=1&data=circle&lang=id');
  assert.equal(await page.inputValue('#lang'), 'id');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'id');
  await trainEpochs(page, 5);
  await frames(page);

  // (a) Every marked element says what the Indonesian catalogue says.
  assert.deepEqual(await markedMismatches(page, 'id'), []);
  assert.equal(await page.title(), STRINGS.id['page.title']);

  // (b) The important controls, including what the page builds from the core's registry.
  assert.equal((await page.textContent('#play')).trim(), `▶ ${STRINGS.id.play}`);
  assert.equal(await labelOf(page, '#data'), 'Dataset');
  assert.equal(await labelOf(page, '#task'), 'Tugas');
  assert.equal(await labelOf(page, '#model'), 'Model');
  assert.equal(await labelOf(page, '#train'), 'Porsi latih:');
  assert.match(await page.textContent('.metrics'), /Loss latih[\s\S]*Loss uji[\s\S]*Akurasi latih[\s\S]*Akurasi uji/);
  assert.equal(await page.textContent('#epoch-label'), 'Epoch');
  assert.match(await page.textContent('#epoch-hint'), /^satu epoch adalah satu kali lintasan atas \d+ titik latih/);
  assert.equal(await page.textContent('#layer-count'), '2 lapisan tersembunyi');
  assert.deepEqual(await page.$$eval('#metrics-table thead th', (th) => th.map((x) => x.textContent)), ['Metrik', 'Uji', 'Latih']);
  assert.equal(await page.$eval('#metrics-table tbody th', (th) => th.textContent), 'Akurasi');
  assert.deepEqual((await page.$$eval('#class-table thead th', (th) => th.map((x) => x.textContent))).slice(0, 2), ['Kelas', 'Precision']);
  assert.match(await page.textContent('#legend'), /kelas 0.*kelas 1.*latih/);
  assert.equal(await page.textContent('.inputs .layer-head'), 'Fitur');
  const modelNames = await page.$$eval('#model option', (o) => o.map((x) => x.textContent));
  assert.ok(modelNames.includes('Jaringan saraf (MLP)') && modelNames.includes('Pohon keputusan') && modelNames.includes('k-tetangga terdekat (k-NN)'), modelNames.join());
  assert.equal(await page.$eval('#data option[value=circle]', (o) => o.textContent), 'Lingkaran');
  assert.equal(await page.$eval('#data option[value=iris]', (o) => o.textContent), 'Bunga iris');
  assert.match(await page.textContent('#eda-caption'), /^Lingkaran: satu kelas .*: \d+ baris, 3 kolom; target “target”\.$/);
  await page.screenshot({ path: path.join(dir, 'id-1280.png'), fullPage: true });

  // (c) Nothing visible is left in English.
  assert.deepEqual(await englishLeft(page), []);

  // A classical model: its settings in Indonesian, with the model's own hints; the Iteration label.
  await page.selectOption('#model', 'knn');
  await page.waitForSelector('#set-k');
  assert.equal(await labelOf(page, '#set-k'), 'Tetangga (k)');
  assert.equal(await page.$eval('#set-k', (el) => el.closest('label').title), STRINGS.id['setting.k.hint']);
  assert.equal(await page.$eval('#set-weights option[value=distance]', (o) => o.textContent), 'jarak');
  assert.equal(await page.textContent('#model-hint'), STRINGS.id['model.knn.hint']);
  assert.equal(await page.textContent('#epoch-label'), 'Iterasi');
  assert.equal(await page.$eval('#search-key-0 option[value=k]', (o) => o.textContent), 'Tetangga (k)');
  await page.selectOption('#task', 'clustering');
  await page.waitForSelector('#set-k');
  assert.equal(await labelOf(page, '#set-k'), 'Klaster (k)');
  assert.equal(await labelOf(page, '#set-iters'), 'Iterasi maksimum');
  await trainEpochs(page, 3);
  await frames(page);
  assert.match(await page.textContent('#legend'), /klaster 1/);
  assert.deepEqual(await englishLeft(page), []);
  // A shipped table: its description, the table options.
  await page.selectOption('#task', 'classification');
  await page.selectOption('#data', 'penguins');
  await page.waitForFunction(() => !document.getElementById('table-options').hidden);
  assert.match(await page.textContent('#data-about'), /^344 penguin dari tiga spesies.* Sumber: .* Lisensi: /);
  assert.equal(await labelOf(page, '#missing'), 'Nilai yang hilang');
  await trainEpochs(page, 3);
  await frames(page);
  assert.deepEqual(await englishLeft(page), []);

  // (d) The switch brings English back, with the page's own text and the core's names.
  await page.selectOption('#lang', 'en');
  await frames(page);
  assert.deepEqual(await markedMismatches(page, 'en'), []);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  assert.equal((await page.textContent('#play')).trim(), '▶ Play');
  assert.equal(await labelOf(page, '#task'), 'Task');
  assert.equal(await labelOf(page, '#missing'), 'Missing values');
  assert.equal(await page.$eval('#data option[value=penguins]', (o) => o.textContent), 'Palmer penguins');
  assert.match(await page.textContent('#data-about'), /^344 penguins of three species.* Source: .* Licence: /);
  assert.deepEqual(await page.$$eval('#metrics-table thead th', (th) => th.map((x) => x.textContent)), ['Metric', 'Test', 'Train']);
  assert.ok((await page.$$eval('#model option', (o) => o.map((x) => x.textContent))).includes('Neural network (MLP)'));
  assert.match(await page.textContent('#legend'), /train/);
  assert.doesNotMatch(await hashOf(page), /lang=id/);
  // And back: the switch relabels what the page built in English.
  await page.selectOption('#lang', 'id');
  await frames(page);
  assert.match(await hashOf(page), /lang=id/);
  assert.deepEqual(await markedMismatches(page, 'id'), []);
  assert.deepEqual(await englishLeft(page), []);

  // (e) No errors on the way.
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('with lang=id the core writes the status line and the model summary in Indonesian, and the switch brings English back', async () => {
  const page = await openApp(browser, server.url, 'v=1&data=iris&model=tree&lang=id');
  await page.waitForFunction(() => document.getElementById('model-summary').textContent.includes('Tekan Jalankan'));
  await page.click('#play');
  await page.waitForSelector('#status.done:not([hidden])', { timeout: 20000 });
  await frames(page);
  assert.match(await page.textContent('#status'), /^Selesai di-fit/);
  assert.match(await page.textContent('#model-summary'), /Kedalaman \d+, \d+ daun, \d+ pertanyaan\./);
  assert.match(await page.textContent('#view-caption'), /komponen utama|input lainnya/);
  await page.selectOption('#lang', 'en');
  await frames(page);
  assert.match(await page.textContent('#status'), /^Fitted/);
  assert.match(await page.textContent('#model-summary'), /Depth \d+, \d+ leaves, \d+ questions\./);
  assert.match(await page.textContent('#view-caption'), /principal component|other inputs/);
  await page.selectOption('#lang', 'id');
  await frames(page);
  assert.match(await page.textContent('#status'), /iterasi|^Selesai di-fit/);
  assert.match(await page.textContent('#model-summary'), /Kedalaman/);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('with lang=id the core\'s notices and error messages read in Indonesian, and in English without it', async () => {
  const bad = 'v=1&data=circle&model=knn&k=abc&weights=far&noise=80&bogus=1&folds=1&missing=mean';
  // Phrases of the English notices this link and the file below cause.
  const english = /was used|ignored|is not a|only appl|rows did not|had no name|is not UTF-8/;
  const en = await openApp(browser, server.url, bad);
  assert.match(await en.textContent('#notice-text'), english);
  await en.close();

  const page = await openApp(browser, server.url, bad + '&lang=id');
  const read = await page.textContent('#notice-text');
  assert.doesNotMatch(read, english, read);
  assert.match(read, /bukan angka; dipakai 5/);
  assert.match(read, /noise=80 di atas maksimum 50/);
  assert.match(read, /“bogus” tidak dikenal/);
  // A malformed file: its repairs are reported in Indonesian; an unreadable one's error too.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latih-i18n-csv-'));
  const ragged = path.join(dir, 'ragged.csv');
  fs.writeFileSync(ragged, Buffer.concat([Buffer.from('a,b,,a\n1,2,3\n'), Buffer.from([0xff]), Buffer.from(',4,5,6,7\n8,9,1,2\n5,6,7,8\n9,1,2,3\n')]));
  await page.setInputFiles('#csv-file', ragged);
  await page.waitForFunction(() => window.latih.lab.stats().data === 'csv');
  const repaired = await page.textContent('#notice-text');
  assert.doesNotMatch(repaired, english, repaired);
  assert.match(repaired, /bukan UTF-8/);
  assert.match(repaired, /tidak punya nama/);
  const broken = path.join(dir, 'broken.csv');
  fs.writeFileSync(broken, 'a,b\n"open,1\n2,3\n');
  await page.setInputFiles('#csv-file', broken);
  await page.waitForFunction(() => /tidak pernah ditutup/.test(document.getElementById('notice-text').textContent));
  fs.rmSync(dir, { recursive: true });
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('the Indonesian page fits a phone: nothing wider than the screen', async () => {
  const page = await openApp(browser, server.url, 'v=1&data=circle&lang=id', { width: 360, height: 800 });
  await trainEpochs(page, 3);
  await frames(page);
  const wide = await page.evaluate(() => {
    const limit = document.documentElement.clientWidth;
    // Inside a box that scrolls sideways (the network view, wide tables) is no overflow.
    const scrolled = (el) => {
      for (let a = el.parentElement; a; a = a.parentElement) if (['auto', 'scroll'].includes(getComputedStyle(a).overflowX)) return true;
      return false;
    };
    return [...document.querySelectorAll('main *, header *, section *')]
      .filter((el) => el.checkVisibility() && el.getBoundingClientRect().right > limit + 1 && !scrolled(el))
      .map((el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${el.className} ${Math.round(el.getBoundingClientRect().right)}`);
  });
  assert.deepEqual(wide, [], `wider than ${await page.evaluate(() => document.documentElement.clientWidth)} px`);
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth), true);
  await page.screenshot({ path: path.join(dir, 'id-360.png'), fullPage: true });
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a browser set to Indonesian gets the Indonesian page, core text included, and links that keep it', async () => {
  const context = await browser.newContext({ locale: 'id-ID', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(server.url + '#v=1&data=iris&model=tree&depth=3');
  await page.waitForSelector('body.ready', { timeout: 15000 });
  assert.equal(await page.$eval('#lang', (s) => s.value), 'id');
  await page.click('#play');
  await page.waitForFunction(() => window.latih.lab.stats().status.state === 'done');
  assert.match(await page.evaluate(() => window.latih.lab.stats().status.message), /^Selesai di-fit/);
  assert.match(await page.evaluate(() => window.latih.lab.link()), /lang=id/);
  assert.deepEqual(errors, []);
  await context.close();
});
