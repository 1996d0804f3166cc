// Latih's page: start-up (the build, the Lab, the language, wiring every panel) and the frame
// loop. The panels are modules of their own; the page's state is `state` (state.js). The page
// calls the wasm `Lab` handle for everything else; no ML logic lives here.

import { state, currentFragment, writeLink } from './state.js';
import { $, showNotices, showStatus, showReplay, sizeCanvas } from './ui.js';
import { syncControls, sayLayerCount, syncModelControls, afterExperimentChange, hiddenSizes, setPlaying, wireControls, applyDisplay, applyLimits } from './controls.js';
import { fillRealData, syncDataControls, updateExplore, addOwnData, wireData } from './data.js';
import { drawCursorMark, updateImages, wirePad, wireDrawing } from './drawing.js';
import { buildNetwork, updateLinks } from './network.js';
import { updateStats, updateLegend, updateCaption, updateModelPanel } from './view.js';
import { updateEvaluation, writeConfusionNote, showCv, showLcStatus, labelSearchRows, renderSearchTable, renderPins, wireEvaluation } from './evaluate.js';
import { syncText, wireSharing } from './share.js';
import { saveNow, autosave, offerRestore, wireCrash } from './autosave.js';
import { initLessons, check as checkLesson, relabel as relabelLessons } from './lessons.js';
import { setLanguage, browserLanguage, t, language, LANGUAGES } from './i18n.js';
import { initExplain } from './explain.js';
import { init as initBuilds, needsFull, fullBuild, useFull, guard, retrying, retryEveryListener, settled } from './builds.js';

/** Most milliseconds of training per animation frame. */
const TRAIN_BUDGET_MS = 8;
/** What training plus drawing should take per frame (a 60 Hz frame is 16.7 ms). */
const FRAME_BUDGET_MS = 14;
/** Replaying a trained state a link names (no input to answer meanwhile): frames of about
 *  30 fps, each well under a 50 ms long task with its drawing. */
const REPLAY_BUDGET_MS = 30;

function bindings() {
  return new Promise((resolve) => {
    if (window.wasmBindings) resolve(window.wasmBindings);
    else addEventListener('TrunkApplicationStarted', () => resolve(window.wasmBindings), { once: true });
  });
}

/**
 * After the language changed: everything the page wrote itself is written again in it (the
 * marked elements are relabelled by setLanguage; the views follow on the next frame).
 */
function relabel() {
  const s = state.lab.settings();
  setPlaying(state.playing);
  fillRealData();
  if (state.userFileName) addOwnData(state.userFileName);
  $('data').value = s.data;
  // The parts of syncControls that say something (the rest would also clear the picked cell).
  syncDataControls(s);
  syncModelControls(s);
  sayLayerCount(hiddenSizes().length);
  labelSearchRows();
  writeConfusionNote();
  updateExplore();
  if (state.searchView) renderSearchTable();
  renderPins();
  if (state.lastCv) showCv(state.lastCv);
  if (state.lastLc) showLcStatus(state.lastLc);
  if (state.restoreText && !$('restore').hidden) state.restoreText();
  state.imagesAt = { key: '', time: 0 };
  state.legendKey = '';
  state.structureDirty = true;
  state.dirty = true;
  updateEvaluation(state.lab.stats(), true);
}

/** The language (the link's, else the browser's) and the Lessons panel. */
function startLessons(wasm) {
  const select = $('lang');
  for (const [code, name] of Object.entries(LANGUAGES)) select.append(new Option(name, code));
  select.value = language();
  select.addEventListener('change', () => {
    state.lab.set_lang(select.value);
    setLanguage(select.value);
    relabel();
    showStatus(state.lab.stats());
    writeLink('replace');
    relabelLessons();
  });
  initLessons({
    lab: () => state.lab,
    wasm,
    loadSection: retrying((link) => {
      setPlaying(false);
      const notices = state.lab.load_section(link);
      if (notices.length) showNotices(notices);
      applyDisplay();
      writeLink('push');
      afterExperimentChange();
    }),
    writeLink: () => writeLink('replace'),
    notices: showNotices,
    relayout() { state.structureDirty = true; state.dirty = true; },
  });
}

/** Queues the next frame unless one is queued (recovery must not start a second loop). */
export function schedule() {
  if (state.frameQueued) return;
  state.frameQueued = true;
  requestAnimationFrame(() => { state.frameQueued = false; frame(); });
}

function frame() {
  // While the crash panel is shown the loop stops; recovery starts it again.
  if (state.crashed) return;
  let stats = null;
  let layoutChanged = false;
  // A replay ended by Play, Step or another experiment: its progress line goes.
  if (!state.lab.replaying() && $('status').classList.contains('replaying')) showStatus(state.lab.stats());
  if (state.playing) {
    // Train for what drawing leaves of the frame: while the engine still runs unoptimised
    // code (the first frames), or on a slow phone, frames stay short instead of blocking.
    state.lab.train(Math.max(2, Math.min(TRAIN_BUDGET_MS, FRAME_BUDGET_MS - state.drawMs)), 0);
    stats = state.lab.stats();
    if (stats.status.state !== 'ready') { setPlaying(false); showStatus(stats); }
    state.dirty = true;
  } else if (state.lab.replaying()) {
    // A link or file named a trained state without its weights: its training is replayed
    // in frames, as Play trains, until the state is reached.
    const target = state.lab.replay_target();
    // Nothing else is going on: most of a frame goes to it, still short of a long task.
    const done = state.lab.replay_step(REPLAY_BUDGET_MS);
    stats = state.lab.stats();
    if (done < 1) showReplay(done, target);
    else { showStatus(stats); updateEvaluation(stats, true); }
    state.dirty = true;
  }
  if (state.structureDirty) {
    if (!$('mlp-panel').hidden) buildNetwork();
    else sizeCanvas($('model-chart'));
    // Canvas sizes change only with the layout: measure them here, not every frame.
    sizeCanvas($('view'));
    sizeCanvas($('loss-chart'));
    state.structureDirty = false;
    layoutChanged = true;
    state.dirty = true;
  }
  checkLesson();
  if (state.dirty) {
    const drawStart = performance.now();
    stats = stats || state.lab.stats();
    state.lab.draw($('view'), state.neuronCanvases, state.focus.layer, state.focus.neuron);
    drawCursorMark();
    state.lab.draw_loss($('loss-chart'));
    if (stats.model === 'mlp') updateLinks(state.lab.network());
    else updateModelPanel(stats, layoutChanged);
    updateStats(stats);
    updateImages(stats, layoutChanged);
    updateLegend(stats);
    updateCaption(stats);
    updateEvaluation(stats, layoutChanged);
    autosave();
    state.dirty = false;
    state.drawMs = 0.7 * state.drawMs + 0.3 * (performance.now() - drawStart);
    // Milliseconds from navigation to the first drawn frame (reported by the e2e tests).
    if (window.latih && window.latih.firstDrawMs === undefined) window.latih.firstDrawMs = performance.now();
  }
  schedule();
}

/**
 * Hands the experiment (its trained state and loss history too) to a Lab of the full build and
 * makes that build the page's: what follows runs exactly as it would have on the first.
 */
function moveTo(module) {
  if (state.wasm === module) return;
  let handed = null;
  try {
    handed = state.lab.handover();
  } catch {
    // A Lab a crash left unusable: its link opens instead.
  }
  const next = new module.Lab(handed ? '' : currentFragment());
  let notices = [];
  try {
    if (handed) notices = next.take_over(handed);
  } catch (e) {
    next.free();
    throw e;
  }
  const before = state.lab;
  state.lab = next;
  state.wasm = module;
  try { before.free(); } catch { /* already unusable */ }
  if (notices.length) showNotices(notices);
  // Everything drawn or built from the old Lab is drawn again from the new one.
  state.structureDirty = true;
  state.dirty = true;
  state.edaKey = '';
  state.evalKey = '';
  schedule();
}

/** The status line while the full build downloads. */
function showLoadingFull(on) {
  const el = $('status');
  if (on) {
    el.textContent = t('full.loading');
    el.className = 'status loading';
    el.hidden = false;
  } else if (el.classList.contains('loading')) {
    el.hidden = true;
    el.className = 'status';
    if (state.lab) showStatus(state.lab.stats());
  }
}

/** Says that the full build could not be had (offline before it was ever loaded, say). */
function fullFailed(error) {
  showNotices([String(error && error.message ? error.message : error)], t('full.failed'));
}

async function main() {
  const wasm = await bindings();
  state.wasm = wasm;
  initBuilds(wasm, { move: moveTo, loading: showLoadingFull, failed: fullFailed });
  // From here on, a control whose work needs the full build waits for it and runs again.
  retryEveryListener();
  state.models = wasm.models();
  state.datasets = wasm.datasets();
  applyLimits(wasm.experimentSettings());
  try {
    state.lab = guard(new wasm.Lab(currentFragment()));
  } catch (e) {
    // A link to a model family, a table or a file's data: the full build opens it.
    if (!needsFull(e)) throw e;
    showLoadingFull(true);
    try {
      state.wasm = await fullBuild();
      state.lab = new state.wasm.Lab(currentFragment());
    } catch (failed) {
      // Offline before the full build was ever loaded: the default experiment, and why.
      state.lab = guard(new wasm.Lab(''));
      fullFailed(failed);
    }
    showLoadingFull(false);
  }
  // The language: the link's, else the browser's; everything below is built in it.
  const lang = state.lab.lesson().lang || browserLanguage();
  setLanguage(lang);
  // The core writes its status and summaries in the page's language too (an English page
  // leaves the link as it was).
  if (lang !== 'en' && !state.lab.lesson().lang) state.lab.set_lang(lang);
  setPlaying(false);
  fillRealData();
  if (state.lab.settings().data === 'csv') addOwnData(() => t('data.from-link'));
  const notices = state.lab.notices();
  if (location.hash !== '' && location.hash !== '#') showNotices(notices);
  writeLink('replace');
  wireControls();
  wireData();
  wireDrawing();
  wirePad();
  wireSharing();
  wireEvaluation();
  wireCrash();
  applyDisplay();
  syncControls();
  syncText();
  showStatus(state.lab.stats());
  // Tests and the console reach the live lab here.
  window.latih = {
    get lab() { return state.lab; },
    get playing() { return state.playing; },
    setPlaying,
    redraw() { state.dirty = true; },
    get models() { return state.models; },
    saveNow() { state.saveKey = ''; saveNow(); },
    parseLesson: (text) => wasm.parseLesson(text),
    csvLimit: wasm.csvLimit(),
    /** Which build runs the page, and the move to the full one (tests, the console). */
    get build() { return state.wasm.isFull() ? 'full' : 'playground'; },
    full: useFull,
    settled,
  };
  updateExplore();
  startLessons(wasm);
  initExplain({ getLab: () => state.lab, models: () => state.models, formula: (tex) => wasm.formula(tex) });
  offerRestore();
  addEventListener('pagehide', saveNow);
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'hidden') saveNow(); });
  schedule();
  await warmUp(state.wasm);
  document.body.classList.add('ready');
  // Works offline after this visit (sw.js caches the app); it is absent where service
  // workers are not allowed (a file:// page, a private mode), and the app does not need it.
  if ('serviceWorker' in navigator && location.protocol !== 'file:') {
    navigator.serviceWorker.register('sw.js').catch(() => {});
  }
}

/**
 * Runs the hot paths (training, evaluation, the grid) on a throwaway Lab for a moment after
 * the first frame. The engine first runs wasm unoptimised and compiles hot functions
 * optimised in the background; without this the first frames after Play are several times
 * slower than the rest and block the page for 50-70 ms. Slices of a few ms keep it smooth.
 */
async function warmUp(wasm) {
  const scratch = new wasm.Lab(state.lab.link());
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 32;
  const end = performance.now() + 250;
  while (performance.now() < end) {
    scratch.train(4, 0);
    scratch.draw(canvas, [], -1, -1);
    await new Promise((r) => setTimeout(r, 0));
  }
  scratch.free();
}

main().catch((e) => {
  const el = $('status');
  el.textContent = t('start-failed', { error: e && e.message ? e.message : e });
  el.hidden = false;
  throw e;
});
