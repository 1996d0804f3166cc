// The data panel: the data picker (generators, the shipped datasets, the person's file by
// picker, drop or paste, read in slices), the table options, and the EDA panel (a row per column
// with its chart, input and encoding choices; the scatter matrix). Also opens the files Latih
// saves (experiments, models).

import { state, writeLink, linkNames, namesValue } from './state.js';
import { $, showNotices, sizeCanvas } from './ui.js';
import { syncControls, change, afterExperimentChange, setPlaying, afterOpening } from './controls.js';
import { syncDrawControls } from './drawing.js';
import { openFile as openLessonFile, isLessonFile } from './lessons.js';
import { t, translate, language } from './i18n.js';
import { needsFull, useFull } from './builds.js';

const MAX_MATRIX = 6;

/** The shipped datasets in the data picker, named in the page's language. */
export function fillRealData() {
  const group = $('real-data');
  state.datasets.forEach((d, i) => {
    const o = group.children[i] || group.appendChild(document.createElement('option'));
    o.value = d.id;
    o.textContent = translate(`dataset.${d.id}.name`, d.name);
  });
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

export function syncDataControls(s) {
  syncDrawControls(s);
  const stats = state.lab.stats();
  const tab = stats.tabular;
  $('generator-options').hidden = tab || s.data === 'drawn';
  // The file's format can be chosen when this page still has the file (not for data from a link).
  const own = s.data === 'csv';
  $('csv-format').hidden = !own || !state.lastCsv;
  if (own) {
    const f = state.lab.csv_format();
    const names = { ',': 'comma', ';': 'semicolon', tab: 'tab', '|': 'bar' };
    const delimiter = names[f.delimiter] ? t(`csv.sep.${names[f.delimiter]}`) : `“${f.delimiter}”`;
    $('csv-read-as').textContent = t('csv.read-as', { delimiter, header: t(f.header ? 'csv.as-names' : 'csv.as-data') });
  }
  $('table-options').hidden = !tab;
  const about = $('data-about');
  about.hidden = !tab;
  if (tab) {
    const d = state.datasets.find((x) => x.id === s.data);
    about.textContent = d ? `${translate(`dataset.${d.id}.about`, d.about)} ${t('data.source', { source: d.source, licence: d.licence })}`
      : `${t('data.own', { name: state.userFile })} ${t(state.lab.link_has_data() ? 'data.own-small' : 'data.own-big')}`;
    const eda = state.lab.explore();
    fillOptions($('target'), eda.columns.map((c) => c.name), decodeURIComponent(s.target));
    $('framing').value = s.framing;
    $('missing').value = s.missing;
    const pair = s.view !== 'pca';
    $('view-mode').value = pair ? 'pair' : 'pca';
    $('view-pair').hidden = !pair;
    const inputs = state.lab.network().inputs.map((x) => x[1]);
    const [vx, vy] = pair ? linkNames(s.view) : [inputs[0], inputs[1]];
    fillOptions($('view-x'), inputs, vx);
    fillOptions($('view-y'), inputs, vy);
  }
}

/** The EDA panel: one row per column with its statistics and chart, and the correlations. */
export function updateExplore() {
  const s = state.lab.settings();
  const key = [s.data, s.samples, s.noise, s.classes, s.dseed, s.target, s.exclude, s.labelenc, state.userFile, s.points, language()].join('|');
  if (key === state.edaKey) return;
  state.edaKey = key;
  const eda = state.lab.explore();
  const tab = state.lab.stats().tabular;
  // The scatter matrix starts with the first four numeric columns other than the target.
  state.matrixPicks = eda.columns.map((c, i) => [c, i]).filter(([c]) => c.numbers && c.name !== eda.target).slice(0, 4).map(([, i]) => i);
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
        const ex = new Set(linkNames(state.lab.settings().exclude));
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
          const le = new Set(linkNames(state.lab.settings().labelenc));
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
      box.checked = state.matrixPicks.includes(i);
      box.setAttribute('aria-label', t('eda.show-in-matrix', { name: c.name }));
      box.addEventListener('change', () => {
        if (box.checked && state.matrixPicks.length >= MAX_MATRIX) {
          box.checked = false;
          showNotices([t('eda.matrix-full', { n: MAX_MATRIX })], t('notice.not-changed'));
          return;
        }
        state.matrixPicks = box.checked ? [...state.matrixPicks, i].sort((a, b) => a - b) : state.matrixPicks.filter((k) => k !== i);
        drawMatrix();
      });
      matrixCell.appendChild(box);
    }
    tr.append(useCell, encCell, matrixCell);
    body.appendChild(tr);
    sizeCanvas(canvas);
    state.lab.draw_column(canvas, i);
  });
  const corr = $('eda-corr');
  sizeCanvas(corr);
  state.lab.draw_correlation(corr);
  drawMatrix();
}

function drawMatrix() {
  const canvas = $('eda-matrix');
  sizeCanvas(canvas);
  state.lab.draw_scatter_matrix(canvas, Uint32Array.from(state.matrixPicks));
}

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
  if (state.csvJob) state.csvJob.cancelled = true;
  const job = { name, cancelled: false };
  state.csvJob = job;
  const row = $('csv-progress-row');
  let notices;
  try {
    state.lab.csv_start(bytes, name, delimiter, header);
    for (let read = state.lab.csv_step(12); read < 1; read = state.lab.csv_step(12)) {
      row.hidden = false;
      $('csv-progress').value = read;
      $('csv-status').textContent = t('file.reading', { name, rows: state.lab.csv_rows().toLocaleString('en'), percent: Math.floor(read * 100) });
      await new Promise((r) => setTimeout(r, 0));
      if (job.cancelled) return; // Cancel, or another file: the core dropped or replaced this one
    }
    // Making the session is a task of its own, not the end of the step that prepared the data.
    await new Promise((r) => setTimeout(r, 0));
    if (job.cancelled) return;
    notices = state.lab.csv_finish();
  } catch (e) {
    row.hidden = true;
    if (state.csvJob === job) state.csvJob = null;
    showNotices([String(e && e.message ? e.message : e)], t('file.unusable', { name }));
    return;
  }
  row.hidden = true;
  state.csvJob = null;
  state.lastCsv = { bytes, name };
  $('csv-delimiter').value = delimiter;
  $('csv-header').value = header;
  addOwnData(name);
  setPlaying(false);
  // The statistics of a large file take a while too: the core computes them in 12 ms slices
  // between paints (the first after one).
  do {
    await new Promise((r) => setTimeout(r, 0));
    // A second file, or another dataset picked meanwhile, takes over.
    if (state.csvJob || state.lab.settings().data !== 'csv') return;
  } while (!state.lab.explore_step(12));
  const eda = state.lab.explore();
  showNotices([t('file.read', { rows: eda.rows.toLocaleString('en'), columns: eda.columns.length, target: eda.target }), ...notices], t('file.loaded', { name }));
  writeLink('push');
  afterExperimentChange();
}

/** The data picker's entry for the person's file; `name` may be a function giving the name the
 *  page made up (“data carried in the link”) in the current language. */
export function addOwnData(name) {
  state.userFileName = typeof name === 'function' ? name : null;
  state.userFile = state.userFileName ? state.userFileName() : name;
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
  if (state.wasm.Lab.is_model_file(head)) {
    openSavedFile((b) => state.lab.open_model_file(b), new Uint8Array(await file.arrayBuffer()), file.name, (notices) => [
      t('file.model-restored', { epoch: state.lab.epoch() }), ...notices]);
    return;
  }
  if (state.wasm.Lab.is_experiment_file(head)) {
    // An experiment file holds a whole CSV file, compressed: a third more than the limit is room enough.
    if (file.size > window.latih.csvLimit * 1.4) {
      showNotices([t('file.experiment-too-big', { name: file.name })], t('file.not-opened'));
      return;
    }
    openSavedFile((b) => state.lab.open_experiment_file(b), new Uint8Array(await file.arrayBuffer()), file.name,
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
export function openSavedFile(open, bytes, name, opened) {
  let notices;
  try {
    notices = open(bytes);
  } catch (e) {
    if (needsFull(e)) throw e; // the listener moves to the full build and runs again
    showNotices([String(e && e.message ? e.message : e)], t('file.unopenable', { name }));
    return;
  }
  state.lastCsv = null;
  afterOpening(() => t('data.in-file', { name }));
  showNotices(opened(notices), t('file.opened', { name }));
}

/** A generated data set's, a shipped data set's or a drawing's name, in the page's language
 *  (`english`: the core's). */
function dataName(id, english) {
  if (state.datasets.some((d) => d.id === id)) return translate(`dataset.${id}.name`, english);
  return translate(`data.${id}.title`, english);
}

export function wireData() {
  // (the data picker's "csv" option exists only once a file is loaded)
  $('data').addEventListener('change', (e) => {
    state.lab.set('data', e.target.value);
    // A drawing starts with two classes (more can be added); one history entry for both.
    if (e.target.value === 'drawn') state.lab.set('classes', '2');
    change('data', e.target.value);
  });
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
      const inputs = state.lab.network().inputs.map((x) => x[1]);
      if (inputs.length < 2) { showNotices([t('notice.one-input')], t('notice.not-changed')); syncControls(); return; }
      $('view-x').value = inputs[0];
      $('view-y').value = inputs[1];
    }
    setView();
  });
  $('view-x').addEventListener('change', setView);
  $('view-y').addEventListener('change', setView);
  const reread = () => {
    if (state.lastCsv) useCsv(state.lastCsv.bytes, state.lastCsv.name, $('csv-delimiter').value, $('csv-header').value);
  };
  $('csv-delimiter').addEventListener('change', reread);
  $('csv-header').addEventListener('change', reread);
  $('csv-file').addEventListener('change', (e) => { useCsvFile(e.target.files[0]); e.target.value = ''; });
  $('csv-cancel').addEventListener('click', () => {
    if (!state.csvJob) return;
    state.csvJob.cancelled = true;
    state.lab.csv_cancel();
    $('csv-progress-row').hidden = true;
    showNotices([t('file.cancelled', { name: state.csvJob.name })], t('file.not-loaded'));
    state.csvJob = null;
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
}
