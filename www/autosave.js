// Autosave and recovery: the experiment is kept in this browser's storage, and offered again
// on the next visit; a failure inside the core shows the crash panel and reopens the
// experiment in a new Lab.

import { state, currentFragment, writeLink } from './state.js';
import { $, showNotices } from './ui.js';
import { setPlaying, afterOpening } from './controls.js';
import { openSavedFile } from './data.js';
import { schedule } from './app.js';
import { t, language } from './i18n.js';
import { needsFull, guard, retrying } from './builds.js';

// The experiment is kept in this browser's storage as it changes (with its data and trained
// state when they fit), so closing the tab or a crash loses nothing: the next visit offers it.
const SAVE_KEY = 'latih.autosave.v1';
const SAVE_MAX_CHARS = 4_000_000;  // localStorage holds about 5 MB per site
const SAVE_CSV_MAX_BYTES = 8_000_000;
const SAVE_EVERY_MS = 3000;

function readSaved() {
  try {
    const saved = JSON.parse(localStorage.getItem(SAVE_KEY) || 'null');
    return saved && typeof saved.link === 'string' ? saved : null;
  } catch {
    return null;
  }
}

export function saveNow() {
  // (While a link's trained state is replayed, a save would hold a partial state of it.)
  if (!state.lab || state.offering || state.lab.display().embed || state.lab.replaying()) return;
  const stats = state.lab.stats();
  const link = state.lab.link();
  const key = `${link}|${stats.epoch}`;
  if (key === state.saveKey) return;
  state.saveKey = key;
  const own = state.lab.settings().data === 'csv';
  const csv = own && state.lastCsv && state.lastCsv.bytes.length <= SAVE_CSV_MAX_BYTES ? state.lastCsv.bytes : undefined;
  const withData = !own || csv !== undefined || state.lab.holds_data();
  const record = { time: Date.now(), link, epoch: stats.epoch, kind: 'link', file: null, data: withData ? null : (state.userFile || 'your file') };
  if (withData) {
    try {
      const file = state.lab.model_file(csv);
      if (file.length <= SAVE_MAX_CHARS) Object.assign(record, { kind: 'model', file });
    } catch { /* an unsaveable state: the link alone */ }
  }
  const linkOnly = { ...record, kind: 'link', file: null, data: own && !state.lab.link_has_data() ? (state.userFile || 'your file') : null };
  if (record.kind === 'link') Object.assign(record, linkOnly);
  for (const r of [record, linkOnly]) {
    try {
      localStorage.setItem(SAVE_KEY, JSON.stringify(r));
      return;
    } catch { /* over the quota: try the link alone */ }
  }
}

/** Saves now, or once the last save is SAVE_EVERY_MS old (a change in between is not lost). */
export function autosave() {
  const wait = SAVE_EVERY_MS - (performance.now() - state.saveAt);
  if (wait > 0) {
    if (!state.saveTimer) state.saveTimer = setTimeout(() => { state.saveTimer = 0; autosave(); }, wait);
    return;
  }
  state.saveAt = performance.now();
  saveNow();
}

export function offerRestore() {
  const saved = readSaved();
  if (!saved || state.lab.display().embed) return;
  if (saved.link === state.lab.link() && !saved.epoch) return;
  state.offering = true;
  state.restoreText = () => {
    const when = language() === 'en' ? new Date(saved.time).toLocaleString() : new Date(saved.time).toLocaleString(language());
    const what = saved.epoch ? t(saved.epoch === 1 ? 'restore.trained-one' : 'restore.trained', { n: saved.epoch }) : t('restore.untrained');
    const data = saved.data ? ' ' + t('restore.data', { name: saved.data }) : '';
    $('restore-text').textContent = t('restore.text', { what, when }) + data;
  };
  state.restoreText();
  $('restore').hidden = false;
  const done = () => { state.offering = false; $('restore').hidden = true; state.saveKey = ''; };
  $('restore-yes').onclick = retrying(() => {
    // (The offer stays until the experiment is open: a move to the full build in between must
    // not let autosave write over what is offered.)
    if (saved.kind === 'model' && saved.file) {
      openSavedFile((b) => state.lab.open_model_file(b), new TextEncoder().encode(saved.file), t('restore.name'), (n) => n.length ? n : [t('restore.done-model')]);
      done();
    } else {
      const notices = state.lab.load(saved.link);
      done();
      afterOpening(saved.data || (() => t('data.from-link')));
      showNotices(notices.length ? notices : [t('restore.done-link')], t('restore.done'));
    }
    writeLink('push');
  });
  $('restore-no').onclick = done;
}

// A panic in the core traps the wasm call and leaves its Lab unusable. The page says what
// failed, keeps the experiment, and on "Reset and continue" opens it in a new Lab (from the
// autosave, which holds the data and trained state, or from the link) without reloading.

function isCoreFailure(error) {
  if (!error) return false;
  if (typeof WebAssembly !== 'undefined' && error instanceof WebAssembly.RuntimeError) return true;
  return /recursive use of an object|null pointer passed to rust|unreachable/i.test(String(error.message || error));
}

function onCrash(error) {
  if (!isCoreFailure(error) || state.crashed) return;
  setPlaying(false);
  const panic = state.wasm ? state.wasm.lastPanic() : '';
  state.crashed = { message: panic || String(error.message || error), link: location.href };
  $('crash-text').textContent = state.crashed.message;
  $('crash-copied').textContent = '';
  $('crash').hidden = false;
  $('crash-reset').focus();
}

function recover() {
  const saved = readSaved();
  const fragment = currentFragment();
  let fresh;
  try {
    fresh = new state.wasm.Lab(fragment);
  } catch (e) {
    if (needsFull(e)) throw e; // (the listener moves to the full build and recovers there)
    fresh = new state.wasm.Lab('');
  }
  state.lab = guard(fresh);
  state.crashed = null;
  $('crash').hidden = true;
  if (saved && saved.kind === 'model' && saved.file && saved.link === fragment) {
    try { state.lab.open_model_file(new TextEncoder().encode(saved.file)); } catch { /* the link alone */ }
  } else if (state.lab.settings().data === 'csv' && !state.lab.link_has_data() && state.lastCsv) {
    showNotices([t('crash.reopen-file')], t('crash.reopened'));
  }
  afterOpening(state.userFileName || state.userFile || (() => t('data.from-link')));
  state.structureDirty = true;
  schedule();
}

export function wireCrash() {
  addEventListener('error', (e) => onCrash(e.error));
  addEventListener('unhandledrejection', (e) => onCrash(e.reason));
  $('crash-reset').addEventListener('click', recover);
  $('crash-report').addEventListener('click', async () => {
    const report = `Latih failed: ${state.crashed ? state.crashed.message : ''}\nExperiment: ${state.crashed ? state.crashed.link : location.href}\nBrowser: ${navigator.userAgent}`;
    try {
      await navigator.clipboard.writeText(report);
      $('crash-copied').textContent = t('crash.copied');
    } catch {
      $('crash-copied').textContent = report;
    }
  });
}
