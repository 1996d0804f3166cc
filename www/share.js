// Share and export: the Share dialog (link, QR code, trained model in the link, embed
// snippet, experiment file, open a pasted link), the experiment-as-text panel, and the
// downloads (model, predictions, notebooks, Spark, charts as PNG, "Deploy as a web page").

import { state } from './state.js';
import { $, showNotices } from './ui.js';
import { afterOpening } from './controls.js';
import { t } from './i18n.js';
import { needsFull, retrying, runtime, playgroundOpens } from './builds.js';

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
  const s = state.lab.settings();
  return `latih-${s.data}-${s.model}`.replace(/[^a-z0-9_-]+/gi, '-');
}

/** "Export for Spark": the PySpark script or its notebook form; a model MLlib lacks is said. */
function exportSpark(asNotebook) {
  try {
    const script = `${fileStem()}-spark.py`;
    const out = state.lab.spark(script);
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
  const shared = state.lab.share_link($('share-model').checked);
  return { link: location.href.split('#')[0] + '#' + shared.link, weights: shared.weights };
}

function openShare() {
  $('share-model-epoch').textContent = t('share.epoch', { n: state.lab.epoch().toLocaleString('en') });
  showShared();
  $('share-dialog').showModal();
  $('share-link').select();
}

function showShared() {
  const { link, weights } = sharedLink();
  $('share-link').value = link;
  $('share-copied').textContent = '';
  let size = t('share.size', { n: link.length.toLocaleString('en') });
  if (!state.lab.link_has_data()) size += ' ' + t('share.file-too-big', { name: state.userFile });
  $('share-size').textContent = size;
  // Drawn at twice its shown size, for sharp modules on high-density screens.
  const fits = state.lab.draw_qr($('share-qr'), link, 400);
  $('share-qr').classList.toggle('none', !fits);
  const embedLink = link.includes('&embed=1') ? link : `${link}&embed=1`;
  const title = t('share.embed-title', { data: state.lab.settings().data, model: state.lab.settings().model });
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
  const modelFile = state.lab.model_file(state.lastCsv && state.lab.settings().data === 'csv' ? state.lastCsv.bytes : undefined);
  // The playground build when it runs the model (a page a third the size), else the full one.
  const { glue: glueUrl, wasm: wasmUrl } = runtime(!playgroundOpens(state.lab.link()));
  if (!glueUrl || !wasmUrl) throw new Error(t('export.no-runtime'));
  const [template, glue, wasm] = await Promise.all([
    fetch('www/deploy-template.html').then((r) => r.text()),
    fetch(glueUrl).then((r) => r.text()),
    fetch(wasmUrl).then((r) => r.arrayBuffer()),
  ]);
  const gz = new Uint8Array(await new Response(new Blob([wasm]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer());
  const form = state.lab.input_form();
  const title = `Latih model: ${form.target} from ${state.lab.settings().data}`.replace(/[<>&"]/g, '');
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

/** Shows the current experiment's text, unless the person is editing it. */
export function syncText() {
  if (state.textEdited) return;
  $('exp-text').value = state.lab.text();
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
  const problems = state.lab.apply_text($('exp-text').value);
  state.textEdited = false;
  afterOpening(() => t('data.from-text'));
  showProblems(problems);
}

export function wireSharing() {
  $('share').addEventListener('click', openShare);
  $('share-copy').addEventListener('click', () => copyField('share-link', t('share.copied'), t('share.what-link')));
  $('share-model').addEventListener('change', showShared);
  $('embed-copy').addEventListener('click', () => copyField('embed-snippet', t('share.embed-copied'), t('share.what-embed')));
  $('export-model').addEventListener('click', () => {
    const csv = state.lastCsv && state.lab.settings().data === 'csv' ? state.lastCsv.bytes : undefined;
    download(`${fileStem()}-model.json`, state.lab.model_file(csv), 'application/json');
  });
  $('share-file').addEventListener('click', () => {
    const csv = state.lastCsv && state.lab.settings().data === 'csv' ? state.lastCsv.bytes : undefined;
    download(`${fileStem()}.latih.txt`, state.lab.experiment_file(csv), 'text/plain');
  });
  const openLink = () => {
    const text = $('open-link-text').value.trim();
    if (!text) return;
    const notices = state.lab.open_link(text);
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
    state.textEdited = true;
    clearTimeout(state.textTimer);
    state.textTimer = setTimeout(retrying(() => showProblems(state.lab.check_text(text.value))), 150);
  });
  text.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      applyText();
    }
  });
  $('exp-apply').addEventListener('click', applyText);
  $('exp-revert').addEventListener('click', () => { state.textEdited = false; syncText(); });
  $('export-predictions').addEventListener('click', () => {
    try {
      download(`${fileStem()}-predictions.csv`, state.lab.predictions_csv(), 'text/csv');
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
      download(`${fileStem()}.ipynb`, state.lab.notebook(), 'application/x-ipynb+json');
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
