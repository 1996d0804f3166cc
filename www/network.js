// The network view: feature toggles, neuron thumbnails with their +/- buttons, the output
// nodes, and the SVG links between them coloured and sized by weight.

import { state } from './state.js';
import { $, showNotices, sizeCanvas, CLASS_COLORS, className } from './ui.js';
import { FEATURE_KEYS, FEATURE_LABELS, change, hiddenSizes, setHidden } from './controls.js';
import { t } from './i18n.js';

/** Most input nodes drawn on the network view (a table can have dozens of inputs). */
const MAX_INPUT_NODES = 16;

function makeButton(text, label, onClick, disabled) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = text;
  b.setAttribute('aria-label', label);
  b.disabled = disabled;
  b.addEventListener('click', onClick);
  return b;
}

export function buildNetwork() {
  const net = state.lab.network();
  const settings = state.lab.settings();
  const tabular = state.lab.stats().tabular;
  // A table's inputs are its (encoded) columns, all in use; generated data offers the seven features.
  const inputKeys = tabular ? net.inputs.slice(0, MAX_INPUT_NODES).map((x) => x[0]) : FEATURE_KEYS;
  const inputLabel = (key) => (tabular ? key : FEATURE_LABELS[key]);
  const active = tabular ? new Set(inputKeys) : new Set(settings.features.split(','));
  const layersEl = $('layers');
  layersEl.textContent = '';
  state.neuronCanvases = [];
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
      const cur = new Set(state.lab.settings().features.split(','));
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
      const h = hiddenSizes(); h[li] = Math.min(state.limits.neurons, h[li] + 1); setHidden(h);
    }, n >= state.limits.neurons);
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
      const enter = () => { state.focus = { layer: li + 1, neuron: j }; state.dirty = true; };
      const leave = () => { state.focus = { layer: -1, neuron: -1 }; state.dirty = true; };
      c.addEventListener('mouseenter', enter);
      c.addEventListener('mouseleave', leave);
      c.addEventListener('focus', enter);
      c.addEventListener('blur', leave);
      col.appendChild(c);
      state.neuronCanvases.push(c);
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
  const names = state.lab.stats().class_names;
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
  for (const c of state.neuronCanvases) sizeCanvas(c);
  state.lab.draw_features(featureCanvases, inputKeys);
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
  state.linkPaths = [];
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
        state.linkPaths.push({ path, l, j, i });
      });
    });
  }
  updateLinks(net);
}

function showLinkTip(e, l, j, i) {
  const net = state.lab.network();
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

export function updateLinks(net) {
  for (const lp of state.linkPaths) {
    const w = net.weights[lp.l][lp.j][lp.i];
    lp.path.setAttribute('stroke-width', String(Math.min(8, 0.5 + Math.abs(w) * 2)));
    // Orange for negative, blue for positive: the same scale as the heatmaps.
    lp.path.setAttribute('stroke', w < 0 ? '#e69f00' : '#0072b2');
  }
}
