// The Lessons panel: the list of built-in lessons (lessons/<lang>/<name>.md, listed in
// lessons/index.json), a lesson file opened by the person, one section at a time. Entering a
// section loads its experiment in place; its "try this" task is checked live by the core
// (`lab.check_task`); progress is kept in this browser. The core parses the file
// (`parseLesson`); everything from the file is shown as text, formulas as MathML elements
// built one by one (never parsed markup).
import { t, language } from './i18n.js';
import { state } from './state.js';
import { $ } from './ui.js';

const PROGRESS_KEY = 'latih.lessons.v1';
const HINT_AFTER_MS = 45_000;
const CHECK_EVERY_MS = 600;
const MATHML = 'http://www.w3.org/1998/Math/MathML';
const MATH_TAGS = new Set(['math', 'mrow', 'mi', 'mn', 'mo', 'mtext', 'msup', 'msub', 'msubsup', 'munder', 'mover', 'munderover', 'mfrac', 'msqrt']);

// (Its state is the page's: `state.lessons`.)
const lessons = state.lessons;

const el = (tag, props = {}, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k.startsWith('aria-') || k === 'role') e.setAttribute(k, v);
    else e[k] = v;
  }
  e.append(...children);
  return e;
};

function progress() {
  try { return JSON.parse(localStorage.getItem(PROGRESS_KEY) || '{}'); } catch { return {}; }
}
function markDone(key, task) {
  const p = progress();
  (p[key] ||= {})[task] = true;
  try { localStorage.setItem(PROGRESS_KEY, JSON.stringify(p)); } catch { /* storage full or off: progress is not kept */ }
}
function doneCount(key, lesson) {
  const p = progress()[key] || {};
  const tasks = lesson.sections.filter((s) => s.task).map((s) => s.task.source);
  return { done: tasks.filter((s) => p[s]).length, total: tasks.length };
}

async function fetchText(path) {
  const r = await fetch(path, { cache: 'no-cache' });
  if (!r.ok) throw new Error(`${path}: ${r.status}`);
  return r.text();
}

async function builtIns() {
  if (!lessons.index) lessons.index = JSON.parse(await fetchText('lessons/index.json')).lessons;
  return lessons.index;
}

function inlines(list) {
  return list.map((i) => {
    if (i.style === 'plain') return document.createTextNode(i.text);
    return el(i.style === 'code' ? 'code' : i.style, { textContent: i.text });
  });
}

/** A MathML element tree (the core's `lessons::math` form) as DOM elements; also used by
 * the explanations (explain.js). */
export function mathNode(n) {
  if (!MATH_TAGS.has(n.tag)) return document.createTextNode(n.text || '');
  const e = document.createElementNS(MATHML, n.tag);
  if (n.text) e.textContent = n.text;
  for (const c of n.children || []) e.appendChild(mathNode(c));
  if (n.tag === 'math') e.setAttribute('display', 'block');
  return e;
}

function blocks(list) {
  return list.map((b) => {
    if (b.type === 'paragraph') return el('p', {}, ...inlines(b.inlines));
    if (b.type === 'list') return el('ul', {}, ...b.items.map((item) => el('li', {}, ...inlines(item))));
    return el('div', { className: 'formula' }, mathNode(b.math));
  });
}

/** The list of lessons, with each one's progress. */
async function showList() {
  lessons.open = null;
  lessons.host.lab().set_lesson('');
  lessons.host.writeLink();
  const body = $('lesson-body');
  body.replaceChildren(el('p', { className: 'lesson-intro' }, t('lessons.intro')));
  const ol = el('ol', { className: 'lesson-list' });
  body.append(ol);
  try {
    const lang = language();
    for (const name of await builtIns()) {
      const text = await fetchText(`lessons/${lang}/${name}.md`);
      const lesson = lessons.host.wasm.parseLesson(text);
      const { done, total } = doneCount(`${lang}/${name}`, lesson);
      const b = el('button', { type: 'button', className: 'lesson-link' }, lesson.title);
      b.dataset.lesson = name;
      b.addEventListener('click', () => openBuiltIn(name));
      ol.append(el('li', {}, b, ' ', el('small', {}, t('lessons.progress', { done, total }))));
    }
  } catch (e) {
    lessons.host.notices([String(e && e.message ? e.message : e)], t('lessons.unreadable'));
  }
  const input = el('input', { type: 'file', accept: '.md,.markdown,.txt,text/markdown,text/plain', id: 'lesson-file' });
  input.addEventListener('change', async () => {
    const f = input.files && input.files[0];
    if (f) openFile(await f.text(), f.name);
  });
  body.append(el('label', { className: 'file' }, t('lessons.open-file'), ' ', input), el('p', { className: 'small' }, t('lessons.file-hint')));
}

async function openBuiltIn(name, section = 0) {
  try {
    const lang = language();
    const text = await fetchText(`lessons/${lang}/${name}.md`);
    lessons.host.lab().set_lesson(name);
    show(`${lang}/${name}`, name, text, section);
  } catch (e) {
    lessons.host.notices([String(e && e.message ? e.message : e)], t('lessons.unreadable'));
  }
}

/** Opens a lesson file's text (from the picker, a drop or a link). */
export function openFile(text, name = 'lesson') {
  const fits = lessons.host.lab().set_lesson_file(text);
  // Progress of a file is keyed by its title, so a new copy of the same lesson keeps it.
  const lesson = lessons.host.wasm.parseLesson(text);
  show(`file/${lesson.title}`, null, text, 0);
  if (!fits) lessons.host.notices([t('lessons.too-big')], name);
}

function showPanel(on) {
  $('lesson-panel').hidden = !on;
  document.body.classList.toggle('lesson-open', on);
  $('lessons-open').setAttribute('aria-expanded', String(on));
  // The canvases measure their size again in the narrower page.
  lessons.host.relayout();
}

function show(key, name, text, section) {
  const lesson = lessons.host.wasm.parseLesson(text);
  lessons.open = { key, name, text, lesson, section: -1 };
  showPanel(true);
  if (lesson.notices.length) lessons.host.notices(lesson.notices, t('lessons.problems'));
  goTo(Math.min(section, Math.max(0, lesson.sections.length - 1)));
}

function goTo(i) {
  const { lesson } = lessons.open;
  const s = lesson.sections[i];
  lessons.open.section = i;
  lessons.sectionStart = performance.now();
  lessons.lastMet = null;
  const body = $('lesson-body');
  const back = el('button', { type: 'button', className: 'small' }, `← ${t('lessons.all')}`);
  back.addEventListener('click', showList);
  const head = el('div', { className: 'lesson-head' }, back, el('h3', { id: 'lesson-title' }, lesson.title));
  const parts = [head];
  if (i === 0 && lesson.intro.length) parts.push(...blocks(lesson.intro));
  if (!s) { body.replaceChildren(...parts); return; }
  const nav = el('div', { className: 'lesson-nav' });
  const prev = el('button', { type: 'button', disabled: i === 0 }, `‹ ${t('lessons.previous')}`);
  prev.addEventListener('click', () => goTo(i - 1));
  const next = el('button', { type: 'button', disabled: i >= lesson.sections.length - 1 }, `${t('lessons.next')} ›`);
  next.addEventListener('click', () => goTo(i + 1));
  nav.append(prev, el('span', { id: 'lesson-step' }, t('lessons.section', { n: i + 1, total: lesson.sections.length })), next);
  parts.push(nav, el('h4', {}, s.title), ...blocks(s.blocks));
  if (s.experiment) {
    const reload = el('button', { type: 'button', className: 'small' }, t('lessons.reload'));
    reload.addEventListener('click', () => lessons.host.loadSection(s.experiment));
    parts.push(el('p', {}, reload));
  }
  const task = el('div', { className: 'lesson-task', id: 'lesson-task', role: 'status', 'aria-live': 'polite' });
  if (s.task) {
    task.append(el('strong', {}, `${t('lessons.try')}: `), s.task.text || s.task.source,
      el('ul', { id: 'lesson-conditions' }), el('p', { id: 'lesson-verdict' }));
    const extras = el('p', { id: 'lesson-help', hidden: true });
    if (s.task.hint) {
      const hint = el('button', { type: 'button', className: 'small', id: 'lesson-hint' }, t('lessons.hint'));
      hint.addEventListener('click', () => {
        hint.replaceWith(el('span', { className: 'hint' }, s.task.hint));
      });
      extras.append(hint, ' ');
    }
    if (s.task.solution) {
      const sol = el('button', { type: 'button', className: 'small', id: 'lesson-solution' }, t('lessons.solution'));
      sol.addEventListener('click', () => lessons.host.loadSection(s.task.solution));
      extras.append(sol);
    }
    task.append(extras);
  } else {
    task.append(t('lessons.no-task'));
  }
  parts.push(task);
  const share = el('button', { type: 'button', className: 'small' }, t('lessons.share'));
  share.addEventListener('click', async () => {
    if (!lessons.open.name && !lessons.host.lab().set_lesson_file(lessons.open.text)) { lessons.host.notices([t('lessons.too-big')]); return; }
    lessons.host.writeLink();
    try { await navigator.clipboard.writeText(location.href); lessons.host.notices([t('lessons.copied')], location.href); } catch { /* no clipboard: the address bar has it */ }
  });
  parts.push(el('p', {}, share));
  body.replaceChildren(...parts);
  if (s.experiment) lessons.host.loadSection(s.experiment);
  check(true);
}

/** Checks the open section's task against the live experiment (throttled). */
export function check(force = false) {
  if (!lessons.open || lessons.open.section < 0) return;
  const s = lessons.open.lesson.sections[lessons.open.section];
  if (!s || !s.task) return;
  const now = performance.now();
  if (!force && now - lessons.lastCheck < CHECK_EVERY_MS) {
    // Checked again once the interval is over, so the last change is shown even when no
    // frame follows it (training stopped, a setting changed while paused).
    if (!lessons.trailing) lessons.trailing = setTimeout(() => { lessons.trailing = 0; check(); }, CHECK_EVERY_MS - (now - lessons.lastCheck));
    return;
  }
  lessons.lastCheck = now;
  let r;
  try { r = lessons.host.lab().check_task(s.task.source); } catch (e) { r = { met: false, conditions: [], error: String(e) }; }
  const list = $('lesson-conditions');
  if (!list) return;
  list.replaceChildren(...r.conditions.map((c) => el('li', { className: c.met ? 'met' : '' },
    `${c.met ? '✓' : '○'} ${c.condition}`, c.value == null ? '' : ` (${t('lessons.now', { value: c.value })})`)));
  const p = progress()[lessons.open.key] || {};
  const done = r.met || p[s.task.source];
  if (r.met && !p[s.task.source]) markDone(lessons.open.key, s.task.source);
  if (done !== lessons.lastMet) {
    $('lesson-verdict').textContent = done ? `✓ ${t('lessons.done')}` : t('lessons.not-yet');
    $('lesson-task').classList.toggle('done', Boolean(done));
    lessons.lastMet = done;
  }
  $('lesson-help').hidden = done || now - lessons.sectionStart < HINT_AFTER_MS;
}

/** Relabels the open lesson or list in the current language. */
export async function relabel() {
  if ($('lesson-panel').hidden) return;
  if (lessons.open && lessons.open.name) await openBuiltIn(lessons.open.name, lessons.open.section);
  else if (lessons.open) goTo(lessons.open.section);
  else await showList();
}

export function initLessons(h) {
  lessons.host = h;
  $('lessons-open').addEventListener('click', () => {
    if (!$('lesson-panel').hidden) {
      showPanel(false);
      lessons.open = null;
      lessons.host.lab().set_lesson('');
      lessons.host.writeLink();
      return;
    }
    showPanel(true);
    showList();
  });
  $('lesson-close').addEventListener('click', () => $('lessons-open').click());
  // A link that names a lesson (or carries one) opens it.
  const asked = lessons.host.lab().lesson();
  if (asked.lesson) openBuiltIn(asked.lesson);
  else if (asked.file) openFile(asked.file);
}

/** Whether `name` looks like a lesson file (for the page's file drop). */
export function isLessonFile(name) {
  return /\.(md|markdown)$/i.test(name);
}
