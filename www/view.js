// The readouts drawn with each frame: epoch and losses, the view's legend and caption, and
// the model panel (summary and chart) of a model that is not a network.

import { state } from './state.js';
import { $, sizeCanvas, CLASS_COLORS, className } from './ui.js';
import { t, language } from './i18n.js';

function fmt(v, digits = 3) {
  return Number.isFinite(v) ? v.toFixed(digits) : (Number.isNaN(v) ? 'NaN' : '∞');
}

export function updateStats(stats) {
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

export function updateLegend(stats) {
  // The legend depends on these three only: rebuild its DOM when they change, not per frame.
  const key = `${stats.task}|${stats.kind}|${stats.classes}|${$('test').checked}|${stats.class_names.join(',')}|${stats.tabular}|${language()}`;
  if (key === state.legendKey) return;
  state.legendKey = key;
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

export function updateCaption(stats) {
  const cap = $('view-caption');
  const parts = [];
  if (state.focus.layer >= 1) parts.push(t('caption.neuron', { n: state.focus.neuron + 1, l: state.focus.layer }));
  if (stats.view_label) parts.push(stats.view_label);
  if (stats.data === 'drawn' && stats.status.state === 'failed') parts.push(stats.status.message);
  if (stats.data === 'drawn' && document.activeElement === $('view') && $('view-caption').dataset.cursor) parts.push($('view-caption').dataset.cursor);
  if (stats.shown_points < stats.total_points) {
    parts.push(t('caption.sample', { shown: stats.shown_points.toLocaleString('en'), total: stats.total_points.toLocaleString('en') }));
  }
  cap.textContent = parts.join(' · ');
}

/** The summary and the model's chart, redrawn only when the fitted model or the layout changed. */
export function updateModelPanel(stats, layoutChanged) {
  const key = `${state.lab.link()}|${stats.epoch}`;
  if (key === state.panelKey && !layoutChanged) return;
  state.panelKey = key;
  const ul = $('model-summary');
  ul.textContent = '';
  for (const line of state.lab.model_summary()) {
    const li = document.createElement('li');
    li.textContent = line;
    ul.appendChild(li);
  }
  const chart = $('model-chart');
  chart.hidden = !stats.model_chart;
  $('export-model-chart').hidden = !stats.model_chart;
  if (stats.model_chart) {
    if (chart.width < 2) { sizeCanvas(chart); }
    state.lab.draw_model(chart);
  }
}
