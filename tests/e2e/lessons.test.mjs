// Lessons: every built-in lesson opens from the Lessons menu in English and Bahasa Indonesia
// without a notice, with the same directives in both; one task per lesson is completed by
// loading its solution's settings and training, and the page ticks it; progress survives a
// reload; a lesson file written outside the repository opens from the file picker and from a
// link; the language is kept in the link; both string catalogues have the same keys and every
// key the page uses. Screenshots of three lessons in each language go to tests/artifacts/lessons/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openApp, useFullBuild, trainEpochs, ROOT, ARTIFACTS, PAGE_SCRIPTS, startSuite, stopSuite } from './lib.mjs';

import { STRINGS } from '../../www/i18n.js';

const dir = path.join(ARTIFACTS, 'lessons');
const NAMES = JSON.parse(fs.readFileSync(path.join(ROOT, 'lessons', 'index.json'), 'utf8')).lessons;
let server, browser;
before(async () => ({ server, browser } = await startSuite(dir)));
after(() => stopSuite(server, browser));

test('both string catalogues have the same keys, and every key the page uses', () => {
  const en = Object.keys(STRINGS.en).sort();
  const id = Object.keys(STRINGS.id).sort();
  assert.deepEqual(id, en, 'the Indonesian catalogue lacks or adds keys');
  const html = fs.readFileSync(path.join(ROOT, 'index.html'), 'utf8');
  const js = PAGE_SCRIPTS.map((f) => fs.readFileSync(path.join(ROOT, 'www', f), 'utf8')).join('\n');
  const used = new Set([
    ...[...html.matchAll(/data-i18n(?:-title|-label)?="([^"]+)"/g)].map((m) => m[1]),
    ...[...js.matchAll(/\bt\('([^']+)'/g)].map((m) => m[1]),
  ]);
  assert.ok(used.size > 20, `${used.size} keys found`);
  for (const k of used) assert.ok(k in STRINGS.en, `“${k}” is used but has no string`);
  for (const lang of ['en', 'id']) for (const [k, v] of Object.entries(STRINGS[lang])) assert.ok(v.trim(), `${lang}.${k} is empty`);
});

test('every built-in lesson exists in both languages with the same directives, and parses cleanly', async () => {
  const page = await openApp(browser, server.url, 'v=1');
  await useFullBuild(page); // some lessons' experiments are the full build's
  assert.ok(NAMES.length >= 11, NAMES.join());
  for (const name of NAMES) {
    const directives = {};
    for (const lang of ['en', 'id']) {
      const text = fs.readFileSync(path.join(ROOT, 'lessons', lang, `${name}.md`), 'utf8');
      const lesson = await page.evaluate((t) => window.latih.parseLesson(t), text);
      assert.deepEqual(lesson.notices, [], `${lang}/${name}`);
      assert.ok(lesson.sections.length >= 3, `${lang}/${name}: ${lesson.sections.length} sections`);
      for (const s of lesson.sections) assert.ok(s.experiment, `${lang}/${name} “${s.title}” has no experiment`);
      directives[lang] = lesson.sections.map((s) => [s.experiment, s.task && s.task.source, s.task && s.task.solution]);
      // Every experiment opens without a setting changed (a note on the data itself is fine).
      for (const s of lesson.sections) {
        const notices = await page.evaluate((l) => window.latih.lab.load(l), s.experiment);
        const changed = notices.filter((n) => !/rows without .* were left out/.test(n));
        assert.deepEqual(changed, [], `${lang}/${name} “${s.title}”: ${s.experiment}`);
      }
    }
    assert.deepEqual(directives.id, directives.en, `${name}: the languages differ in their directives`);
  }
  await page.close();
});

/** Opens a lesson from the menu (in the page's language) and returns its parsed form. */
async function openLesson(page, name) {
  if (await page.locator('#lesson-panel').isHidden()) await page.click('#lessons-open');
  if (await page.locator('#lesson-title').count()) await page.click('#lesson-body button:has-text("←")');
  await page.click(`.lesson-link[data-lesson="${name}"]`);
  await page.waitForSelector('#lesson-title');
}

for (const name of NAMES) {
  test(`lesson ${name}: a task is completed by setting the controls and the page ticks it`, async () => {
    const page = await openApp(browser, server.url, 'v=1');
    await openLesson(page, name);
    const text = fs.readFileSync(path.join(ROOT, 'lessons', 'en', `${name}.md`), 'utf8');
    const lesson = await page.evaluate((t) => window.latih.parseLesson(t), text);
    const index = lesson.sections.findIndex((s) => s.task && s.task.solution);
    assert.ok(index >= 0, `${name} has no task with a solution`);
    for (let i = 0; i < index; i++) await page.click('.lesson-nav button:last-child');
    assert.match(await page.textContent('#lesson-step'), new RegExp(`${index + 1} of`));
    // The learner's settings: the solution's (through the same path the section uses).
    // (As the section's own loading does: on the full build when it needs it.)
    await page.evaluate(async (l) => {
      await window.latih.settled();
      try {
        window.latih.lab.load_section(l);
      } catch {
        await window.latih.full();
        window.latih.lab.load_section(l);
      }
    }, lesson.sections[index].task.solution);
    await trainEpochs(page, 300);
    await page.waitForFunction(() => /Done/.test(document.querySelector('#lesson-verdict').textContent), null, { timeout: 20000 });
    assert.ok(await page.locator('#lesson-task.done').count());
    // Progress is kept: the list shows the task done after a reload.
    await page.reload();
    await page.waitForFunction(() => window.latih && document.body.classList.contains('ready'));
    if (await page.locator('#lesson-panel').isHidden()) await page.click('#lessons-open');
    if (await page.locator('#lesson-title').count()) await page.click('#lesson-body button:has-text("←")');
    const row = page.locator(`.lesson-link[data-lesson="${name}"]`).locator('xpath=..');
    assert.match(await row.textContent(), /[1-9]\d* of \d+ tasks done/);
    assert.deepEqual(page.errors, []);
    await page.close();
  });
}

test('lessons open in Bahasa Indonesia from the language switch and from a link (lang=id)', async () => {
  const shots = NAMES.slice(3, 6);
  for (const lang of ['en', 'id']) {
    const page = await openApp(browser, server.url, lang === 'id' ? 'v=1&lang=id' : 'v=1');
    assert.equal(await page.inputValue('#lang'), lang);
    assert.equal(await page.textContent('#lessons-open'), lang === 'id' ? 'Pelajaran' : 'Lessons');
    for (const name of shots) {
      await openLesson(page, name);
      const file = fs.readFileSync(path.join(ROOT, 'lessons', lang, `${name}.md`), 'utf8');
      const title = file.match(/^title:\s*(.+)$/m)[1].trim();
      assert.equal(await page.textContent('#lesson-title'), title);
      await trainEpochs(page, 40);
      await page.screenshot({ path: path.join(dir, `${lang}-${name}.png`) });
    }
    assert.match(await page.evaluate(() => location.hash), lang === 'id' ? /lang=id/ : /lesson=/);
    assert.deepEqual(page.errors, []);
    await page.close();
  }
  // The switch relabels the page and goes into the link.
  const page = await openApp(browser, server.url, 'v=1');
  await openLesson(page, NAMES[0]);
  await page.selectOption('#lang', 'id');
  await page.waitForFunction(() => document.querySelector('#lessons-open').textContent === 'Pelajaran');
  await page.waitForFunction(() => /lang=id/.test(location.hash) && /lesson=/.test(location.hash));
  const idTitle = fs.readFileSync(path.join(ROOT, 'lessons', 'id', `${NAMES[0]}.md`), 'utf8').match(/^title:\s*(.+)$/m)[1].trim();
  await page.waitForFunction((t) => document.querySelector('#lesson-title')?.textContent === t, idTitle);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a lesson file written outside the repository opens, runs, and travels in a link', async () => {
  const file = path.join(os.tmpdir(), `latih-lesson-${process.pid}.md`);
  fs.writeFileSync(file, [
    '---', 'title: A teacher’s own <b>lesson</b>', '---', '', 'Formula: ', '',
    '$$ \\hat{y} = \\frac{1}{1 + e^{-z}} $$', '',
    '## Gaussians', 'Separate the <script>window.pwned = 1</script> clouds.', '',
    '@experiment v=1&data=gauss&noise=5&model=logistic',
    '@task test_accuracy >= 0.9 and model = logistic | Reach 0.9 with logistic regression.',
    '@solution v=1&data=gauss&noise=0&model=logistic', '',
    '## Trees', '@experiment v=1&data=xor&model=tree&depth=4', '@task depth <= 4 and test_accuracy >= 0.8 | Carve the xor.', '',
  ].join('\n'));
  const page = await openApp(browser, server.url, 'v=1');
  await page.click('#lessons-open');
  await page.setInputFiles('#lesson-file', file);
  await page.waitForSelector('#lesson-title');
  // Text stays text: the title's markup and the script are shown, not run.
  assert.equal(await page.textContent('#lesson-title'), 'A teacher’s own <b>lesson</b>');
  assert.match(await page.textContent('#lesson-body'), /<script>window.pwned = 1<\/script>/);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  assert.equal(await page.locator('#lesson-body math mfrac').count(), 1);
  // The section loaded its experiment; training meets the task.
  assert.equal(await page.evaluate(() => window.latih.lab.settings().data), 'gauss');
  await trainEpochs(page, 100);
  await page.waitForFunction(() => /Done/.test(document.querySelector('#lesson-verdict').textContent));
  // The link carries the lesson: opening it elsewhere shows the same lesson.
  const hash = await page.evaluate(() => location.hash.slice(1));
  assert.match(hash, /lessonfile=/);
  const other = await openApp(browser, server.url, hash);
  await other.waitForSelector('#lesson-title');
  assert.equal(await other.textContent('#lesson-title'), 'A teacher’s own <b>lesson</b>');
  await other.click('.lesson-nav button:last-child');
  assert.equal(await other.evaluate(() => window.latih.lab.settings().model), 'tree');
  assert.deepEqual(page.errors, []);
  assert.deepEqual(other.errors, []);
  await page.close();
  await other.close();
  fs.rmSync(file);
});
