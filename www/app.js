// Latih's page controller. It owns the DOM (lookup, events, layout, URL sync, the animation
// loop) and calls the wasm `Lab` handle for everything else; no ML logic lives here.

import { initLessons, check as checkLesson, relabel as relabelLessons, openFile as openLessonFile, isLessonFile } from './lessons.js';
import { setLanguage, browserLanguage, t, translate, language, LANGUAGES } from './i18n.js';
import { initExplain } from './explain.js';
import { init as initBuilds, needsFull, fullBuild, useFull, guard, retrying, retryEveryListener, runtime, playgroundOpens, settled } from './builds.js';

const LEARNING_RATES = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
const REG_RATES = [0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
const FEATURE_KEYS = ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1', 'sinx2'];
const FEATURE_LABELS = { x1: 'x₁', x2: 'x₂', x1sq: 'x₁²', x2sq: 'x₂²', x1x2: 'x₁x₂', sinx1: 'sin x₁', sinx2: 'sin x₂' };
const MAX_LAYERS = 10;
const MAX_NEURONS = 64;
/** Most milliseconds of training per animation frame. */
const TRAIN_BUDGET_MS = 8;
/** What training plus drawing should take per frame (a 60 Hz frame is 16.7 ms). */
const FRAME_BUDGET_MS = 14;
/** Replaying a trained state a link names (no input to answer meanwhile): frames of about
 *  30 fps, each well under a 50 ms long task with its drawing. */
const REPLAY_BUDGET_MS = 30;

const $ = (id) => document.getElementById(id);
let MODELS = [];           // the core's model catalogue: [{id, name, kind, hint, settings}]
let DATASETS = [];         // the shipped real datasets: [{id, name, about, source, licence}]
let userFile = '';         // name of the person's CSV file, once one is loaded
let userFileName = null;   // how to say userFile again in another language, when the page named it
let edaKey = '';           // the data the EDA panel shows
let matrixPicks = [];      // column indices in the scatter matrix (at most 6)
const MAX_MATRIX = 6;
/** Most input nodes drawn on the network view (a table can have dozens of inputs). */
const MAX_INPUT_NODES = 16;
let settingsKey = '';      // the model whose settings controls are built

let WASM = null;           // the wasm module's exports (static functions)
let lab = null;
let playing = false;
let dirty = true;          // views need a redraw
let structureDirty = true; // the network's shape changed: rebuild its DOM
let focus = { layer: -1, neuron: -1 };
let dragging = false;      // a slider drag in progress already pushed its history entry
let neuronCanvases = [];
let linkPaths = [];        // [{path, hit, l, j, i}]
let drawMs = 8;            // recent cost of drawing a frame (moving average)

function bindings() {
  return new Promise((resolve) => {
    if (window.wasmBindings) resolve(window.wasmBindings);
    else addEventListener('TrunkApplicationStarted', () => resolve(window.wasmBindings), { once: true });
  });
}

function currentFragment() {
  return decodeURIComponent(location.hash.replace(/^#/, ''));
}

// ---------- URL sync ----------
function writeLink(mode) {
  const url = '#' + lab.link();
  if (url === location.hash) return;
  if (mode === 'push') history.pushState(null, '', url);
  else history.replaceState(null, '', url);
}

// ---------- notices ----------
function showNotices(list, title) {
  const box = $('notice');
  const text = $('notice-text');
  text.textContent = '';
  if (!list || list.length === 0) { box.hidden = true; return; }
  const head = document.createElement('strong');
  head.textContent = title || t('notice.changed');
  const ul = document.createElement('ul');
  for (const n of list) {
    const li = document.createElement('li');
    // The core writes its notices in English; it translates them for an Indonesian page.
    li.textContent = lab ? lab.localize(String(n)) : n; // user text is always shown as text
    ul.appendChild(li);
  }
  text.append(head, ul);
  box.hidden = false;
}

function showStatus(stats) {
  const el = $('status');
  const s = stats.status;
  // While drawing, "draw more points" shows in the view's caption: a box appearing above the
  // columns would move the view under the pointer.
  if (s.state === 'ready' || (stats.data === 'drawn' && s.state === 'failed')) { el.hidden = true; el.textContent = ''; el.className = 'status'; return; }
  el.textContent = s.message;
  el.className = 'status ' + s.state;
  el.hidden = false;
}

/** The status line while a trained state is replayed: how far it is. */
function showReplay(done, target) {
  const el = $('status');
  el.textContent = t('status.replaying', { epoch: target.toLocaleString('en'), percent: Math.floor(done * 100) });
  el.className = 'status replaying';
  el.hidden = false;
}

// ---------- controls ----------
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

function syncControls() {
  const s = lab.settings();
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
  $('add-layer').disabled = hidden.length >= MAX_LAYERS;
  $('remove-layer').disabled = hidden.length === 0;
}

function sayLayerCount(n) {
  $('layer-count').textContent = t(n === 1 ? 'layers.count-one' : 'layers.count', { n });
}

/**
 * After the language changed: everything the page wrote itself is written again in it (the
 * marked elements are relabelled by setLanguage; the views follow on the next frame).
 */
function relabel() {
  const s = lab.settings();
  setPlaying(playing);
  fillRealData();
  if (userFileName) addOwnData(userFileName);
  $('data').value = s.data;
  // The parts of syncControls that say something (the rest would also clear the picked cell).
  syncDataControls(s);
  syncModelControls(s);
  sayLayerCount(hiddenSizes().length);
  labelSearchRows();
  writeConfusionNote();
  updateExplore();
  if (searchView) renderSearchTable();
  renderPins();
  if (lastCv) showCv(lastCv);
  if (lastLc) showLcStatus(lastLc);
  if (restoreText && !$('restore').hidden) restoreText();
  imagesAt = { key: '', time: 0 };
  legendKey = '';
  structureDirty = true;
  dirty = true;
  updateEvaluation(lab.stats(), true);
}

/** The shipped datasets in the data picker, named in the page's language. */
function fillRealData() {
  const group = $('real-data');
  DATASETS.forEach((d, i) => {
    const o = group.children[i] || group.appendChild(document.createElement('option'));
    o.value = d.id;
    o.textContent = translate(`dataset.${d.id}.name`, d.name);
  });
}

/** Names in a link value: comma-separated, each percent-encoded. */
function linkNames(v) {
  return (v || '').split(',').filter((x) => x !== '').map(decodeURIComponent);
}
function namesValue(names) {
  return names.map(encodeURIComponent).join(',');
}

function fillOptions(sel, values, current) {
  const want = values.join('\u0000');
  if (sel.dataset.values !== want) {
    sel.textContent = '';
    for (const v of values) {
      const o = document.createElement('option');
      o.value = v;
      o.textContent = v; // column names are user text: always text
      sel.appendChild(o);
    }
    sel.dataset.values = want;
  }
  sel.value = current;
}

function syncDrawControls(s) {
  const drawing = s.data === 'drawn';
  $('draw-options').hidden = !drawing;
  const view = $('view');
  view.classList.toggle('drawing', drawing);
  // Keyboard drawing: the view takes focus only while it is a drawing.
  if (drawing) view.tabIndex = 0; else view.removeAttribute('tabindex');
  view.setAttribute('aria-label', t(drawing ? 'view.drawing' : 'view.label'));
  if (!drawing) return;
  const regression = lab.stats().task === 'regression';
  $('draw-kind').value = regression ? 'values' : 'classes';
  $('draw-count-row').hidden = regression;
  $('draw-value-row').hidden = !regression;
  $('draw-count').value = s.classes;
  const box = $('draw-classes');
  box.hidden = regression;
  const n = Number(s.classes);
  if (box.dataset.n !== String(n) || box.dataset.lang !== language()) {
    const checked = Math.min(Number((box.querySelector('input:checked') || {}).value || 0), n - 1);
    box.textContent = '';
    for (let k = 0; k < n; k++) {
      const label = document.createElement('label');
      const radio = document.createElement('input');
      radio.type = 'radio';
      radio.name = 'draw-class';
      radio.value = String(k);
      radio.checked = k === checked;
      const dot = document.createElement('i');
      dot.style.background = CLASS_COLORS[k % CLASS_COLORS.length];
      label.append(radio, dot, document.createTextNode(t('class', { k })));
      box.appendChild(label);
    }
    box.dataset.n = String(n);
    box.dataset.lang = language();
  }
}

/** A click on the view while drawing: add a point (or remove the nearest with Shift / the Remove tool). */
function drawAt(e) {
  if (lab.settings().data !== 'drawn') return;
  const r = $('view').getBoundingClientRect();
  const x = -6 + (12 * (e.clientX - r.left)) / r.width;
  const y = 6 - (12 * (e.clientY - r.top)) / r.height;
  const remove = e.shiftKey || document.querySelector('input[name=draw-tool]:checked').value === 'remove';
  editDrawing(x, y, remove);
}

/** Keyboard drawing: arrows move a cursor on the view (Shift: finer), Enter or Space adds a
 *  point there, Delete or Backspace removes the nearest. */
let drawCursor = [0, 0];
function drawKey(e) {
  if (lab.settings().data !== 'drawn') return;
  const step = e.shiftKey ? 0.1 : 0.5;
  const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
  if (moves[e.key]) {
    drawCursor = drawCursor.map((v, i) => Math.max(-6, Math.min(6, Math.round((v + moves[e.key][i]) * 10) / 10)));
    dirty = true;
  } else if (e.key === 'Enter' || e.key === ' ') editDrawing(drawCursor[0], drawCursor[1], false);
  else if (e.key === 'Delete' || e.key === 'Backspace') editDrawing(drawCursor[0], drawCursor[1], true);
  else return;
  e.preventDefault();
  e.stopPropagation(); // Space here draws; it does not play
  $('view-caption').dataset.cursor = t('draw.cursor', { x: drawCursor[0].toFixed(1), y: drawCursor[1].toFixed(1) });
}

/** The keyboard cursor as a ringed cross over the view, while the view has focus. */
function drawCursorMark() {
  const view = $('view');
  if (document.activeElement !== view || lab.settings().data !== 'drawn') return;
  const ctx = view.getContext('2d');
  const x = ((drawCursor[0] + 6) / 12) * view.width;
  const y = ((6 - drawCursor[1]) / 12) * view.height;
  const size = view.width / 30;
  for (const [colour, width] of [['#fff', 4], ['#000', 1.5]]) {
    ctx.strokeStyle = colour;
    ctx.lineWidth = width;
    ctx.beginPath();
    ctx.moveTo(x - size, y); ctx.lineTo(x + size, y);
    ctx.moveTo(x, y - size); ctx.lineTo(x, y + size);
    ctx.stroke();
  }
}

function editDrawing(x, y, remove) {
  let notes;
  if (remove) notes = lab.remove_point(x, y, 0.6);
  else {
    const regression = lab.stats().task === 'regression';
    const target = regression ? Number($('draw-value').value) : Number((document.querySelector('input[name=draw-class]:checked') || {}).value || 0);
    notes = lab.add_point(x, y, target);
  }
  if (notes.length) showNotices(notes, t('notice.drawing'));
  setPlaying(false);
  writeLink('replace'); // one history entry per drawing session, not per point
  afterExperimentChange();
}

function syncDataControls(s) {
  syncDrawControls(s);
  const stats = lab.stats();
  const tab = stats.tabular;
  $('generator-options').hidden = tab || s.data === 'drawn';
  // The file's format can be chosen when this page still has the file (not for data from a link).
  const own = s.data === 'csv';
  $('csv-format').hidden = !own || !lastCsv;
  if (own) {
    const f = lab.csv_format();
    const names = { ',': 'comma', ';': 'semicolon', tab: 'tab', '|': 'bar' };
    const delimiter = names[f.delimiter] ? t(`csv.sep.${names[f.delimiter]}`) : `“${f.delimiter}”`;
    $('csv-read-as').textContent = t('csv.read-as', { delimiter, header: t(f.header ? 'csv.as-names' : 'csv.as-data') });
  }
  $('table-options').hidden = !tab;
  const about = $('data-about');
  about.hidden = !tab;
  if (tab) {
    const d = DATASETS.find((x) => x.id === s.data);
    about.textContent = d ? `${translate(`dataset.${d.id}.about`, d.about)} ${t('data.source', { source: d.source, licence: d.licence })}`
      : `${t('data.own', { name: userFile })} ${t(lab.link_has_data() ? 'data.own-small' : 'data.own-big')}`;
    const eda = lab.explore();
    fillOptions($('target'), eda.columns.map((c) => c.name), decodeURIComponent(s.target));
    $('framing').value = s.framing;
    $('missing').value = s.missing;
    const pair = s.view !== 'pca';
    $('view-mode').value = pair ? 'pair' : 'pca';
    $('view-pair').hidden = !pair;
    const inputs = lab.network().inputs.map((x) => x[1]);
    const [vx, vy] = pair ? linkNames(s.view) : [inputs[0], inputs[1]];
    fillOptions($('view-x'), inputs, vx);
    fillOptions($('view-y'), inputs, vy);
  }
}

/** The EDA panel: one row per column with its statistics and chart, and the correlations. */
function updateExplore() {
  const s = lab.settings();
  const key = [s.data, s.samples, s.noise, s.classes, s.dseed, s.target, s.exclude, s.labelenc, userFile, s.points, language()].join('|');
  if (key === edaKey) return;
  edaKey = key;
  const eda = lab.explore();
  const tab = lab.stats().tabular;
  // The scatter matrix starts with the first four numeric columns other than the target.
  matrixPicks = eda.columns.map((c, i) => [c, i]).filter(([c]) => c.numbers && c.name !== eda.target).slice(0, 4).map(([, i]) => i);
  const excluded = new Set(linkNames(s.exclude));
  const labelled = new Set(linkNames(s.labelenc));
  $('eda-caption').textContent = t('eda.summary', { name: dataName(s.data, eda.name), rows: eda.rows.toLocaleString('en'), columns: eda.columns.length, target: eda.target });
  const body = $('eda-table').tBodies[0];
  body.textContent = '';
  const num = (v) => (v == null || Number.isNaN(v) ? '–' : Math.abs(v) >= 1e5 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(2) : String(Number(v.toFixed(3))));
  eda.columns.forEach((c, i) => {
    const tr = document.createElement('tr');
    if (c.name === eda.target) tr.className = 'target';
    const n = c.numbers;
    const cells = [c.name, t(c.type === 'numeric' ? 'eda.number' : 'eda.text'), c.count, c.missing,
      n ? num(n.mean) : '', n ? num(n.std) : '', n ? num(n.min) : '', n ? num(n.q1) : '', n ? num(n.median) : '',
      n ? num(n.q3) : '', n ? num(n.max) : '', c.distinct];
    cells.forEach((v, k) => {
      const td = document.createElement(k === 0 ? 'th' : 'td');
      if (k === 0) { td.scope = 'row'; td.title = c.name; }
      td.textContent = String(v);
      tr.appendChild(td);
    });
    const chartCell = document.createElement('td');
    const canvas = document.createElement('canvas');
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', t(c.type === 'numeric' ? 'eda.histogram' : 'eda.counts', { name: c.name }));
    chartCell.appendChild(canvas);
    tr.appendChild(chartCell);
    const useCell = document.createElement('td');
    const encCell = document.createElement('td');
    if (tab && c.name !== eda.target) {
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.checked = !excluded.has(c.name);
      box.setAttribute('aria-label', t('eda.use', { name: c.name }));
      box.addEventListener('change', () => {
        const ex = new Set(linkNames(lab.settings().exclude));
        if (box.checked) ex.delete(c.name); else ex.add(c.name);
        change('exclude', namesValue([...ex]));
      });
      useCell.appendChild(box);
      if (c.type !== 'numeric') {
        const sel = document.createElement('select');
        sel.setAttribute('aria-label', t('eda.encoding-of', { name: c.name }));
        for (const [v, key] of [['onehot', 'eda.onehot'], ['label', 'eda.label-encoding']]) {
          const o = document.createElement('option');
          o.value = v;
          o.textContent = t(key);
          sel.appendChild(o);
        }
        sel.value = labelled.has(c.name) ? 'label' : 'onehot';
        sel.addEventListener('change', () => {
          const le = new Set(linkNames(lab.settings().labelenc));
          if (sel.value === 'label') le.add(c.name); else le.delete(c.name);
          change('labelenc', namesValue([...le]));
        });
        encCell.appendChild(sel);
      }
    } else if (c.name === eda.target) useCell.textContent = t('eda.target');
    const matrixCell = document.createElement('td');
    if (c.numbers) {
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.className = 'matrix-pick';
      box.checked = matrixPicks.includes(i);
      box.setAttribute('aria-label', t('eda.show-in-matrix', { name: c.name }));
      box.addEventListener('change', () => {
        if (box.checked && matrixPicks.length >= MAX_MATRIX) {
          box.checked = false;
          showNotices([t('eda.matrix-full', { n: MAX_MATRIX })], t('notice.not-changed'));
          return;
        }
        matrixPicks = box.checked ? [...matrixPicks, i].sort((a, b) => a - b) : matrixPicks.filter((k) => k !== i);
        drawMatrix();
      });
      matrixCell.appendChild(box);
    }
    tr.append(useCell, encCell, matrixCell);
    body.appendChild(tr);
    sizeCanvas(canvas);
    lab.draw_column(canvas, i);
  });
  const corr = $('eda-corr');
  sizeCanvas(corr);
  lab.draw_correlation(corr);
  drawMatrix();
}

function drawMatrix() {
  const canvas = $('eda-matrix');
  sizeCanvas(canvas);
  lab.draw_scatter_matrix(canvas, Uint32Array.from(matrixPicks));
}

let imagesAt = { key: '', time: 0 };
/** The digits' test images with predictions, redrawn at most twice a second while training. */
function updateImages(stats, force) {
  const panel = $('images-panel');
  panel.hidden = !stats.image;
  if (!stats.image) return;
  const key = `${lab.link()}|${stats.epoch}`;
  const now = performance.now();
  if (!force && (key === imagesAt.key || now - imagesAt.time < 500)) return;
  imagesAt = { key, time: now };
  const canvas = $('images');
  if (canvas.width < 2 || force) sizeCanvas(canvas);
  const shown = lab.draw_images(canvas, 30);
  $('images-score').textContent = shown && stats.epoch > 0 ? t('images.score', { correct: shown.correct, shown: shown.shown }) : t('images.untrained');
  predictPad();
}

let padInk = false;
/** The drawing pad's digit as the model sees it, and its class probabilities. */
function predictPad() {
  const pad = $('pad');
  const list = $('pad-probs');
  if (!padInk) { $('pad-prediction').textContent = '–'; list.textContent = ''; return; }
  const img = pad.getContext('2d').getImageData(0, 0, pad.width, pad.height);
  const p = lab.predict_drawing(new Uint8Array(img.data.buffer), pad.width, pad.height);
  if (!p) return;
  $('pad-prediction').textContent = p.predicted;
  list.textContent = '';
  p.probabilities.forEach((v, k) => {
    const li = document.createElement('li');
    const name = document.createElement('span');
    name.textContent = p.class_names[k];
    const meter = document.createElement('meter');
    meter.min = 0; meter.max = 1; meter.value = v;
    const pct = document.createElement('span');
    pct.textContent = `${(100 * v).toFixed(0)}%`;
    li.append(name, meter, pct);
    list.appendChild(li);
  });
}

function wirePad() {
  const pad = $('pad');
  const ctx = pad.getContext('2d');
  let down = false;
  let last = null;
  const pos = (e) => {
    const r = pad.getBoundingClientRect();
    return [(e.clientX - r.left) * (pad.width / r.width), (e.clientY - r.top) * (pad.height / r.height)];
  };
  pad.addEventListener('pointerdown', (e) => { down = true; last = pos(e); pad.setPointerCapture(e.pointerId); });
  pad.addEventListener('pointermove', (e) => {
    if (!down) return;
    const p = pos(e);
    ctx.strokeStyle = '#000';
    ctx.lineWidth = pad.width / 7; // the dataset's strokes are thick: a quarter of an 8-pixel image
    ctx.lineCap = 'round';
    ctx.beginPath();
    ctx.moveTo(last[0], last[1]);
    ctx.lineTo(p[0], p[1]);
    ctx.stroke();
    last = p;
    padInk = true;
  });
  const up = () => { if (down) { down = false; predictPad(); } };
  pad.addEventListener('pointerup', up);
  pad.addEventListener('pointercancel', up);
  $('pad-clear').addEventListener('click', () => { ctx.clearRect(0, 0, pad.width, pad.height); padInk = false; lab.clear_pad(); predictPad(); });
}

let lastCsv = null;        // the person's last file {bytes, name}, to read again with other options

let csvJob = null;         // the file being read in slices: {name, cancelled}

/** Makes the person's file the data; a file that cannot be used leaves the experiment as it was.
 *  The core reads it in 12 ms slices between frames, with progress and Cancel, so a large file
 *  does not freeze the page. */
async function useCsv(bytes, name, delimiter = 'auto', header = 'auto') {
  await useFull();
  const limit = window.latih.csvLimit;
  if (bytes.length > limit) {
    const mb = (n) => (n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${Math.ceil(n / 1e3)} KB`);
    showNotices([t('file.too-big', { name, size: mb(bytes.length), limit: mb(limit) })], t('file.not-loaded'));
    return;
  }
  if (csvJob) csvJob.cancelled = true;
  const job = { name, cancelled: false };
  csvJob = job;
  const row = $('csv-progress-row');
  let notices;
  try {
    lab.csv_start(bytes, name, delimiter, header);
    for (let read = lab.csv_step(12); read < 1; read = lab.csv_step(12)) {
      row.hidden = false;
      $('csv-progress').value = read;
      $('csv-status').textContent = t('file.reading', { name, rows: lab.csv_rows().toLocaleString('en'), percent: Math.floor(read * 100) });
      await new Promise((r) => setTimeout(r, 0));
      if (job.cancelled) return; // Cancel, or another file: the core dropped or replaced this one
    }
    // Making the session is a task of its own, not the end of the step that prepared the data.
    await new Promise((r) => setTimeout(r, 0));
    if (job.cancelled) return;
    notices = lab.csv_finish();
  } catch (e) {
    row.hidden = true;
    if (csvJob === job) csvJob = null;
    showNotices([String(e && e.message ? e.message : e)], t('file.unusable', { name }));
    return;
  }
  row.hidden = true;
  csvJob = null;
  lastCsv = { bytes, name };
  $('csv-delimiter').value = delimiter;
  $('csv-header').value = header;
  addOwnData(name);
  setPlaying(false);
  // The statistics of a large file take a while too: the core computes them in 12 ms slices
  // between paints (the first after one).
  do {
    await new Promise((r) => setTimeout(r, 0));
    // A second file, or another dataset picked meanwhile, takes over.
    if (csvJob || lab.settings().data !== 'csv') return;
  } while (!lab.explore_step(12));
  const eda = lab.explore();
  showNotices([t('file.read', { rows: eda.rows.toLocaleString('en'), columns: eda.columns.length, target: eda.target }), ...notices], t('file.loaded', { name }));
  writeLink('push');
  afterExperimentChange();
}

/** The data picker's entry for the person's file; `name` may be a function giving the name the
 *  page made up (“data carried in the link”) in the current language. */
function addOwnData(name) {
  userFileName = typeof name === 'function' ? name : null;
  userFile = userFileName ? userFileName() : name;
  const own = $('own-data');
  own.textContent = '';
  const o = document.createElement('option');
  o.value = 'csv';
  o.textContent = name;
  own.appendChild(o);
  own.hidden = false;
}

async function useCsvFile(file) {
  if (!file) return;
  if (isLessonFile(file.name)) {
    if (file.size > 1 << 20) {
      showNotices([t('file.lesson-too-big', { name: file.name })], t('file.not-opened'));
      return;
    }
    openLessonFile(await file.text(), file.name);
    writeLink('push');
    return;
  }
  // Files (tables, saved experiments and models) are the full build's.
  await useFull();
  const head = new Uint8Array(await file.slice(0, 64).arrayBuffer());
  if (WASM.Lab.is_model_file(head)) {
    openSavedFile((b) => lab.open_model_file(b), new Uint8Array(await file.arrayBuffer()), file.name, (notices) => [
      t('file.model-restored', { epoch: lab.epoch() }), ...notices]);
    return;
  }
  if (WASM.Lab.is_experiment_file(head)) {
    // An experiment file holds a whole CSV file, compressed: a third more than the limit is room enough.
    if (file.size > window.latih.csvLimit * 1.4) {
      showNotices([t('file.experiment-too-big', { name: file.name })], t('file.not-opened'));
      return;
    }
    openSavedFile((b) => lab.open_experiment_file(b), new Uint8Array(await file.arrayBuffer()), file.name,
      (notices) => (notices.length ? notices : [t('file.all-restored')]));
    return;
  }
  if (file.size > window.latih.csvLimit) {
    useCsv({ length: file.size }, file.name); // refused before reading it
    return;
  }
  useCsv(new Uint8Array(await file.arrayBuffer()), file.name);
}

/**
 * Opens a file Latih saved (`open` is the Lab's reader for its kind): the experiment, its data
 * and, for a model file, the trained model. `opened` gives the notices to show on success.
 */
function openSavedFile(open, bytes, name, opened) {
  let notices;
  try {
    notices = open(bytes);
  } catch (e) {
    if (needsFull(e)) throw e; // the listener moves to the full build and runs again
    showNotices([String(e && e.message ? e.message : e)], t('file.unopenable', { name }));
    return;
  }
  lastCsv = null;
  afterOpening(() => t('data.in-file', { name }));
  showNotices(opened(notices), t('file.opened', { name }));
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
function applyDisplay() {
  const d = lab.display();
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
  structureDirty = true;
}

/** After a link, a text or a file replaced the experiment: pickers, link and views follow. */
function afterOpening(dataName) {
  setPlaying(false);
  applyDisplay();
  if (lab.settings().data === 'csv') addOwnData(dataName);
  writeLink('push');
  afterExperimentChange();
}

// ---------- share, experiment as text, exports ----------
function download(name, data, type) {
  const blob = data instanceof Blob ? data : new Blob([data], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/** A file name for the current experiment: latih-<data>-<model>. */
function fileStem() {
  const s = lab.settings();
  return `latih-${s.data}-${s.model}`.replace(/[^a-z0-9_-]+/gi, '-');
}

/** "Export for Spark": the PySpark script or its notebook form; a model MLlib lacks is said. */
function exportSpark(asNotebook) {
  try {
    const script = `${fileStem()}-spark.py`;
    const out = lab.spark(script);
    if (asNotebook) download(`${fileStem()}-spark.ipynb`, out.notebook, 'application/x-ipynb+json');
    else download(script, out.script, 'text/x-python');
    if (out.substitute) showNotices([out.substitute], t('export.spark-substitute'));
  } catch (e) {
    if (needsFull(e)) throw e; // the listener moves to the full build and runs again
    showNotices([String(e && e.message ? e.message : e)], t('export.spark-failed'));
  }
}

function saveCanvas(canvas, name) {
  canvas.toBlob((blob) => { if (blob) download(`${fileStem()}-${name}.png`, blob); }, 'image/png');
}

/** The link the Share dialog shows: with the trained model when asked. */
function sharedLink() {
  const shared = lab.share_link($('share-model').checked);
  return { link: location.href.split('#')[0] + '#' + shared.link, weights: shared.weights };
}

function openShare() {
  $('share-model-epoch').textContent = t('share.epoch', { n: lab.epoch().toLocaleString('en') });
  showShared();
  $('share-dialog').showModal();
  $('share-link').select();
}

function showShared() {
  const { link, weights } = sharedLink();
  $('share-link').value = link;
  $('share-copied').textContent = '';
  let size = t('share.size', { n: link.length.toLocaleString('en') });
  if (!lab.link_has_data()) size += ' ' + t('share.file-too-big', { name: userFile });
  $('share-size').textContent = size;
  // Drawn at twice its shown size, for sharp modules on high-density screens.
  const fits = lab.draw_qr($('share-qr'), link, 400);
  $('share-qr').classList.toggle('none', !fits);
  const embedLink = link.includes('&embed=1') ? link : `${link}&embed=1`;
  const title = t('share.embed-title', { data: lab.settings().data, model: lab.settings().model });
  $('embed-snippet').value = `<iframe src="${embedLink.replace(/"/g, '%22')}" title="${title}" width="100%" height="720" style="border:0;max-width:100%" loading="lazy" allow="clipboard-write"></iframe>`;
  $('share-qr-note').textContent = fits ? t('share.qr-scan') : t('share.qr-too-long', { n: link.length.toLocaleString('en') });
  if (!weights) $('share-size').textContent += ' ' + t('share.no-weights');
}

/** Copies a dialog field's text, or selects it and says how when the browser refuses. */
async function copyField(field, copied, what) {
  try {
    await navigator.clipboard.writeText($(field).value);
    $('share-copied').textContent = copied;
  } catch {
    $(field).select();
    $('share-copied').textContent = t('share.copy-refused', { what });
  }
}

/** Bytes to base64 (in slices: spreading megabytes into one call would overflow the stack). */
function base64(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/**
 * "Deploy as a web page": one HTML file with the wasm runtime (gzip, base64), its JS glue and
 * the model file, from www/deploy-template.html. The runtime is one of this page's two builds,
 * read back from this origin.
 */
async function deployPage() {
  const modelFile = lab.model_file(lastCsv && lab.settings().data === 'csv' ? lastCsv.bytes : undefined);
  // The playground build when it runs the model (a page a third the size), else the full one.
  const { glue: glueUrl, wasm: wasmUrl } = runtime(!playgroundOpens(lab.link()));
  if (!glueUrl || !wasmUrl) throw new Error(t('export.no-runtime'));
  const [template, glue, wasm] = await Promise.all([
    fetch('www/deploy-template.html').then((r) => r.text()),
    fetch(glueUrl).then((r) => r.text()),
    fetch(wasmUrl).then((r) => r.arrayBuffer()),
  ]);
  const gz = new Uint8Array(await new Response(new Blob([wasm]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer());
  const form = lab.input_form();
  const title = `Latih model: ${form.target} from ${lab.settings().data}`.replace(/[<>&"]/g, '');
  // Nothing inlined may close its script element early.
  const fill = {
    __LATIH_TITLE__: title,
    __LATIH_WASM__: base64(gz),
    __LATIH_MODEL__: modelFile.replace(/</g, '\\u003c'),
    __LATIH_GLUE__: glue.replace(/<\/script/gi, '<\\/script'),
  };
  // One pass, so nothing inlined (a column name, say) is itself taken for a placeholder.
  let html = template.replace(/__LATIH_[A-Z]+__/g, (key) => fill[key] ?? key);
  // A strict policy for the page: its one script and one style pinned by hash, wasm allowed to
  // compile, nothing fetched from anywhere.
  const between = (open, close) => {
    const start = html.indexOf(open) + open.length;
    return html.slice(start, open === '<style>' ? html.indexOf(close, start) : html.lastIndexOf(close));
  };
  const sha256 = async (text) => base64(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))));
  const policy = [
    "default-src 'none'",
    `script-src 'sha256-${await sha256(between('<script type="module">', '</script>'))}' 'wasm-unsafe-eval'`,
    `style-src 'sha256-${await sha256(between('<style>', '</style>'))}'`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  html = html.replace('__LATIH_CSP__', policy);
  download(`${fileStem()}-app.html`, html, 'text/html');
}

let textEdited = false;    // the text panel holds edits not applied yet
let textTimer = 0;

/** Shows the current experiment's text, unless the person is editing it. */
function syncText() {
  if (textEdited) return;
  $('exp-text').value = lab.text();
  showProblems([]);
}

function showProblems(problems) {
  const list = $('exp-problems');
  list.textContent = '';
  for (const p of problems) {
    const li = document.createElement('li');
    li.textContent = p.line > 0 ? t('text.line', { line: p.line, message: p.message }) : p.message;
    list.appendChild(li);
  }
  $('exp-text').setAttribute('aria-invalid', String(problems.length > 0));
}

function applyText() {
  const problems = lab.apply_text($('exp-text').value);
  textEdited = false;
  afterOpening(() => t('data.from-text'));
  showProblems(problems);
}

function wireSharing() {
  $('share').addEventListener('click', openShare);
  $('share-copy').addEventListener('click', () => copyField('share-link', t('share.copied'), t('share.what-link')));
  $('share-model').addEventListener('change', showShared);
  $('embed-copy').addEventListener('click', () => copyField('embed-snippet', t('share.embed-copied'), t('share.what-embed')));
  $('export-model').addEventListener('click', () => {
    const csv = lastCsv && lab.settings().data === 'csv' ? lastCsv.bytes : undefined;
    download(`${fileStem()}-model.json`, lab.model_file(csv), 'application/json');
  });
  $('share-file').addEventListener('click', () => {
    const csv = lastCsv && lab.settings().data === 'csv' ? lastCsv.bytes : undefined;
    download(`${fileStem()}.latih.txt`, lab.experiment_file(csv), 'text/plain');
  });
  const openLink = () => {
    const text = $('open-link-text').value.trim();
    if (!text) return;
    const notices = lab.open_link(text);
    $('share-dialog').close();
    $('open-link-text').value = '';
    afterOpening(() => t('data.from-link'));
    showNotices(notices.length ? notices : [t('share.all-read')], t('share.opened'));
  };
  $('open-link').addEventListener('click', openLink);
  $('open-link-text').addEventListener('keydown', (e) => {
    // Without preventDefault the Enter would go on to the Share button, focused again as the dialog closes.
    if (e.key === 'Enter') { e.preventDefault(); openLink(); }
  });
  const text = $('exp-text');
  text.addEventListener('input', () => {
    textEdited = true;
    clearTimeout(textTimer);
    textTimer = setTimeout(retrying(() => showProblems(lab.check_text(text.value))), 150);
  });
  text.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      applyText();
    }
  });
  $('exp-apply').addEventListener('click', applyText);
  $('exp-revert').addEventListener('click', () => { textEdited = false; syncText(); });
  $('export-predictions').addEventListener('click', () => {
    try {
      download(`${fileStem()}-predictions.csv`, lab.predictions_csv(), 'text/csv');
    } catch (e) {
      if (needsFull(e)) throw e; // the listener moves to the full build and runs again
      showNotices([String(e && e.message ? e.message : e)], t('export.no-predictions'));
    }
  });
  $('export-page').addEventListener('click', () => deployPage().catch((e) => {
    showNotices([String(e && e.message ? e.message : e)], t('export.page-failed'));
  }));
  $('export-notebook').addEventListener('click', () => {
    try {
      download(`${fileStem()}.ipynb`, lab.notebook(), 'application/x-ipynb+json');
    } catch (e) {
      if (needsFull(e)) throw e; // the listener moves to the full build and runs again
      showNotices([String(e && e.message ? e.message : e)], t('export.notebook-failed'));
    }
  });
  $('export-spark').addEventListener('click', () => exportSpark(false));
  $('export-spark-notebook').addEventListener('click', () => exportSpark(true));
  $('export-view').addEventListener('click', () => saveCanvas($('view'), 'view'));
  $('export-loss').addEventListener('click', () => saveCanvas($('loss-chart'), 'loss'));
  $('export-corr').addEventListener('click', () => saveCanvas($('eda-corr'), 'correlations'));
  $('export-model-chart').addEventListener('click', () => saveCanvas($('model-chart'), 'model'));
  $('export-images').addEventListener('click', () => saveCanvas($('images'), 'test-images'));
  $('export-matrix').addEventListener('click', () => saveCanvas($('eda-matrix'), 'scatter-matrix'));
}

/** The language (the link's, else the browser's) and the Lessons panel. */
function startLessons(wasm) {
  const select = $('lang');
  for (const [code, name] of Object.entries(LANGUAGES)) select.append(new Option(name, code));
  select.value = language();
  select.addEventListener('change', () => {
    lab.set_lang(select.value);
    setLanguage(select.value);
    relabel();
    showStatus(lab.stats());
    writeLink('replace');
    relabelLessons();
  });
  initLessons({
    lab: () => lab,
    wasm,
    loadSection: retrying((link) => {
      setPlaying(false);
      const notices = lab.load_section(link);
      if (notices.length) showNotices(notices);
      applyDisplay();
      writeLink('push');
      afterExperimentChange();
    }),
    writeLink: () => writeLink('replace'),
    notices: showNotices,
    relayout() { structureDirty = true; dirty = true; },
  });
}

function syncModelControls(s) {
  // The core says what kind of problem this is (the MLP's follows the data).
  const kind = lab.stats().kind;
  $('task').value = kind;
  const sel = $('model');
  const options = MODELS.filter((m) => m.kind === kind);
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
  const entry = MODELS.find((m) => m.id === s.model && m.kind === kind);
  $('model-hint').textContent = entry ? translate(`model.${entry.id}.hint`, entry.hint) : '';
  const mlp = s.model === 'mlp';
  $('mlp-panel').hidden = !mlp;
  $('mlp-hyper').hidden = !mlp;
  $('model-panel').hidden = mlp;
  $('epoch-label').textContent = t(mlp ? 'epoch' : 'iteration');
  $('step').title = t(mlp ? 'step.title' : 'step.title-iteration');
  buildModelSettings(entry, s);
  // The plane's features (x1, x1², ...) mean nothing for a table, whose inputs are its columns.
  document.querySelector('#model-panel .feature-toggles').hidden = Boolean(lab.stats().tabular);
  for (const box of document.querySelectorAll('#feature-toggles input')) {
    box.checked = s.features.split(',').includes(box.value);
  }
}

/** One labelled control per setting of the model, built from the core's schema. */
function buildModelSettings(entry, s) {
  const box = $('model-settings');
  const key = entry ? entry.id + ':' + entry.kind + ':' + language() : '';
  if (key !== settingsKey) {
    settingsKey = key;
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
function settingText(model, st, what) {
  return translate([`setting.${model}.${st.key}.${what}`, `setting.${st.key}.${what}`], st[what]);
}

/** A generated data set's, a shipped data set's or a drawing's name, in the page's language
 *  (`english`: the core's). */
function dataName(id, english) {
  if (DATASETS.some((d) => d.id === id)) return translate(`dataset.${id}.name`, english);
  return translate(`data.${id}.title`, english);
}

/** A class's name as the page shows it: generated data's classes, which the core calls
 *  “class k”, in the page's language; a table's own class names as they are. */
function className(name, k, tabular) {
  if (name === undefined) return t('class', { k });
  const m = !tabular && /^class (\d+)$/.exec(name);
  return m ? t('class', { k: m[1] }) : name;
}

/** Switches the task: the first model of that kind, and data that suits it. */
function changeTask(kind) {
  const s = lab.settings();
  const regressionData = lab.stats().task === 'regression';
  if (kind === 'regression' && !regressionData) lab.set('data', 'plane');
  if (kind === 'classification' && regressionData) lab.set('data', 'circle');
  if (kind === 'clustering' && regressionData) lab.set('data', 'blobs');
  const first = MODELS.find((m) => m.kind === kind);
  change('model', first ? first.id : 'mlp');
}

/** Applies one setting; `history` is 'push' (a discrete change) or 'replace' (mid-drag). */
function change(key, value, history = 'push') {
  const notices = lab.set(key, String(value));
  if (notices.length) showNotices(notices, t('notice.adjusted'));
  writeLink(history);
  afterExperimentChange();
}

function afterExperimentChange() {
  syncControls();
  syncText();
  updateExplore();
  structureDirty = true;
  dirty = true;
  const stats = lab.stats();
  showStatus(stats);
  if (stats.status.state !== 'ready') setPlaying(false);
}

function hiddenSizes() {
  const h = lab.settings().hidden;
  return h === '' ? [] : h.split(',').map(Number);
}

function setHidden(sizes) {
  change('hidden', sizes.join(','));
}

function setPlaying(on) {
  playing = on;
  dirty = true;
  const b = $('play');
  b.setAttribute('aria-pressed', String(on));
  const label = document.createElement('span');
  label.textContent = t(on ? 'pause' : 'play');
  b.replaceChildren(on ? '❚❚ ' : '▶ ', label);
}

function wireControls() {
  for (const id of ['lr', 'act', 'opt', 'reg', 'rate']) {
    $(id).addEventListener('change', (e) => change(id, e.target.value));
  }
  // (the data picker's "csv" option exists only once a file is loaded)
  $('data').addEventListener('change', (e) => {
    lab.set('data', e.target.value);
    // A drawing starts with two classes (more can be added); one history entry for both.
    if (e.target.value === 'drawn') lab.set('classes', '2');
    change('data', e.target.value);
  });
  $('task').addEventListener('change', (e) => changeTask(e.target.value));
  $('target').addEventListener('change', (e) => change('target', encodeURIComponent(e.target.value)));
  for (const id of ['framing', 'missing']) $(id).addEventListener('change', (e) => change(id, e.target.value));
  const setView = () => {
    if ($('view-mode').value === 'pca') { change('view', 'pca'); return; }
    const [x, y] = [$('view-x').value, $('view-y').value];
    if (x === y) { showNotices([t('notice.view-axes')], t('notice.not-changed')); return; }
    change('view', namesValue([x, y]));
  };
  $('view-mode').addEventListener('change', () => {
    if ($('view-mode').value === 'pair') {
      const inputs = lab.network().inputs.map((x) => x[1]);
      if (inputs.length < 2) { showNotices([t('notice.one-input')], t('notice.not-changed')); syncControls(); return; }
      $('view-x').value = inputs[0];
      $('view-y').value = inputs[1];
    }
    setView();
  });
  $('view-x').addEventListener('change', setView);
  $('view-y').addEventListener('change', setView);
  $('view').addEventListener('click', drawAt);
  $('view').addEventListener('keydown', drawKey);
  for (const ev of ['focus', 'blur']) $('view').addEventListener(ev, () => { dirty = true; });
  $('draw-kind').addEventListener('change', (e) => {
    showNotices(lab.start_drawing(e.target.value === 'values'));
    writeLink('push');
    afterExperimentChange();
  });
  $('draw-count').addEventListener('change', (e) => { if (e.target.value.trim() !== '') change('classes', e.target.value); });
  $('draw-value').addEventListener('input', (e) => { $('draw-value-out').textContent = e.target.value; });
  $('draw-clear').addEventListener('click', () => {
    showNotices(lab.start_drawing(lab.stats().task === 'regression'));
    writeLink('push');
    afterExperimentChange();
  });
  const reread = () => {
    if (lastCsv) useCsv(lastCsv.bytes, lastCsv.name, $('csv-delimiter').value, $('csv-header').value);
  };
  $('csv-delimiter').addEventListener('change', reread);
  $('csv-header').addEventListener('change', reread);
  $('csv-file').addEventListener('change', (e) => { useCsvFile(e.target.files[0]); e.target.value = ''; });
  $('csv-cancel').addEventListener('click', () => {
    if (!csvJob) return;
    csvJob.cancelled = true;
    lab.csv_cancel();
    $('csv-progress-row').hidden = true;
    showNotices([t('file.cancelled', { name: csvJob.name })], t('file.not-loaded'));
    csvJob = null;
  });
  $('csv-paste-use').addEventListener('click', () => {
    const text = $('csv-paste').value;
    useCsv(new TextEncoder().encode(text), 'pasted data');
  });
  const drop = $('csv-drop');
  for (const ev of ['dragenter', 'dragover']) drop.addEventListener(ev, (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    useCsvFile(e.dataTransfer && e.dataTransfer.files[0]);
  });
  $('model').addEventListener('change', (e) => change('model', e.target.value));
  for (const key of FEATURE_KEYS) {
    const label = document.createElement('label');
    label.className = 'check';
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.value = key;
    box.addEventListener('change', () => {
      const cur = new Set(lab.settings().features.split(','));
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
      change(id, el.value, dragging ? 'replace' : 'push');
      dragging = true;
    });
    el.addEventListener('change', () => { dragging = false; });
  }
  for (const id of ['test', 'discrete']) {
    $(id).addEventListener('change', (e) => change(id, e.target.checked ? 1 : 0));
  }
  $('play').addEventListener('click', () => {
    if (!playing) {
      const st = lab.stats().status.state;
      if (st === 'diverged' || st === 'failed') return;
      if (st === 'done') { lab.reset(); afterExperimentChange(); }
      if (st === 'stopped') lab.resume();
      showStatus(lab.stats());
    }
    setPlaying(!playing);
  });
  $('step').addEventListener('click', () => {
    setPlaying(false);
    lab.step();
    dirty = true;
    showStatus(lab.stats());
  });
  $('reset').addEventListener('click', () => {
    lab.reset();
    afterExperimentChange();
  });
  $('regenerate').addEventListener('click', () => {
    // A fresh data seed; it goes into the link, so the new data is reproducible too.
    const seed = Math.floor(Math.random() * 1e9) + 1;
    change('dseed', seed);
  });
  $('add-layer').addEventListener('click', () => {
    const h = hiddenSizes();
    if (h.length < MAX_LAYERS) setHidden([...h, h.length ? h[h.length - 1] : 4]);
  });
  $('remove-layer').addEventListener('click', () => {
    const h = hiddenSizes();
    if (h.length) setHidden(h.slice(0, -1));
  });
  $('notice-close').addEventListener('click', () => { $('notice').hidden = true; });
  addEventListener('popstate', () => {
    setPlaying(false);
    showNotices(lab.load(currentFragment()));
    applyDisplay();
    afterExperimentChange();
  });
  addEventListener('resize', () => { structureDirty = true; dirty = true; });
  document.addEventListener('keydown', (e) => {
    const tag = (e.target && e.target.tagName) || '';
    if (e.key === ' ' && !['INPUT', 'SELECT', 'BUTTON', 'TEXTAREA', 'SUMMARY'].includes(tag)) {
      e.preventDefault();
      $('play').click();
    }
  });
}

// ---------- network view ----------
function sizeCanvas(canvas) {
  const dpr = Math.min(window.devicePixelRatio || 1, 2);
  const r = canvas.getBoundingClientRect();
  const w = Math.max(1, Math.round(r.width * dpr));
  const h = Math.max(1, Math.round(r.height * dpr));
  if (canvas.width !== w || canvas.height !== h) { canvas.width = w; canvas.height = h; }
}

function makeButton(text, label, onClick, disabled) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = text;
  b.setAttribute('aria-label', label);
  b.disabled = disabled;
  b.addEventListener('click', onClick);
  return b;
}

function buildNetwork() {
  const net = lab.network();
  const settings = lab.settings();
  const tabular = lab.stats().tabular;
  // A table's inputs are its (encoded) columns, all in use; generated data offers the seven features.
  const inputKeys = tabular ? net.inputs.slice(0, MAX_INPUT_NODES).map((x) => x[0]) : FEATURE_KEYS;
  const inputLabel = (key) => (tabular ? key : FEATURE_LABELS[key]);
  const active = tabular ? new Set(inputKeys) : new Set(settings.features.split(','));
  const layersEl = $('layers');
  layersEl.textContent = '';
  neuronCanvases = [];
  // Inputs: every feature, on or off.
  const inputs = document.createElement('div');
  inputs.className = 'layer inputs';
  const ih = document.createElement('div');
  ih.className = 'layer-head';
  ih.textContent = tabular ? t('net.inputs', { n: net.inputs.length }) : t('net.features');
  // An embed that locks the features (hide=features) does not invite clicking them.
  const locked = document.body.classList.contains('lock-features');
  $('net-hint').textContent = [tabular ? t('net.hint-table') : locked ? '' : t('net.hint-features'), t('net.hint-hover')]
    .filter((x) => x).join(' ');
  inputs.appendChild(ih);
  const featureCanvases = [];
  for (const key of inputKeys) {
    const b = document.createElement(tabular ? 'div' : 'button');
    if (!tabular) b.type = 'button';
    // A link that hides the features control (hide=features) keeps them as they are.
    if (!tabular && document.body.classList.contains('lock-features')) b.disabled = true;
    b.className = 'node feature' + (active.has(key) ? ' on' : '');
    b.dataset.feature = key;
    if (!tabular) b.setAttribute('aria-pressed', String(active.has(key)));
    b.setAttribute('aria-label', t(tabular ? 'net.input' : 'net.feature', { name: inputLabel(key) }));
    b.title = inputLabel(key);
    const c = document.createElement('canvas');
    c.className = 'thumb';
    const span = document.createElement('span');
    span.textContent = inputLabel(key).length > 18 ? inputLabel(key).slice(0, 17) + '…' : inputLabel(key);
    b.append(c, span);
    if (!tabular) b.addEventListener('click', () => {
      const cur = new Set(lab.settings().features.split(','));
      if (cur.has(key)) {
        if (cur.size === 1) { showNotices([t('net.one-feature')], t('notice.not-changed')); return; }
        cur.delete(key);
      } else cur.add(key);
      change('features', FEATURE_KEYS.filter((k) => cur.has(k)).join(','));
    });
    inputs.appendChild(b);
    featureCanvases.push(c);
  }
  if (net.inputs.length > inputKeys.length) {
    const more = document.createElement('div');
    more.className = 'hint';
    more.textContent = t('net.more-inputs', { n: net.inputs.length - inputKeys.length });
    inputs.appendChild(more);
  }
  layersEl.appendChild(inputs);
  // Hidden layers with their +/- neuron buttons.
  const sizes = net.sizes;
  const hidden = sizes.slice(1, -1);
  hidden.forEach((n, li) => {
    const col = document.createElement('div');
    col.className = 'layer hidden-layer';
    const head = document.createElement('div');
    head.className = 'layer-head';
    const plus = makeButton('+', t('net.add-neuron', { n: li + 1 }), () => {
      const h = hiddenSizes(); h[li] = Math.min(MAX_NEURONS, h[li] + 1); setHidden(h);
    }, n >= MAX_NEURONS);
    plus.className = 'add-neuron';
    const minus = makeButton('−', t('net.remove-neuron', { n: li + 1 }), () => {
      const h = hiddenSizes(); h[li] = Math.max(1, h[li] - 1); setHidden(h);
    }, n <= 1);
    minus.className = 'remove-neuron';
    const count = document.createElement('span');
    count.textContent = `${n}`;
    head.append(plus, count, minus);
    col.appendChild(head);
    for (let j = 0; j < n; j++) {
      const c = document.createElement('canvas');
      c.className = 'node neuron thumb';
      c.tabIndex = 0;
      c.dataset.layer = String(li + 1);
      c.dataset.neuron = String(j);
      c.setAttribute('aria-label', t('net.neuron-label', { j: j + 1, l: li + 1 }));
      const enter = () => { focus = { layer: li + 1, neuron: j }; dirty = true; };
      const leave = () => { focus = { layer: -1, neuron: -1 }; dirty = true; };
      c.addEventListener('mouseenter', enter);
      c.addEventListener('mouseleave', leave);
      c.addEventListener('focus', enter);
      c.addEventListener('blur', leave);
      col.appendChild(c);
      neuronCanvases.push(c);
    }
    layersEl.appendChild(col);
  });
  // Output node.
  const out = document.createElement('div');
  out.className = 'layer output-layer';
  const oh = document.createElement('div');
  oh.className = 'layer-head';
  const units = sizes[sizes.length - 1];
  oh.textContent = units > 1 ? `Softmax ×${units}` : t('net.output-linear');
  out.appendChild(oh);
  // One node per output unit: a class probability each for softmax, the value for regression.
  const names = lab.stats().class_names;
  for (let k = 0; k < units; k++) {
    const on = document.createElement('div');
    on.className = 'node out-node';
    if (units > 1) {
      const dot = document.createElement('i');
      dot.style.background = CLASS_COLORS[k % CLASS_COLORS.length];
      on.append(dot, document.createTextNode(className(names[k], k, tabular)));
    } else on.textContent = 'ŷ';
    out.appendChild(on);
  }
  layersEl.appendChild(out);

  for (const c of featureCanvases) sizeCanvas(c);
  for (const c of neuronCanvases) sizeCanvas(c);
  lab.draw_features(featureCanvases, inputKeys);
  buildLinks(net, active);
}

function center(el, box) {
  const r = el.getBoundingClientRect();
  return { x: r.left - box.left + r.width / 2, y: r.top - box.top + r.height / 2, r };
}

function buildLinks(net, active) {
  const svg = $('links');
  const box = $('network').getBoundingClientRect();
  svg.setAttribute('width', box.width);
  svg.setAttribute('height', box.height);
  svg.textContent = '';
  linkPaths = [];
  const cols = [...$('layers').children];
  const nodeLists = cols.map((c) => [...c.querySelectorAll('.node')]);
  // Layer 0's real inputs are the active features only.
  nodeLists[0] = nodeLists[0].filter((n) => active.has(n.dataset.feature));
  const ns = 'http://www.w3.org/2000/svg';
  for (let l = 0; l < net.weights.length; l++) {
    const from = nodeLists[l];
    const to = nodeLists[l + 1];
    net.weights[l].forEach((row, j) => {
      row.forEach((w, i) => {
        if (!from[i]) return;
        const a = center(from[i], box);
        const bNode = to[j];
        if (!bNode) return;
        const b = center(bNode, box);
        const x1 = a.x + a.r.width / 2, x2 = b.x - b.r.width / 2;
        const d = `M${x1},${a.y} C${(x1 + x2) / 2},${a.y} ${(x1 + x2) / 2},${b.y} ${x2},${b.y}`;
        const path = document.createElementNS(ns, 'path');
        path.setAttribute('d', d);
        path.setAttribute('class', 'link');
        const hit = document.createElementNS(ns, 'path');
        hit.setAttribute('d', d);
        hit.setAttribute('class', 'link-hit');
        hit.dataset.layer = String(l);
        hit.dataset.to = String(j);
        hit.dataset.from = String(i);
        hit.addEventListener('mousemove', (e) => showLinkTip(e, l, j, i));
        hit.addEventListener('mouseleave', () => { $('tooltip').hidden = true; });
        svg.append(path, hit);
        linkPaths.push({ path, l, j, i });
      });
    });
  }
  updateLinks(net);
}

function showLinkTip(e, l, j, i) {
  const net = lab.network();
  const w = net.weights[l][j][i];
  const tip = $('tooltip');
  const fromName = l === 0 ? net.inputs[i][1] : t('net.neuron', { i: i + 1, l });
  const toName = l === net.weights.length - 1 ? (net.sizes[net.sizes.length - 1] > 1 ? t('net.output-class', { k: j }) : t('net.output')) : t('net.neuron', { i: j + 1, l: l + 1 });
  tip.textContent = t('net.weight', { w: w.toFixed(3), from: fromName, to: toName });
  const box = $('network').getBoundingClientRect();
  tip.style.left = `${e.clientX - box.left + 12}px`;
  tip.style.top = `${e.clientY - box.top + 12}px`;
  tip.hidden = false;
}

function updateLinks(net) {
  for (const lp of linkPaths) {
    const w = net.weights[lp.l][lp.j][lp.i];
    lp.path.setAttribute('stroke-width', String(Math.min(8, 0.5 + Math.abs(w) * 2)));
    // Orange for negative, blue for positive: the same scale as the heatmaps.
    lp.path.setAttribute('stroke', w < 0 ? '#e69f00' : '#0072b2');
  }
}

// ---------- stats, legend ----------
function fmt(v, digits = 3) {
  return Number.isFinite(v) ? v.toFixed(digits) : (Number.isNaN(v) ? 'NaN' : '∞');
}

function updateStats(stats) {
  $('epoch').textContent = stats.epoch.toLocaleString('en');
  $('epoch-hint').textContent = stats.iterations
    ? t('epoch.of', { total: stats.iterations[1], n: stats.train_size.toLocaleString('en') })
    : t('epoch.hint', { n: stats.train_size.toLocaleString('en'), batches: stats.batches_per_epoch });
  // A classical model whose loss has no meaning (DBSCAN, mixtures, PCA) shows a dash; a
  // network's NaN is a divergence and is shown as such.
  const loss = (v) => (stats.model !== 'mlp' && Number.isNaN(v) ? '–' : fmt(v));
  $('train-loss').textContent = loss(stats.train_loss);
  $('test-loss').textContent = loss(stats.test_loss);
  const cls = stats.task === 'classification';
  $('loss-note').hidden = !(stats.tabular && !cls);
  for (const el of document.querySelectorAll('.metrics .acc')) el.hidden = !cls;
  if (cls) {
    $('train-acc').textContent = stats.train_accuracy == null ? '–' : (100 * stats.train_accuracy).toFixed(1) + '%';
    $('test-acc').textContent = stats.test_accuracy == null ? '–' : (100 * stats.test_accuracy).toFixed(1) + '%';
  }
}

const CLASS_COLORS = ['#e69f00', '#0072b2', '#009e73', '#cc79a7', '#56b4e9', '#f0e442', '#d55e00', '#444444', '#8c510a', '#aaaaaa'];
let legendKey = '';
function updateLegend(stats) {
  // The legend depends on these three only: rebuild its DOM when they change, not per frame.
  const key = `${stats.task}|${stats.kind}|${stats.classes}|${$('test').checked}|${stats.class_names.join(',')}|${stats.tabular}|${language()}`;
  if (key === legendKey) return;
  legendKey = key;
  const el = $('legend');
  el.textContent = '';
  const item = (color, text, ring) => {
    const s = document.createElement('span');
    const dot = document.createElement('i');
    dot.style.background = color;
    if (ring) dot.style.borderColor = ring;
    s.append(dot, document.createTextNode(text));
    el.appendChild(s);
  };
  if (stats.kind === 'clustering') {
    for (let k = 0; k < stats.classes; k++) item(CLASS_COLORS[k % CLASS_COLORS.length], t('legend.cluster', { k: k + 1 }));
  } else if (stats.task === 'classification' && stats.kind !== 'reduction') {
    for (let k = 0; k < stats.classes; k++) {
      item(CLASS_COLORS[k % CLASS_COLORS.length], className(stats.class_names[k], k, stats.tabular));
    }
  } else if (stats.tabular && stats.kind === 'regression') {
    // A table's target is standardised: the colours say below or above its training mean.
    item('#e69f00', t('legend.below'));
    item('#f7f7f7', t('legend.mean'));
    item('#0072b2', t('legend.above'));
  } else {
    item('#e69f00', t('legend.negative'));
    item('#f7f7f7', '0');
    item('#0072b2', t('legend.positive'));
  }
  item('#ffffff', t('legend.train'), '#999');
  if ($('test').checked) item('#ffffff', t('legend.test'), '#141414');
}

function updateCaption(stats) {
  const cap = $('view-caption');
  const parts = [];
  if (focus.layer >= 1) parts.push(t('caption.neuron', { n: focus.neuron + 1, l: focus.layer }));
  if (stats.view_label) parts.push(stats.view_label);
  if (stats.data === 'drawn' && stats.status.state === 'failed') parts.push(stats.status.message);
  if (stats.data === 'drawn' && document.activeElement === $('view') && $('view-caption').dataset.cursor) parts.push($('view-caption').dataset.cursor);
  if (stats.shown_points < stats.total_points) {
    parts.push(t('caption.sample', { shown: stats.shown_points.toLocaleString('en'), total: stats.total_points.toLocaleString('en') }));
  }
  cap.textContent = parts.join(' · ');
}

let panelKey = '';
/** The summary and the model's chart, redrawn only when the fitted model or the layout changed. */
function updateModelPanel(stats, layoutChanged) {
  const key = `${lab.link()}|${stats.epoch}`;
  if (key === panelKey && !layoutChanged) return;
  panelKey = key;
  const ul = $('model-summary');
  ul.textContent = '';
  for (const line of lab.model_summary()) {
    const li = document.createElement('li');
    li.textContent = line;
    ul.appendChild(li);
  }
  const chart = $('model-chart');
  chart.hidden = !stats.model_chart;
  $('export-model-chart').hidden = !stats.model_chart;
  if (stats.model_chart) {
    if (chart.width < 2) { sizeCanvas(chart); }
    lab.draw_model(chart);
  }
}

// ---------- frame loop ----------
// ---------- evaluation and tuning ----------
let evalKey = '';          // the model state the metrics panel shows
let evalAt = 0;
let evalRunning = null;    // 'cv' or 'search' while one runs
let searchView = null;     // the last search step: {results, best, ...}
let searchSort = { column: 'score', descending: true };
let pins = [];             // pinned runs: {number, link, score, scoreName, train, epoch, losses, pairs}
const SEARCH_ROWS = 3;     // settings a search can vary from the page (the core takes up to 4)
const SLICE_MS = 12;       // work per slice of a cross-validation or search

function cellText(v, digits = 3) {
  return v == null || Number.isNaN(v) ? '–' : Number(v).toFixed(digits);
}

function fillTable(table, head, rows) {
  const thead = table.querySelector('thead');
  const tbody = table.querySelector('tbody');
  thead.replaceChildren();
  tbody.replaceChildren();
  if (head) {
    const tr = document.createElement('tr');
    for (const h of head) {
      const th = document.createElement('th');
      th.scope = 'col';
      if (h instanceof Node) th.appendChild(h); else th.textContent = h;
      tr.appendChild(th);
    }
    thead.appendChild(tr);
  }
  for (const row of rows) {
    const tr = document.createElement('tr');
    row.forEach((cell, i) => {
      const td = document.createElement(i === 0 ? 'th' : 'td');
      if (i === 0) td.scope = 'row';
      if (cell instanceof Node) td.appendChild(cell); else td.textContent = cell;
      tr.appendChild(td);
    });
    tbody.appendChild(tr);
  }
}

/** The main score of a report: accuracy, R² or silhouette. */
function mainScore(r) {
  if (!r) return null;
  if (r.kind === 'classification') return { name: 'accuracy', value: r.accuracy };
  if (r.kind === 'regression') return { name: 'R²', value: r.r2 };
  if (r.kind === 'clustering') return { name: 'silhouette', value: r.silhouette };
  return null;
}

function metricsHead() {
  return [t('eval.metric'), t('eval.test'), t('eval.train')];
}

function metricRows(test, train) {
  const mean = (list) => (list.length ? list.reduce((a, c) => a + c.area, 0) / list.length : null);
  if (test.kind === 'classification') {
    const pick = (r) => [r.accuracy, r.balanced_accuracy, r.macro_avg.precision, r.macro_avg.recall, r.macro_avg.f1,
      r.weighted_avg.f1, r.log_loss, r.roc_auc, mean(r.pr)];
    const names = [t('metric.accuracy'), t('metric.balanced'), t('metric.precision-macro'), t('metric.recall-macro'), t('metric.f1-macro'),
      t('metric.f1-weighted'), t('metric.log-loss'), t('metric.roc-auc'), t('metric.ap')];
    const [a, b] = [pick(test), pick(train)];
    return names.map((n, i) => [n, cellText(a[i]), cellText(b[i])]);
  }
  if (test.kind === 'regression') {
    return [['MSE', 'mse'], ['RMSE', 'rmse'], ['MAE', 'mae'], ['R²', 'r2']].map(([n, k]) => [n, cellText(test[k]), cellText(train[k])]);
  }
  if (test.kind === 'clustering') {
    return [
      [t('metric.silhouette'), cellText(test.silhouette), cellText(train.silhouette)],
      [t('metric.ari'), cellText(test.adjusted_rand), cellText(train.adjusted_rand)],
    ];
  }
  return [['–', t('metric.projection'), '']];
}

function updateEvaluation(stats, force) {
  if ($('evaluate').hidden) return;
  const now = performance.now();
  // While training, the metrics follow at most every 1.5 s; a paused model at once. (The
  // throttle comes first: this runs on every frame that draws.)
  if (!force && playing && now - evalAt < 1500) return;
  const key = `${lab.link()}|${stats.epoch}|${stats.iterations ? stats.iterations[0] : ''}|${language()}`;
  if (!force && key === evalKey) return;
  evalKey = key;
  evalAt = now;
  const ev = lab.evaluation();
  if (!ev) {
    fillTable($('metrics-table'), metricsHead(), [[t('eval.unfitted'), '', '']]);
    $('class-block').hidden = true;
    $('curves-block').hidden = true;
    return;
  }
  fillTable($('metrics-table'), metricsHead(), metricRows(ev.test, ev.train));
  const cls = ev.test.kind === 'classification';
  $('class-block').hidden = !cls;
  const curves = cls && ev.test.roc.length > 0;
  $('curves-block').hidden = !curves;
  if (cls) {
    const r = ev.test;
    const names = ev.class_names.map((n, i) => className(n || undefined, i, stats.tabular));
    const classRows = r.per_class.map((c, i) => [names[i] || className(undefined, i), cellText(c.precision), cellText(c.recall), cellText(c.f1), String(c.support)]);
    classRows.push([t('eval.macro'), cellText(r.macro_avg.precision), cellText(r.macro_avg.recall), cellText(r.macro_avg.f1), String(r.macro_avg.support)]);
    classRows.push([t('eval.weighted'), cellText(r.weighted_avg.precision), cellText(r.weighted_avg.recall), cellText(r.weighted_avg.f1), String(r.weighted_avg.support)]);
    fillTable($('class-table'), [t('eval.class'), t('eval.precision'), t('eval.recall'), 'F1', t('eval.support')], classRows);
    const rows = r.confusion.map((row, truth) => [names[truth] || className(undefined, truth), ...row.map((n, p) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'cell' + (truth === p ? ' diagonal' : '');
      b.textContent = String(n);
      b.dataset.truth = truth;
      b.dataset.predicted = p;
      b.setAttribute('aria-label', t('eval.cell', { n, truth: names[truth] || truth, predicted: names[p] || p }));
      b.setAttribute('aria-pressed', String(selectedCell && selectedCell[0] === truth && selectedCell[1] === p));
      b.addEventListener('click', () => pickCell(truth, p));
      return b;
    })]);
    fillTable($('confusion'), [t('eval.true-predicted'), ...names.map((n, i) => n || className(undefined, i))], rows);
  }
  if (curves) {
    sizeCanvas($('roc-chart'));
    sizeCanvas($('pr-chart'));
    lab.draw_curves($('roc-chart'), 'roc');
    lab.draw_curves($('pr-chart'), 'pr');
  }
}

let selectedCell = null;
let pickedRows = null;     // how many test rows the picked cell holds
function writeConfusionNote() {
  const n = pickedRows;
  $('confusion-note').textContent = n === null ? ''
    : t(n === 1 ? 'eval.picked-one' : 'eval.picked', { n, images: lab.stats().image ? t('eval.picked-images') : '' });
}
function pickCell(truth, p) {
  const same = selectedCell && selectedCell[0] === truth && selectedCell[1] === p;
  selectedCell = same ? null : [truth, p];
  const n = same ? lab.select_cell(-1, -1) : lab.select_cell(truth, p);
  pickedRows = same ? null : n;
  writeConfusionNote();
  for (const b of $('confusion').querySelectorAll('button.cell')) {
    b.setAttribute('aria-pressed', String(!same && Number(b.dataset.truth) === truth && Number(b.dataset.predicted) === p));
  }
  imagesAt = { key: '', time: 0 };
  dirty = true;
}

function fmtDuration(ms) {
  if (ms == null) return '';
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

function setRunning(kind) {
  evalRunning = kind;
  $('cv-run').disabled = kind !== null;
  $('lc-run').disabled = kind !== null;
  $('search-run').disabled = kind !== null;
}

/** Runs `step` in slices until it reports done, updating the page after each. */
function runSlices(kind, step, show) {
  setRunning(kind);
  const tick = () => {
    let r;
    try {
      r = step();
    } catch (e) {
      setRunning(null);
      showNotices([String(e && e.message ? e.message : e)], t('eval.stopped'));
      return;
    }
    show(r);
    if (r && !r.done && !r.cancelled) setTimeout(tick, 0);
    else setRunning(null);
  };
  setTimeout(tick, 0);
}

/** A slice runner's state: done, cancelled, or the time left. */
function runState(r, cancelled = t('eval.cancelled')) {
  return r.done ? t('eval.done') : r.cancelled ? cancelled : t('eval.left', { time: fmtDuration(r.left_ms) }).trim();
}

/** A score's name as the core gives it (“accuracy”), in the page's language. */
function scoreName(name) {
  return translate(`score.${name}`, name);
}

let lastCv = null;         // the last cross-validation step shown (shown again in another language)
function showCv(r) {
  lastCv = r;
  $('cv-progress-row').hidden = false;
  $('cv-progress').value = r.progress;
  $('cv-status').textContent = t('eval.cv-status', { count: r.count, total: r.total, state: runState(r) });
  $('cv-cancel').disabled = r.done || r.cancelled;
  const folds = r.results.length ? r.results[0].folds.length : 0;
  const head = [t('eval.metric'), t('eval.mean-std'), ...Array.from({ length: folds }, (_, i) => t('eval.fold', { n: i + 1 }))];
  fillTable($('cv-table'), head, r.results.map((m) => [scoreName(m.name), `${cellText(m.mean)} ± ${cellText(m.std)}`, ...m.folds.map((v) => cellText(v))]));
}

function startCv() {
  try {
    lab.cv_start();
  } catch (e) {
    if (needsFull(e)) throw e; // the listener moves to the full build and runs again
    showNotices([String(e)], t('eval.cv-failed'));
    return;
  }
  runSlices('cv', () => lab.cv_step(SLICE_MS), showCv);
}

let lastLc = null;         // the last learning-curve step shown
function showLcStatus(r) {
  $('lc-status').textContent = t('eval.lc-status', { count: r.count, total: r.total, state: runState(r) });
}

function startLearningCurve() {
  try {
    lab.lc_start();
  } catch (e) {
    if (needsFull(e)) throw e; // the listener moves to the full build and runs again
    showNotices([String(e)], t('eval.lc-failed'));
    return;
  }
  $('lc-chart').hidden = false;
  $('lc-cancel').hidden = false;
  sizeCanvas($('lc-chart'));
  runSlices('lc', () => lab.lc_step(SLICE_MS), (r) => {
    lastLc = r;
    showLcStatus(r);
    $('lc-cancel').hidden = r.done || r.cancelled;
    lab.draw_learning_curve($('lc-chart'));
  });
}

function buildSearchRows() {
  const box = $('search-params');
  const settings = lab.searchable();
  const spec = lab.search_spec();
  const key = settings.map((s) => s.key).join() + '|' + (spec ? spec.space : '');
  if (box.dataset.key === key) return;
  box.dataset.key = key;
  box.replaceChildren();
  if (spec) {
    $('search-kind').value = spec.kind;
    $('search-tries').value = spec.tries;
  }
  $('search-tries').disabled = $('search-kind').value !== 'random';
  for (let i = 0; i < SEARCH_ROWS; i++) {
    const row = document.createElement('div');
    row.className = 'eval-row search-param';
    const sel = document.createElement('select');
    sel.id = `search-key-${i}`;
    const none = document.createElement('option');
    none.value = '';
    none.textContent = '—';
    sel.appendChild(none);
    for (const s of settings) {
      const o = document.createElement('option');
      o.value = s.key;
      sel.appendChild(o);
    }
    const input = document.createElement('input');
    input.type = 'text';
    input.id = `search-values-${i}`;
    input.spellcheck = false;
    const suggest = () => {
      const s = settings.find((x) => x.key === sel.value);
      if (!s) { input.value = ''; return; }
      if (s.type === 'choice') input.value = s.options.join(',');
      else if (s.type === 'int') input.value = `${s.min}..${Math.min(s.max, s.min + 20)}`;
      else input.value = s.log ? `${s.min}..${s.max}:log` : `${s.min}..${s.max}`;
    };
    sel.addEventListener('change', suggest);
    const given = spec && spec.params[i];
    if (given) { sel.value = given[0]; input.value = given[1]; }
    row.append(sel, input);
    box.appendChild(row);
  }
  labelSearchRows();
}

/** The search rows' words: each setting's label, in the page's language. */
function labelSearchRows() {
  const model = lab.settings().model;
  const settings = lab.searchable();
  for (let i = 0; i < SEARCH_ROWS; i++) {
    const sel = $(`search-key-${i}`);
    if (!sel) return;
    sel.setAttribute('aria-label', t('eval.search-setting', { n: i + 1 }));
    $(`search-values-${i}`).setAttribute('aria-label', t('eval.search-values', { n: i + 1 }));
    for (const o of sel.options) {
      const s = settings.find((x) => x.key === o.value);
      if (s) o.textContent = settingText(model, s, 'label');
    }
  }
}

function searchSpace() {
  const parts = [];
  for (let i = 0; i < SEARCH_ROWS; i++) {
    const key = $(`search-key-${i}`).value;
    const values = $(`search-values-${i}`).value.trim();
    if (key && values) parts.push(`${key}:${values}`);
  }
  return parts.join(';');
}

let searchNoticesShown = false;
function showSearch(r) {
  if (!r) return;
  if (r.notices.length && !searchNoticesShown) {
    searchNoticesShown = true;
    showNotices(r.notices, t('eval.search-notices'));
  }
  searchView = r;
  $('search-progress-row').hidden = false;
  $('search-progress').value = r.progress;
  $('search-status').textContent = `${t('eval.candidates-count', { count: r.count, total: r.total })} · ${runState(r, t('eval.search-cancelled'))}`;
  $('search-cancel').disabled = r.done || r.cancelled;
  $('search-apply').disabled = r.best == null;
  renderSearchTable();
  $('search-heatmap').hidden = !lab.draw_search_heatmap($('search-heatmap'));
}

function renderSearchTable() {
  const r = searchView;
  if (!r || !r.results.length) { fillTable($('search-table'), null, []); return; }
  const keys = r.results[0].settings.map((p) => p[0]);
  const found = r.results.find((c) => c.scores.length);
  const score = found ? scoreName(found.scores[0].name) : t('eval.score');
  const order = r.results.map((c, i) => i);
  const value = (i) => {
    const c = r.results[i];
    if (searchSort.column === 'score') return c.scores.length ? c.scores[0].mean : -Infinity;
    if (searchSort.column === 'index') return i;
    const v = c.settings[searchSort.column][1];
    return Number.isNaN(Number(v)) ? v : Number(v);
  };
  order.sort((a, b) => {
    const [x, y] = [value(a), value(b)];
    const cmp = x < y ? -1 : x > y ? 1 : a - b;
    return searchSort.descending ? -cmp : cmp;
  });
  const header = (label, column) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'sort';
    const arrow = searchSort.column === column ? (searchSort.descending ? ' ▼' : ' ▲') : '';
    b.textContent = label + arrow;
    b.setAttribute('aria-label', t('eval.sort', { label }));
    b.addEventListener('click', () => {
      searchSort = { column, descending: searchSort.column === column ? !searchSort.descending : column === 'score' };
      renderSearchTable();
    });
    return b;
  };
  const head = [header('#', 'index'), ...keys.map((k, j) => header(k, j)), header(t('eval.score-column', { name: score }), 'score'), ''];
  const rows = order.map((i) => {
    const c = r.results[i];
    const apply = document.createElement('button');
    apply.type = 'button';
    apply.className = 'small';
    apply.textContent = t('apply');
    apply.setAttribute('aria-label', t('eval.apply-candidate', { n: i + 1 }));
    apply.disabled = !c.scores.length;
    apply.addEventListener('click', () => applyCandidate(i));
    const cell = c.error ? t('eval.failed', { error: c.error }) : `${cellText(c.scores[0].mean)} ± ${cellText(c.scores[0].std)}`;
    return [String(i + 1) + (i === r.best ? ' ★' : ''), ...c.settings.map((p) => p[1]), cell, apply];
  });
  fillTable($('search-table'), head, rows);
}

function applyCandidate(i) {
  try {
    const notices = lab.search_apply(i);
    if (notices.length) showNotices(notices, t('eval.applied'));
  } catch (e) {
    if (needsFull(e)) throw e; // the listener moves to the full build and runs again
    showNotices([String(e)], t('eval.not-applied'));
    return;
  }
  writeLink('push');
  afterExperimentChange();
}

function startSearch() {
  const notices = lab.set_search($('search-kind').value, Number($('search-tries').value) || 20, searchSpace());
  writeLink('push');
  syncText();
  if (notices.length) showNotices(notices, t('eval.search-adjusted'));
  let total;
  try {
    total = lab.search_start();
  } catch (e) {
    if (needsFull(e)) throw e; // the listener moves to the full build and runs again
    showNotices([String(e)], t('eval.search-failed'));
    return;
  }
  searchSort = { column: 'score', descending: true };
  searchNoticesShown = false;
  $('search-status').textContent = t('eval.candidates-count', { count: 0, total });
  runSlices('search', () => lab.search_step(SLICE_MS), showSearch);
}

function pinRun() {
  const stats = lab.stats();
  const ev = lab.evaluation();
  if (!ev) { showNotices([t('eval.pin-unfitted')], t('eval.not-pinned')); return; }
  const score = mainScore(ev.test);
  const train = mainScore(ev.train);
  pins.push({
    number: pins.length + 1,
    link: lab.link(),
    score: score ? score.value : null,
    scoreName: score ? score.name : '',
    train: train ? train.value : null,
    epoch: stats.epoch,
    model: stats.model,
    losses: Array.from(lab.losses()),
  });
  renderPins();
}

const SPLIT_KEYS = ['data', 'target', 'framing', 'missing', 'labelenc', 'exclude', 'classes', 'samples', 'noise', 'train', 'strat', 'dseed', 'csv', 'points'];
function pairsOf(link) {
  return Object.fromEntries(link.split('&').map((p) => p.split('=')).filter((p) => p.length === 2));
}

function renderPins() {
  $('pins-clear').disabled = pins.length === 0;
  if (!pins.length) { fillTable($('pins-table'), null, []); $('pins-loss').hidden = true; return; }
  const ranked = pins.slice().sort((a, b) => (b.score ?? -Infinity) - (a.score ?? -Infinity));
  const best = pairsOf(ranked[0].link);
  const runName = (p) => t('eval.run', { n: p.number });
  const rows = ranked.map((p, rank) => {
    const pairs = pairsOf(p.link);
    const keys = new Set([...Object.keys(pairs), ...Object.keys(best)]);
    const diff = [...keys].filter((k) => k !== 'v' && pairs[k] !== best[k]).map((k) => `${k}=${pairs[k] ?? t('eval.unset')}`);
    const sameSplit = SPLIT_KEYS.every((k) => pairs[k] === best[k]);
    const open = document.createElement('button');
    open.type = 'button';
    open.className = 'small';
    open.textContent = t('open');
    open.setAttribute('aria-label', t('eval.open-run', { name: runName(p) }));
    open.addEventListener('click', () => {
      const notices = lab.load(p.link);
      if (notices.length) showNotices(notices);
      writeLink('push');
      afterOpening(lab.settings().data);
    });
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'small';
    remove.textContent = t('remove');
    remove.setAttribute('aria-label', t('eval.remove-run', { name: runName(p) }));
    remove.addEventListener('click', () => { pins = pins.filter((x) => x !== p); renderPins(); });
    const actions = document.createElement('span');
    actions.append(open, ' ', remove);
    return [String(rank + 1), runName(p), `${scoreName(p.scoreName)} ${cellText(p.score)}`, cellText(p.train), String(p.epoch),
      rank === 0 ? t('eval.best') : (diff.join(' ') || t('eval.same')) + (sameSplit ? '' : ` ${t('eval.not-comparable')}`), actions];
  });
  fillTable($('pins-table'), [t('eval.rank'), t('eval.run-column'), t('eval.test-score'), t('eval.train-score'), t('epoch'), t('eval.differ'), ''], rows);
  const withLosses = pins.filter((p) => p.losses.length > 3);
  $('pins-loss').hidden = withLosses.length === 0;
  if (withLosses.length) {
    sizeCanvas($('pins-loss'));
    WASM.drawRuns($('pins-loss'), withLosses.map((p) => ({ name: runName(p), losses: p.losses })));
  }
}

function wireEvaluation() {
  $('strat').addEventListener('change', (e) => change('strat', e.target.checked ? '1' : '0'));
  $('folds').addEventListener('change', (e) => change('folds', e.target.value));
  $('cv-run').addEventListener('click', startCv);
  $('cv-cancel').addEventListener('click', () => lab.eval_cancel());
  $('lc-run').addEventListener('click', startLearningCurve);
  $('lc-cancel').addEventListener('click', () => lab.eval_cancel());
  $('search-kind').addEventListener('change', () => { $('search-tries').disabled = $('search-kind').value !== 'random'; });
  $('search-run').addEventListener('click', startSearch);
  $('search-cancel').addEventListener('click', () => lab.eval_cancel());
  $('search-apply').addEventListener('click', () => { if (searchView && searchView.best != null) applyCandidate(searchView.best); });
  $('pin-run').addEventListener('click', pinRun);
  $('pins-clear').addEventListener('click', () => { pins = []; renderPins(); });
  renderPins();
}

function syncEvalControls(s) {
  $('strat').checked = s.strat === '1';
  $('folds').value = s.folds || '0';
  selectedCell = null;
  pickedRows = null;
  $('confusion-note').textContent = '';
  buildSearchRows();
}

// ---------- autosave ----------
// The experiment is kept in this browser's storage as it changes (with its data and trained
// state when they fit), so closing the tab or a crash loses nothing: the next visit offers it.
const SAVE_KEY = 'latih.autosave.v1';
const SAVE_MAX_CHARS = 4_000_000;  // localStorage holds about 5 MB per site
const SAVE_CSV_MAX_BYTES = 8_000_000;
const SAVE_EVERY_MS = 3000;
let saveKey = '';
let saveAt = 0;
let offering = false;      // a restore offer is shown: saving would overwrite what it offers

function readSaved() {
  try {
    const saved = JSON.parse(localStorage.getItem(SAVE_KEY) || 'null');
    return saved && typeof saved.link === 'string' ? saved : null;
  } catch {
    return null;
  }
}

function saveNow() {
  // (While a link's trained state is replayed, a save would hold a partial state of it.)
  if (!lab || offering || lab.display().embed || lab.replaying()) return;
  const stats = lab.stats();
  const link = lab.link();
  const key = `${link}|${stats.epoch}`;
  if (key === saveKey) return;
  saveKey = key;
  const own = lab.settings().data === 'csv';
  const csv = own && lastCsv && lastCsv.bytes.length <= SAVE_CSV_MAX_BYTES ? lastCsv.bytes : undefined;
  const withData = !own || csv !== undefined || lab.holds_data();
  const record = { time: Date.now(), link, epoch: stats.epoch, kind: 'link', file: null, data: withData ? null : (userFile || 'your file') };
  if (withData) {
    try {
      const file = lab.model_file(csv);
      if (file.length <= SAVE_MAX_CHARS) Object.assign(record, { kind: 'model', file });
    } catch { /* an unsaveable state: the link alone */ }
  }
  const linkOnly = { ...record, kind: 'link', file: null, data: own && !lab.link_has_data() ? (userFile || 'your file') : null };
  if (record.kind === 'link') Object.assign(record, linkOnly);
  for (const r of [record, linkOnly]) {
    try {
      localStorage.setItem(SAVE_KEY, JSON.stringify(r));
      return;
    } catch { /* over the quota: try the link alone */ }
  }
}

let saveTimer = 0;
/** Saves now, or once the last save is SAVE_EVERY_MS old (a change in between is not lost). */
function autosave() {
  const wait = SAVE_EVERY_MS - (performance.now() - saveAt);
  if (wait > 0) {
    if (!saveTimer) saveTimer = setTimeout(() => { saveTimer = 0; autosave(); }, wait);
    return;
  }
  saveAt = performance.now();
  saveNow();
}

let restoreText = null;     // writes the restore offer's text (again, in another language)
function offerRestore() {
  const saved = readSaved();
  if (!saved || lab.display().embed) return;
  if (saved.link === lab.link() && !saved.epoch) return;
  offering = true;
  restoreText = () => {
    const when = language() === 'en' ? new Date(saved.time).toLocaleString() : new Date(saved.time).toLocaleString(language());
    const what = saved.epoch ? t(saved.epoch === 1 ? 'restore.trained-one' : 'restore.trained', { n: saved.epoch }) : t('restore.untrained');
    const data = saved.data ? ' ' + t('restore.data', { name: saved.data }) : '';
    $('restore-text').textContent = t('restore.text', { what, when }) + data;
  };
  restoreText();
  $('restore').hidden = false;
  const done = () => { offering = false; $('restore').hidden = true; saveKey = ''; };
  $('restore-yes').onclick = retrying(() => {
    // (The offer stays until the experiment is open: a move to the full build in between must
    // not let autosave write over what is offered.)
    if (saved.kind === 'model' && saved.file) {
      openSavedFile((b) => lab.open_model_file(b), new TextEncoder().encode(saved.file), t('restore.name'), (n) => n.length ? n : [t('restore.done-model')]);
      done();
    } else {
      const notices = lab.load(saved.link);
      done();
      afterOpening(saved.data || (() => t('data.from-link')));
      showNotices(notices.length ? notices : [t('restore.done-link')], t('restore.done'));
    }
    writeLink('push');
  });
  $('restore-no').onclick = done;
}

// ---------- crash recovery ----------
// A panic in the core traps the wasm call and leaves its Lab unusable. The page says what
// failed, keeps the experiment, and on "Reset and continue" opens it in a new Lab (from the
// autosave, which holds the data and trained state, or from the link) without reloading.
let crashed = null;        // {message, link} while the crash panel is shown

function isCoreFailure(error) {
  if (!error) return false;
  if (typeof WebAssembly !== 'undefined' && error instanceof WebAssembly.RuntimeError) return true;
  return /recursive use of an object|null pointer passed to rust|unreachable/i.test(String(error.message || error));
}

function onCrash(error) {
  if (!isCoreFailure(error) || crashed) return;
  setPlaying(false);
  const panic = WASM ? WASM.lastPanic() : '';
  crashed = { message: panic || String(error.message || error), link: location.href };
  $('crash-text').textContent = crashed.message;
  $('crash-copied').textContent = '';
  $('crash').hidden = false;
  $('crash-reset').focus();
}

function recover() {
  const saved = readSaved();
  const fragment = currentFragment();
  let fresh;
  try {
    fresh = new WASM.Lab(fragment);
  } catch (e) {
    if (needsFull(e)) throw e; // (the listener moves to the full build and recovers there)
    fresh = new WASM.Lab('');
  }
  lab = guard(fresh);
  crashed = null;
  $('crash').hidden = true;
  if (saved && saved.kind === 'model' && saved.file && saved.link === fragment) {
    try { lab.open_model_file(new TextEncoder().encode(saved.file)); } catch { /* the link alone */ }
  } else if (lab.settings().data === 'csv' && !lab.link_has_data() && lastCsv) {
    showNotices([t('crash.reopen-file')], t('crash.reopened'));
  }
  afterOpening(userFileName || userFile || (() => t('data.from-link')));
  structureDirty = true;
  schedule();
}

function wireCrash() {
  addEventListener('error', (e) => onCrash(e.error));
  addEventListener('unhandledrejection', (e) => onCrash(e.reason));
  $('crash-reset').addEventListener('click', recover);
  $('crash-report').addEventListener('click', async () => {
    const report = `Latih failed: ${crashed ? crashed.message : ''}\nExperiment: ${crashed ? crashed.link : location.href}\nBrowser: ${navigator.userAgent}`;
    try {
      await navigator.clipboard.writeText(report);
      $('crash-copied').textContent = t('crash.copied');
    } catch {
      $('crash-copied').textContent = report;
    }
  });
}

let frameQueued = false;
/** Queues the next frame unless one is queued (recovery must not start a second loop). */
function schedule() {
  if (frameQueued) return;
  frameQueued = true;
  requestAnimationFrame(() => { frameQueued = false; frame(); });
}

function frame() {
  // While the crash panel is shown the loop stops; recovery starts it again.
  if (crashed) return;
  let stats = null;
  let layoutChanged = false;
  // A replay ended by Play, Step or another experiment: its progress line goes.
  if (!lab.replaying() && $('status').classList.contains('replaying')) showStatus(lab.stats());
  if (playing) {
    // Train for what drawing leaves of the frame: while the engine still runs unoptimised
    // code (the first frames), or on a slow phone, frames stay short instead of blocking.
    lab.train(Math.max(2, Math.min(TRAIN_BUDGET_MS, FRAME_BUDGET_MS - drawMs)), 0);
    stats = lab.stats();
    if (stats.status.state !== 'ready') { setPlaying(false); showStatus(stats); }
    dirty = true;
  } else if (lab.replaying()) {
    // A link or file named a trained state without its weights: its training is replayed
    // in frames, as Play trains, until the state is reached.
    const target = lab.replay_target();
    // Nothing else is going on: most of a frame goes to it, still short of a long task.
    const done = lab.replay_step(REPLAY_BUDGET_MS);
    stats = lab.stats();
    if (done < 1) showReplay(done, target);
    else { showStatus(stats); updateEvaluation(stats, true); }
    dirty = true;
  }
  if (structureDirty) {
    if (!$('mlp-panel').hidden) buildNetwork();
    else sizeCanvas($('model-chart'));
    // Canvas sizes change only with the layout: measure them here, not every frame.
    sizeCanvas($('view'));
    sizeCanvas($('loss-chart'));
    structureDirty = false;
    layoutChanged = true;
    dirty = true;
  }
  checkLesson();
  if (dirty) {
    const drawStart = performance.now();
    stats = stats || lab.stats();
    lab.draw($('view'), neuronCanvases, focus.layer, focus.neuron);
    drawCursorMark();
    lab.draw_loss($('loss-chart'));
    if (stats.model === 'mlp') updateLinks(lab.network());
    else updateModelPanel(stats, layoutChanged);
    updateStats(stats);
    updateImages(stats, layoutChanged);
    updateLegend(stats);
    updateCaption(stats);
    updateEvaluation(stats, layoutChanged);
    autosave();
    dirty = false;
    drawMs = 0.7 * drawMs + 0.3 * (performance.now() - drawStart);
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
  if (WASM === module) return;
  let state = null;
  try {
    state = lab.handover();
  } catch {
    // A Lab a crash left unusable: its link opens instead.
  }
  const next = new module.Lab(state ? '' : currentFragment());
  let notices = [];
  try {
    if (state) notices = next.take_over(state);
  } catch (e) {
    next.free();
    throw e;
  }
  const before = lab;
  lab = next;
  WASM = module;
  try { before.free(); } catch { /* already unusable */ }
  if (notices.length) showNotices(notices);
  // Everything drawn or built from the old Lab is drawn again from the new one.
  structureDirty = true;
  dirty = true;
  edaKey = '';
  evalKey = '';
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
    if (lab) showStatus(lab.stats());
  }
}

/** Says that the full build could not be had (offline before it was ever loaded, say). */
function fullFailed(error) {
  showNotices([String(error && error.message ? error.message : error)], t('full.failed'));
}

async function main() {
  const wasm = await bindings();
  WASM = wasm;
  initBuilds(wasm, { move: moveTo, loading: showLoadingFull, failed: fullFailed });
  // From here on, a control whose work needs the full build waits for it and runs again.
  retryEveryListener();
  MODELS = wasm.models();
  DATASETS = wasm.datasets();
  try {
    lab = guard(new wasm.Lab(currentFragment()));
  } catch (e) {
    // A link to a model family, a table or a file's data: the full build opens it.
    if (!needsFull(e)) throw e;
    showLoadingFull(true);
    try {
      WASM = await fullBuild();
      lab = new WASM.Lab(currentFragment());
    } catch (failed) {
      // Offline before the full build was ever loaded: the default experiment, and why.
      lab = guard(new wasm.Lab(''));
      fullFailed(failed);
    }
    showLoadingFull(false);
  }
  // The language: the link's, else the browser's; everything below is built in it.
  const lang = lab.lesson().lang || browserLanguage();
  setLanguage(lang);
  // The core writes its status and summaries in the page's language too (an English page
  // leaves the link as it was).
  if (lang !== 'en' && !lab.lesson().lang) lab.set_lang(lang);
  setPlaying(false);
  fillRealData();
  if (lab.settings().data === 'csv') addOwnData(() => t('data.from-link'));
  const notices = lab.notices();
  if (location.hash !== '' && location.hash !== '#') showNotices(notices);
  writeLink('replace');
  wireControls();
  wirePad();
  wireSharing();
  wireEvaluation();
  wireCrash();
  applyDisplay();
  syncControls();
  syncText();
  showStatus(lab.stats());
  // Tests and the console reach the live lab here.
  window.latih = {
    get lab() { return lab; },
    get playing() { return playing; },
    setPlaying,
    redraw() { dirty = true; },
    get models() { return MODELS; },
    saveNow() { saveKey = ''; saveNow(); },
    parseLesson: (text) => wasm.parseLesson(text),
    csvLimit: wasm.csvLimit(),
    /** Which build runs the page, and the move to the full one (tests, the console). */
    get build() { return WASM.isFull() ? 'full' : 'playground'; },
    full: useFull,
    settled,
  };
  updateExplore();
  startLessons(wasm);
  initExplain({ getLab: () => lab, models: () => MODELS, formula: (tex) => wasm.formula(tex) });
  offerRestore();
  addEventListener('pagehide', saveNow);
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'hidden') saveNow(); });
  schedule();
  await warmUp(WASM);
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
  const scratch = new wasm.Lab(lab.link());
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
