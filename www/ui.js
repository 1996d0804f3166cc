// Helpers every panel uses: element lookup, canvas sizing, the class colours and names, the
// notice box and the status line.

import { state } from './state.js';
import { t } from './i18n.js';

export const $ = (id) => document.getElementById(id);

export function showNotices(list, title) {
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
    li.textContent = state.lab ? state.lab.localize(String(n)) : n; // user text is always shown as text
    ul.appendChild(li);
  }
  text.append(head, ul);
  box.hidden = false;
}

export function showStatus(stats) {
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
export function showReplay(done, target) {
  const el = $('status');
  el.textContent = t('status.replaying', { epoch: target.toLocaleString('en'), percent: Math.floor(done * 100) });
  el.className = 'status replaying';
  el.hidden = false;
}

export function sizeCanvas(canvas) {
  const dpr = Math.min(window.devicePixelRatio || 1, 2);
  const r = canvas.getBoundingClientRect();
  const w = Math.max(1, Math.round(r.width * dpr));
  const h = Math.max(1, Math.round(r.height * dpr));
  if (canvas.width !== w || canvas.height !== h) { canvas.width = w; canvas.height = h; }
}

export const CLASS_COLORS = ['#e69f00', '#0072b2', '#009e73', '#cc79a7', '#56b4e9', '#f0e442', '#d55e00', '#444444', '#8c510a', '#aaaaaa'];

/** A class's name as the page shows it: generated data's classes, which the core calls
 *  “class k”, in the page's language; a table's own class names as they are. */
export function className(name, k, tabular) {
  if (name === undefined) return t('class', { k });
  const m = !tabular && /^class (\d+)$/.exec(name);
  return m ? t('class', { k: m[1] }) : name;
}
