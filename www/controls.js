// The controls: the hyperparameters, the task and model pickers with each model's settings
// (built from the core's registry), features and layers, Play/Step/Reset, embed mode (the
// link's show= and hide=), and what follows any change of the experiment.

import { state, currentFragment, writeLink } from './state.js';
import { $, showNotices, showStatus } from './ui.js';
import { syncDataControls, updateExplore, addOwnData } from './data.js';
import { syncEvalControls } from './evaluate.js';
import { syncText } from './share.js';
import { t, translate, language } from './i18n.js';

const LEARNING_RATES = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
const REG_RATES = [0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
export const FEATURE_KEYS = ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1', 'sinx2'];
export const FEATURE_LABELS = { x1: 'x₁', x2: 'x₂', x1sq: 'x₁²', x2sq: 'x₂²', x1x2: 'x₁x₂', sinx1: 'sin x₁', sinx2: 'sin x₂' };

/** Takes the limits of the core's settings table (`experimentSettings()`): the network's most
 *  layers and neurons, and the number inputs' ranges, so the page copies no limit. */
export function applyLimits(table) {
  const check = (key) => table.settings.find((s) => s.key === key)?.check;
  const hidden = check('hidden');
  state.limits.layers = hidden.max_len;
  state.limits.neurons = hidden.max;
  for (const key of ['batch', 'stop']) {
    const { min, max } = check(key);
    $(key).min = String(min);
    $(key).max = String(max);
  }
}

function fillSelect(sel, values, current) {
  const cur = Number(current);
  const vals = values.includes(cur) ? values : [...values, cur].sort((a, b) => a - b);
  sel.textContent = '';
  for (const v of vals) {
    const o = document.createElement('option');
    o.value = String(v);
    o.textContent = String(v);
    sel.appendChild(o);
  }
  sel.value = String(cur);
}

export function syncControls() {
  const s = state.lab.settings();
  fillSelect($('lr'), LEARNING_RATES, s.lr);
  fillSelect($('rate'), REG_RATES, s.rate);
  for (const id of ['act', 'opt', 'reg', 'data']) $(id).value = s[id];
  for (const id of ['batch', 'stop', 'classes', 'samples', 'train', 'noise', 'dseed', 'seed']) $(id).value = s[id];
  $('train-out').textContent = s.train;
  $('noise-out').textContent = s.noise;
  $('test').checked = s.test === '1';
  $('discrete').checked = s.discrete === '1';
  $('classes-row').hidden = s.data !== 'blobs';
  syncDataControls(s);
  syncModelControls(s);
  syncEvalControls(s);
  $('rate').disabled = s.reg === 'none';
  const hidden = s.hidden === '' ? [] : s.hidden.split(',').map(Number);
  sayLayerCount(hidden.length);
  $('add-layer').disabled = hidden.length >= state.limits.layers;
  $('remove-layer').disabled = hidden.length === 0;
}

export function sayLayerCount(n) {
  $('layer-count').textContent = t(n === 1 ? 'layers.count-one' : 'layers.count', { n });
}

export function syncModelControls(s) {
  // The core says what kind of problem this is (the MLP's follows the data).
  const kind = state.lab.stats().kind;
  $('task').value = kind;
  const sel = $('model');
  const options = state.models.filter((m) => m.kind === kind);
  const want = options.map((m) => m.id).join(',');
  if (sel.dataset.ids !== want || sel.dataset.lang !== language()) {
    sel.dataset.lang = language();
    sel.textContent = '';
    for (const m of options) {
      const o = document.createElement('option');
      o.value = m.id;
      o.textContent = translate(`model.${m.id}.name`, m.name);
      sel.appendChild(o);
    }
    sel.dataset.ids = want;
  }
  sel.value = s.model;
  const entry = state.models.find((m) => m.id === s.model && m.kind === kind);
  $('model-hint').textContent = entry ? translate(`model.${entry.id}.hint`, entry.hint) : '';
  const mlp = s.model === 'mlp';
  $('mlp-panel').hidden = !mlp;
  $('mlp-hyper').hidden = !mlp;
  $('model-panel').hidden = mlp;
  $('epoch-label').textContent = t(mlp ? 'epoch' : 'iteration');
  $('step').title = t(mlp ? 'step.title' : 'step.title-iteration');
  buildModelSettings(entry, s);
  // The plane's features (x1, x1², ...) mean nothing for a table, whose inputs are its columns.
  document.querySelector('#model-panel .feature-toggles').hidden = Boolean(state.lab.stats().tabular);
  for (const box of document.querySelectorAll('#feature-toggles input')) {
    box.checked = s.features.split(',').includes(box.value);
  }
}

/** One labelled control per setting of the model, built from the core's schema. */
function buildModelSettings(entry, s) {
  const box = $('model-settings');
  const key = entry ? entry.id + ':' + entry.kind + ':' + language() : '';
  if (key !== state.settingsKey) {
    state.settingsKey = key;
    box.textContent = '';
    for (const st of (entry ? entry.settings : [])) {
      const label = document.createElement('label');
      label.title = settingText(entry.id, st, 'hint');
      const name = document.createElement('span');
      name.textContent = settingText(entry.id, st, 'label');
      let input;
      if (st.type === 'choice') {
        input = document.createElement('select');
        for (const o of st.options) {
          const opt = document.createElement('option');
          opt.value = o;
          opt.textContent = translate(`choice.${o}`, o);
          input.appendChild(opt);
        }
      } else {
        input = document.createElement('input');
        input.type = 'number';
        input.min = String(st.min);
        input.max = String(st.max);
        input.step = st.type === 'int' ? '1' : 'any';
        input.inputMode = st.type === 'int' ? 'numeric' : 'decimal';
      }
      input.id = 'set-' + st.key;
      input.dataset.key = st.key;
      input.addEventListener('change', () => {
        if (input.value.trim() === '') { syncControls(); return; }
        change(st.key, input.value);
      });
      const hint = document.createElement('small');
      hint.textContent = label.title;
      label.append(name, input, hint);
      box.appendChild(label);
    }
  }
  for (const input of box.querySelectorAll('[data-key]')) {
    const v = s[input.dataset.key];
    if (v !== undefined && document.activeElement !== input) input.value = v;
  }
}

/** A setting's label or hint (`what`) from the core's schema, in the page's language: the
 *  catalogue's words for this model's setting, else for the setting in every model. */
export function settingText(model, st, what) {
  return translate([`setting.${model}.${st.key}.${what}`, `setting.${st.key}.${what}`], st[what]);
}

/** Switches the task: the first model of that kind, and data that suits it. */
function changeTask(kind) {
  const s = state.lab.settings();
  const regressionData = state.lab.stats().task === 'regression';
  if (kind === 'regression' && !regressionData) state.lab.set('data', 'plane');
  if (kind === 'classification' && regressionData) state.lab.set('data', 'circle');
  if (kind === 'clustering' && regressionData) state.lab.set('data', 'blobs');
  const first = state.models.find((m) => m.kind === kind);
  change('model', first ? first.id : 'mlp');
}

/** Applies one setting; `history` is 'push' (a discrete change) or 'replace' (mid-drag). */
export function change(key, value, history = 'push') {
  const notices = state.lab.set(key, String(value));
  if (notices.length) showNotices(notices, t('notice.adjusted'));
  writeLink(history);
  afterExperimentChange();
}

export function afterExperimentChange() {
  syncControls();
  syncText();
  updateExplore();
  state.structureDirty = true;
  state.dirty = true;
  const stats = state.lab.stats();
  showStatus(stats);
  if (stats.status.state !== 'ready') setPlaying(false);
}

export function hiddenSizes() {
  const h = state.lab.settings().hidden;
  return h === '' ? [] : h.split(',').map(Number);
}

export function setHidden(sizes) {
  change('hidden', sizes.join(','));
}

export function setPlaying(on) {
  state.playing = on;
  state.dirty = true;
  const b = $('play');
  b.setAttribute('aria-pressed', String(on));
  const label = document.createElement('span');
  label.textContent = t(on ? 'pause' : 'play');
  b.replaceChildren(on ? '❚❚ ' : '▶ ', label);
}

export function wireControls() {
  for (const id of ['lr', 'act', 'opt', 'reg', 'rate']) {
    $(id).addEventListener('change', (e) => change(id, e.target.value));
  }
  $('task').addEventListener('change', (e) => changeTask(e.target.value));
  $('model').addEventListener('change', (e) => change('model', e.target.value));
  for (const key of FEATURE_KEYS) {
    const label = document.createElement('label');
    label.className = 'check';
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.value = key;
    box.addEventListener('change', () => {
      const cur = new Set(state.lab.settings().features.split(','));
      if (box.checked) cur.add(key); else cur.delete(key);
      if (cur.size === 0) { box.checked = true; return; } // at least one input
      change('features', FEATURE_KEYS.filter((k) => cur.has(k)).join(','));
    });
    label.append(box, document.createTextNode(' ' + FEATURE_LABELS[key]));
    $('feature-toggles').appendChild(label);
  }
  for (const id of ['batch', 'stop', 'classes', 'samples', 'dseed', 'seed']) {
    $(id).addEventListener('change', (e) => {
      if (e.target.value.trim() === '') { syncControls(); return; }
      change(id, e.target.value);
    });
  }
  for (const id of ['train', 'noise']) {
    const el = $(id);
    // One history entry per drag: push on its first movement, replace while it goes on.
    el.addEventListener('input', () => {
      $(id + '-out').textContent = el.value;
      change(id, el.value, state.dragging ? 'replace' : 'push');
      state.dragging = true;
    });
    el.addEventListener('change', () => { state.dragging = false; });
  }
  for (const id of ['test', 'discrete']) {
    $(id).addEventListener('change', (e) => change(id, e.target.checked ? 1 : 0));
  }
  $('play').addEventListener('click', () => {
    if (!state.playing) {
      const st = state.lab.stats().status.state;
      if (st === 'diverged' || st === 'failed') return;
      if (st === 'done') { state.lab.reset(); afterExperimentChange(); }
      if (st === 'stopped') state.lab.resume();
      showStatus(state.lab.stats());
    }
    setPlaying(!state.playing);
  });
  $('step').addEventListener('click', () => {
    setPlaying(false);
    state.lab.step();
    state.dirty = true;
    showStatus(state.lab.stats());
  });
  $('reset').addEventListener('click', () => {
    state.lab.reset();
    afterExperimentChange();
  });
  $('regenerate').addEventListener('click', () => {
    // A fresh data seed; it goes into the link, so the new data is reproducible too.
    const seed = Math.floor(Math.random() * 1e9) + 1;
    change('dseed', seed);
  });
  $('add-layer').addEventListener('click', () => {
    const h = hiddenSizes();
    if (h.length < state.limits.layers) setHidden([...h, h.length ? h[h.length - 1] : 4]);
  });
  $('remove-layer').addEventListener('click', () => {
    const h = hiddenSizes();
    if (h.length) setHidden(h.slice(0, -1));
  });
  $('notice-close').addEventListener('click', () => { $('notice').hidden = true; });
  addEventListener('popstate', () => {
    setPlaying(false);
    showNotices(state.lab.load(currentFragment()));
    applyDisplay();
    afterExperimentChange();
  });
  addEventListener('resize', () => { state.structureDirty = true; state.dirty = true; });
  document.addEventListener('keydown', (e) => {
    const tag = (e.target && e.target.tagName) || '';
    if (e.key === ' ' && !['INPUT', 'SELECT', 'BUTTON', 'TEXTAREA', 'SUMMARY'].includes(tag)) {
      e.preventDefault();
      $('play').click();
    }
  });
}

/** What each name of a link's hide= list hides (elements, or a lock on a group). */
const HIDE_TARGETS = {
  data: ['#data'], target: ['#target'], framing: ['#framing'], missing: ['#missing'], view: ['#view-mode', '#view-pair'],
  file: ['#csv-drop'], train: ['#train'], classes: ['#classes'], samples: ['#samples'], noise: ['#noise'],
  regenerate: ['#regenerate'], dseed: ['#dseed'], seed: ['#seed'], task: ['#task'], model: ['#model'],
  settings: ['#model-settings'], act: ['#act'], opt: ['#opt'], lr: ['#lr'], batch: ['#batch'], reg: ['#reg'],
  rate: ['#rate'], stop: ['#stop'], test: ['#test'], discrete: ['#discrete'], play: ['#play'], reset: ['#reset'],
  step: ['#step'], share: ['#share'], exports: ['.exports'], strat: ['#strat'], folds: ['#folds'],
  features: ['lock-features'], hidden: ['lock-hidden'],
};

/** Applies how the link asks to show the experiment: embed mode, its panels, hidden controls. */
export function applyDisplay() {
  const d = state.lab.display();
  document.body.classList.toggle('embed', d.embed);
  for (const el of document.querySelectorAll('[data-panel]')) el.hidden = !d.panels.includes(el.dataset.panel);
  for (const el of document.querySelectorAll('.hidden-by-link')) el.classList.remove('hidden-by-link');
  for (const [name, targets] of Object.entries(HIDE_TARGETS)) {
    const hide = d.hide.includes(name);
    for (const t of targets) {
      if (!t.startsWith('#') && !t.startsWith('.')) { document.body.classList.toggle(t, hide); continue; }
      const el = document.querySelector(t);
      if (!el || !hide) continue;
      // A setting's whole label goes (its text with it); a button or a group goes itself.
      (el.closest('label') || el).classList.add('hidden-by-link');
    }
  }
  // Seeds with both seeds hidden: the empty disclosure goes too.
  document.querySelector('.seeds').classList.toggle('hidden-by-link', d.hide.includes('dseed') && d.hide.includes('seed'));
  $('open-full').hidden = !d.embed;
  $('open-full').href = location.href.split('#')[0] + '#' + d.full;
  state.structureDirty = true;
}

/** After a link, a text or a file replaced the experiment: pickers, link and views follow. */
export function afterOpening(dataName) {
  setPlaying(false);
  applyDisplay();
  if (state.lab.settings().data === 'csv') addOwnData(dataName);
  writeLink('push');
  afterExperimentChange();
}
