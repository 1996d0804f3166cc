// The "Evaluate and tune" panel: metric tables, the clickable confusion matrix,
// cross-validation, the learning curve and the search (run by the core in `setTimeout`
// slices), the sortable results table, and pinned runs kept in the page.

import { state, writeLink } from './state.js';
import { $, showNotices, sizeCanvas, className } from './ui.js';
import { settingText, change, afterExperimentChange, afterOpening } from './controls.js';
import { syncText } from './share.js';
import { t, translate, language } from './i18n.js';
import { needsFull } from './builds.js';

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
  if (test.kind === 'classification') {
    const pick = (r) => [r.accuracy, r.balanced_accuracy, r.macro_avg.precision, r.macro_avg.recall, r.macro_avg.f1,
      r.weighted_avg.f1, r.log_loss, r.roc_auc, r.average_precision];
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

export function updateEvaluation(stats, force) {
  if ($('evaluate').hidden) return;
  const now = performance.now();
  // While training, the metrics follow at most every 1.5 s; a paused model at once. (The
  // throttle comes first: this runs on every frame that draws.)
  if (!force && state.playing && now - state.evalAt < 1500) return;
  const key = `${state.lab.link()}|${stats.epoch}|${stats.iterations ? stats.iterations[0] : ''}|${language()}`;
  if (!force && key === state.evalKey) return;
  state.evalKey = key;
  state.evalAt = now;
  const ev = state.lab.evaluation();
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
      b.setAttribute('aria-pressed', String(state.selectedCell && state.selectedCell[0] === truth && state.selectedCell[1] === p));
      b.addEventListener('click', () => pickCell(truth, p));
      return b;
    })]);
    fillTable($('confusion'), [t('eval.true-predicted'), ...names.map((n, i) => n || className(undefined, i))], rows);
  }
  if (curves) {
    sizeCanvas($('roc-chart'));
    sizeCanvas($('pr-chart'));
    state.lab.draw_curves($('roc-chart'), 'roc');
    state.lab.draw_curves($('pr-chart'), 'pr');
  }
}

export function writeConfusionNote() {
  const n = state.pickedRows;
  $('confusion-note').textContent = n === null ? ''
    : t(n === 1 ? 'eval.picked-one' : 'eval.picked', { n, images: state.lab.stats().image ? t('eval.picked-images') : '' });
}
function pickCell(truth, p) {
  const same = state.selectedCell && state.selectedCell[0] === truth && state.selectedCell[1] === p;
  state.selectedCell = same ? null : [truth, p];
  const n = same ? state.lab.select_cell(-1, -1) : state.lab.select_cell(truth, p);
  state.pickedRows = same ? null : n;
  writeConfusionNote();
  for (const b of $('confusion').querySelectorAll('button.cell')) {
    b.setAttribute('aria-pressed', String(!same && Number(b.dataset.truth) === truth && Number(b.dataset.predicted) === p));
  }
  state.imagesAt = { key: '', time: 0 };
  state.dirty = true;
}

function fmtDuration(ms) {
  if (ms == null) return '';
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

function setRunning(kind) {
  state.evalRunning = kind;
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

export function showCv(r) {
  state.lastCv = r;
  $('cv-progress-row').hidden = false;
  $('cv-progress').value = r.progress;
  $('cv-status').textContent = t('eval.cv-status', { count: r.count, total: r.total, state: runState(r) });
  $('cv-cancel').disabled = r.done || r.cancelled;
  const folds = r.count;
  const head = [t('eval.metric'), t('eval.mean-std'), ...Array.from({ length: folds }, (_, i) => t('eval.fold', { n: i + 1 }))];
  fillTable($('cv-table'), head, r.results.map((m) => [scoreName(m.name), `${cellText(m.mean)} ± ${cellText(m.std)}`, ...m.folds.map((v) => cellText(v))]));
}

/** Starts a run with `start`: false, and `failed` said, when the core refuses it. */
function started(start, failed) {
  try {
    start();
  } catch (e) {
    if (needsFull(e)) throw e; // the listener moves to the full build and runs again
    showNotices([String(e)], failed);
    return false;
  }
  return true;
}

function startCv() {
  if (!started(() => state.lab.cv_start(), t('eval.cv-failed'))) return;
  runSlices('cv', () => state.lab.cv_step(SLICE_MS), showCv);
}

export function showLcStatus(r) {
  $('lc-status').textContent = t('eval.lc-status', { count: r.count, total: r.total, state: runState(r) });
}

function startLearningCurve() {
  if (!started(() => state.lab.lc_start(), t('eval.lc-failed'))) return;
  $('lc-chart').hidden = false;
  $('lc-cancel').hidden = false;
  sizeCanvas($('lc-chart'));
  runSlices('lc', () => state.lab.lc_step(SLICE_MS), (r) => {
    state.lastLc = r;
    showLcStatus(r);
    $('lc-cancel').hidden = r.done || r.cancelled;
    state.lab.draw_learning_curve($('lc-chart'));
  });
}

function buildSearchRows() {
  const box = $('search-params');
  const settings = state.lab.searchable();
  const spec = state.lab.search_spec();
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
export function labelSearchRows() {
  const model = state.lab.settings().model;
  const settings = state.lab.searchable();
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

function showSearch(r) {
  if (!r) return;
  if (r.notices.length && !state.searchNoticesShown) {
    state.searchNoticesShown = true;
    showNotices(r.notices, t('eval.search-notices'));
  }
  state.searchView = r;
  $('search-progress-row').hidden = false;
  $('search-progress').value = r.progress;
  $('search-status').textContent = `${t('eval.candidates-count', { count: r.count, total: r.total })} · ${runState(r, t('eval.search-cancelled'))}`;
  $('search-cancel').disabled = r.done || r.cancelled;
  $('search-apply').disabled = r.best == null;
  renderSearchTable();
  $('search-heatmap').hidden = !state.lab.draw_search_heatmap($('search-heatmap'));
}

export function renderSearchTable() {
  const r = state.searchView;
  if (!r || !r.results.length) { fillTable($('search-table'), null, []); return; }
  const keys = r.results[0].settings.map((p) => p[0]);
  const found = r.results.find((c) => c.scores.length);
  const score = found ? scoreName(found.scores[0].name) : t('eval.score');
  const order = r.results.map((c, i) => i);
  const value = (i) => {
    const c = r.results[i];
    if (state.searchSort.column === 'score') return c.scores.length ? c.scores[0].mean : -Infinity;
    if (state.searchSort.column === 'index') return i;
    const v = c.settings[state.searchSort.column][1];
    return Number.isNaN(Number(v)) ? v : Number(v);
  };
  order.sort((a, b) => {
    const [x, y] = [value(a), value(b)];
    const cmp = x < y ? -1 : x > y ? 1 : a - b;
    return state.searchSort.descending ? -cmp : cmp;
  });
  const header = (label, column) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'sort';
    const arrow = state.searchSort.column === column ? (state.searchSort.descending ? ' ▼' : ' ▲') : '';
    b.textContent = label + arrow;
    b.setAttribute('aria-label', t('eval.sort', { label }));
    b.addEventListener('click', () => {
      state.searchSort = { column, descending: state.searchSort.column === column ? !state.searchSort.descending : column === 'score' };
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
    const notices = state.lab.search_apply(i);
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
  const notices = state.lab.set_search($('search-kind').value, Number($('search-tries').value) || 20, searchSpace());
  writeLink('push');
  syncText();
  if (notices.length) showNotices(notices, t('eval.search-adjusted'));
  let total;
  try {
    total = state.lab.search_start();
  } catch (e) {
    if (needsFull(e)) throw e; // the listener moves to the full build and runs again
    showNotices([String(e)], t('eval.search-failed'));
    return;
  }
  state.searchSort = { column: 'score', descending: true };
  state.searchNoticesShown = false;
  $('search-status').textContent = t('eval.candidates-count', { count: 0, total });
  runSlices('search', () => state.lab.search_step(SLICE_MS), showSearch);
}

function pinRun() {
  const stats = state.lab.stats();
  const ev = state.lab.evaluation();
  if (!ev) { showNotices([t('eval.pin-unfitted')], t('eval.not-pinned')); return; }
  const score = mainScore(ev.test);
  const train = mainScore(ev.train);
  state.pins.push({
    number: state.pins.length + 1,
    link: state.lab.link(),
    score: score ? score.value : null,
    scoreName: score ? score.name : '',
    train: train ? train.value : null,
    epoch: stats.epoch,
    model: stats.model,
    losses: Array.from(state.lab.losses()),
  });
  renderPins();
}

const SPLIT_KEYS = ['data', 'target', 'framing', 'missing', 'labelenc', 'exclude', 'classes', 'samples', 'noise', 'train', 'strat', 'dseed', 'csv', 'points'];
function pairsOf(link) {
  return Object.fromEntries(link.split('&').map((p) => p.split('=')).filter((p) => p.length === 2));
}

export function renderPins() {
  $('pins-clear').disabled = state.pins.length === 0;
  if (!state.pins.length) { fillTable($('pins-table'), null, []); $('pins-loss').hidden = true; return; }
  const ranked = state.pins.slice().sort((a, b) => (b.score ?? -Infinity) - (a.score ?? -Infinity));
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
      const notices = state.lab.load(p.link);
      if (notices.length) showNotices(notices);
      writeLink('push');
      afterOpening(state.lab.settings().data);
    });
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'small';
    remove.textContent = t('remove');
    remove.setAttribute('aria-label', t('eval.remove-run', { name: runName(p) }));
    remove.addEventListener('click', () => { state.pins = state.pins.filter((x) => x !== p); renderPins(); });
    const actions = document.createElement('span');
    actions.append(open, ' ', remove);
    return [String(rank + 1), runName(p), `${scoreName(p.scoreName)} ${cellText(p.score)}`, cellText(p.train), String(p.epoch),
      rank === 0 ? t('eval.best') : (diff.join(' ') || t('eval.same')) + (sameSplit ? '' : ` ${t('eval.not-comparable')}`), actions];
  });
  fillTable($('pins-table'), [t('eval.rank'), t('eval.run-column'), t('eval.test-score'), t('eval.train-score'), t('epoch'), t('eval.differ'), ''], rows);
  const withLosses = state.pins.filter((p) => p.losses.length > 3);
  $('pins-loss').hidden = withLosses.length === 0;
  if (withLosses.length) {
    sizeCanvas($('pins-loss'));
    state.wasm.drawRuns($('pins-loss'), withLosses.map((p) => ({ name: runName(p), losses: p.losses })));
  }
}

export function wireEvaluation() {
  $('strat').addEventListener('change', (e) => change('strat', e.target.checked ? '1' : '0'));
  $('folds').addEventListener('change', (e) => change('folds', e.target.value));
  $('cv-run').addEventListener('click', startCv);
  $('cv-cancel').addEventListener('click', () => state.lab.eval_cancel());
  $('lc-run').addEventListener('click', startLearningCurve);
  $('lc-cancel').addEventListener('click', () => state.lab.eval_cancel());
  $('search-kind').addEventListener('change', () => { $('search-tries').disabled = $('search-kind').value !== 'random'; });
  $('search-run').addEventListener('click', startSearch);
  $('search-cancel').addEventListener('click', () => state.lab.eval_cancel());
  $('search-apply').addEventListener('click', () => { if (state.searchView && state.searchView.best != null) applyCandidate(state.searchView.best); });
  $('pin-run').addEventListener('click', pinRun);
  $('pins-clear').addEventListener('click', () => { state.pins = []; renderPins(); });
  renderPins();
}

export function syncEvalControls(s) {
  $('strat').checked = s.strat === '1';
  $('folds').value = s.folds || '0';
  state.selectedCell = null;
  state.pickedRows = null;
  $('confusion-note').textContent = '';
  buildSearchRows();
}
