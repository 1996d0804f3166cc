// The page's mutable state, in one object every module imports, and the URL: the experiment
// lives in the fragment (`writeLink` keeps it in sync; `replaceState` while a slider is dragged,
// one `pushState` per discrete change).

/** Everything on the page that changes, in one place. */
export const state = {
  // The core
  wasm: null,               // the running build's exports (static functions)
  lab: null,                // the experiment: the wasm `Lab` handle
  models: [],               // the core's model catalogue: [{id, name, kind, hint, settings}]
  datasets: [],
  limits: { layers: 0, neurons: 0 }, // the network's limits, from the core's settings table             // the shipped real datasets: [{id, name, about, source, licence}]
  // The frame loop
  playing: false,
  dirty: true,              // views need a redraw
  structureDirty: true,     // the network's shape changed: rebuild its DOM
  frameQueued: false,       // a frame is queued (recovery must not start a second loop)
  drawMs: 8,                // recent cost of drawing a frame (moving average)
  // Controls
  dragging: false,          // a slider drag in progress already pushed its history entry
  settingsKey: '',          // the model whose settings controls are built
  // The data panel
  userFile: '',             // name of the person's CSV file, once one is loaded
  userFileName: null,       // how to say userFile again in another language, when the page named it
  lastCsv: null,            // the person's last file {bytes, name}, to read again with other options
  csvJob: null,             // the file being read in slices: {name, cancelled}
  edaKey: '',               // the data the EDA panel shows
  matrixPicks: [],          // column indices in the scatter matrix (at most 6)
  // Drawing
  drawCursor: [0, 0],       // the keyboard cursor on the view
  imagesAt: { key: '', time: 0 }, // the state the test images show, and when they were drawn
  padInk: false,            // the digit pad has been drawn on
  // The network view and the readouts
  focus: { layer: -1, neuron: -1 },
  neuronCanvases: [],
  linkPaths: [],            // [{path, hit, l, j, i}]
  legendKey: '',            // what the legend shows
  panelKey: '',             // the model state the model panel shows
  // The experiment as text
  textEdited: false,        // the text panel holds edits not applied yet
  textTimer: 0,
  // Evaluate and tune
  evalKey: '',              // the model state the metrics panel shows
  evalAt: 0,
  evalRunning: null,        // 'cv' or 'search' while one runs
  selectedCell: null,       // the picked cell of the confusion matrix: [truth, predicted]
  pickedRows: null,         // how many test rows the picked cell holds
  lastCv: null,             // the last cross-validation step shown (shown again in another language)
  lastLc: null,             // the last learning-curve step shown
  searchView: null,         // the last search step: {results, best, ...}
  searchSort: { column: 'score', descending: true },
  searchNoticesShown: false,
  pins: [],                 // pinned runs: {number, link, score, scoreName, train, epoch, losses, pairs}
  // Autosave and recovery
  saveKey: '',
  saveAt: 0,
  saveTimer: 0,
  offering: false,          // a restore offer is shown: saving would overwrite what it offers
  restoreText: null,        // writes the restore offer's text (again, in another language)
  crashed: null,            // {message, link} while the crash panel is shown
  // The language (i18n.js), the Lessons panel (lessons.js) and the two builds (builds.js)
  lang: 'en',
  lessons: {
    host: null,             // { lab(), wasm, loadSection(link), writeLink(), notices(list, title) }
    index: null,            // built-in lesson names
    open: null,             // { key, name, text, lesson, section }
    sectionStart: 0,
    lastCheck: 0,
    lastMet: null,
    trailing: 0,            // a check scheduled for the end of the throttle interval
  },
  builds: {
    playground: null,       // the playground build's exports (trunk loads them)
    full: null,             // promise of the full build's exports
    page: null,             // the page's side of a move (set by `init`)
    moving: null,           // the move to the full build under way (or made)
    latest: new WeakMap(),  // the last request made of each control (or handler): a later one wins
  },
};

export function currentFragment() {
  return decodeURIComponent(location.hash.replace(/^#/, ''));
}

export function writeLink(mode) {
  const url = '#' + state.lab.link();
  if (url === location.hash) return;
  if (mode === 'push') history.pushState(null, '', url);
  else history.replaceState(null, '', url);
}

/** Names in a link value: comma-separated, each percent-encoded. */
export function linkNames(v) {
  return (v || '').split(',').filter((x) => x !== '').map(decodeURIComponent);
}
export function namesValue(names) {
  return names.map(encodeURIComponent).join(',');
}
