// Drawing: points added on the view for the drawn dataset (pointer and keyboard), and the
// digits' test images with the drawing pad the model predicts from.

import { state, writeLink } from './state.js';
import { $, showNotices, sizeCanvas, CLASS_COLORS } from './ui.js';
import { change, afterExperimentChange, setPlaying } from './controls.js';
import { t, language } from './i18n.js';

export function syncDrawControls(s) {
  const drawing = s.data === 'drawn';
  $('draw-options').hidden = !drawing;
  const view = $('view');
  view.classList.toggle('drawing', drawing);
  // Keyboard drawing: the view takes focus only while it is a drawing.
  if (drawing) view.tabIndex = 0; else view.removeAttribute('tabindex');
  view.setAttribute('aria-label', t(drawing ? 'view.drawing' : 'view.label'));
  if (!drawing) return;
  const regression = state.lab.stats().task === 'regression';
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
  if (state.lab.settings().data !== 'drawn') return;
  const r = $('view').getBoundingClientRect();
  const x = -6 + (12 * (e.clientX - r.left)) / r.width;
  const y = 6 - (12 * (e.clientY - r.top)) / r.height;
  const remove = e.shiftKey || document.querySelector('input[name=draw-tool]:checked').value === 'remove';
  editDrawing(x, y, remove);
}

/** Keyboard drawing: arrows move a cursor on the view (Shift: finer), Enter or Space adds a
 *  point there, Delete or Backspace removes the nearest. */
function drawKey(e) {
  if (state.lab.settings().data !== 'drawn') return;
  const step = e.shiftKey ? 0.1 : 0.5;
  const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
  if (moves[e.key]) {
    state.drawCursor = state.drawCursor.map((v, i) => Math.max(-6, Math.min(6, Math.round((v + moves[e.key][i]) * 10) / 10)));
    state.dirty = true;
  } else if (e.key === 'Enter' || e.key === ' ') editDrawing(state.drawCursor[0], state.drawCursor[1], false);
  else if (e.key === 'Delete' || e.key === 'Backspace') editDrawing(state.drawCursor[0], state.drawCursor[1], true);
  else return;
  e.preventDefault();
  e.stopPropagation(); // Space here draws; it does not play
  $('view-caption').dataset.cursor = t('draw.cursor', { x: state.drawCursor[0].toFixed(1), y: state.drawCursor[1].toFixed(1) });
}

/** The keyboard cursor as a ringed cross over the view, while the view has focus. */
export function drawCursorMark() {
  const view = $('view');
  if (document.activeElement !== view || state.lab.settings().data !== 'drawn') return;
  const ctx = view.getContext('2d');
  const x = ((state.drawCursor[0] + 6) / 12) * view.width;
  const y = ((6 - state.drawCursor[1]) / 12) * view.height;
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
  if (remove) notes = state.lab.remove_point(x, y, 0.6);
  else {
    const regression = state.lab.stats().task === 'regression';
    const target = regression ? Number($('draw-value').value) : Number((document.querySelector('input[name=draw-class]:checked') || {}).value || 0);
    notes = state.lab.add_point(x, y, target);
  }
  if (notes.length) showNotices(notes, t('notice.drawing'));
  setPlaying(false);
  writeLink('replace'); // one history entry per drawing session, not per point
  afterExperimentChange();
}

/** The digits' test images with predictions, redrawn at most twice a second while training. */
export function updateImages(stats, force) {
  const panel = $('images-panel');
  panel.hidden = !stats.image;
  if (!stats.image) return;
  const key = `${state.lab.link()}|${stats.epoch}`;
  const now = performance.now();
  if (!force && (key === state.imagesAt.key || now - state.imagesAt.time < 500)) return;
  state.imagesAt = { key, time: now };
  const canvas = $('images');
  if (canvas.width < 2 || force) sizeCanvas(canvas);
  const shown = state.lab.draw_images(canvas, 30);
  $('images-score').textContent = shown && stats.epoch > 0 ? t('images.score', { correct: shown.correct, shown: shown.shown }) : t('images.untrained');
  predictPad();
}

/** The drawing pad's digit as the model sees it, and its class probabilities. */
function predictPad() {
  const pad = $('pad');
  const list = $('pad-probs');
  if (!state.padInk) { $('pad-prediction').textContent = '–'; list.textContent = ''; return; }
  const img = pad.getContext('2d').getImageData(0, 0, pad.width, pad.height);
  const p = state.lab.predict_drawing(new Uint8Array(img.data.buffer), pad.width, pad.height);
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

export function wirePad() {
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
    state.padInk = true;
  });
  const up = () => { if (down) { down = false; predictPad(); } };
  pad.addEventListener('pointerup', up);
  pad.addEventListener('pointercancel', up);
  $('pad-clear').addEventListener('click', () => { ctx.clearRect(0, 0, pad.width, pad.height); state.padInk = false; state.lab.clear_pad(); predictPad(); });
}

export function wireDrawing() {
  $('view').addEventListener('click', drawAt);
  $('view').addEventListener('keydown', drawKey);
  for (const ev of ['focus', 'blur']) $('view').addEventListener(ev, () => { state.dirty = true; });
  $('draw-kind').addEventListener('change', (e) => {
    showNotices(state.lab.start_drawing(e.target.value === 'values'));
    writeLink('push');
    afterExperimentChange();
  });
  $('draw-count').addEventListener('change', (e) => { if (e.target.value.trim() !== '') change('classes', e.target.value); });
  $('draw-value').addEventListener('input', (e) => { $('draw-value-out').textContent = e.target.value; });
  $('draw-clear').addEventListener('click', () => {
    showNotices(state.lab.start_drawing(state.lab.stats().task === 'regression'));
    writeLink('push');
    afterExperimentChange();
  });
}
