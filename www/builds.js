// The two builds of the core. The page starts on the playground build (the network on 2-D
// data, what most links and every first visit need: a small download) and moves to the full
// build (every model family, tables, files, exports, searches) when something needs it. The
// playground build refuses such a call with its `needsFull()` message, or lacks the method;
// `retrying` runs the page's event handlers so that a refused one waits for the full build
// and runs again. The full build is trunk's post-build hook's output (scripts/full-build.sh).

import { state } from './state.js';

// The full build's content hash, written into the built site by scripts/full-build.sh: its
// files are asked for with it, so a cached full build of another release is never used.
const FULL_VERSION = '__LATIH_FULL_VERSION__';

// (Its state is the page's: `state.builds`.)
const builds = state.builds;

/**
 * Remembers the playground build and the page's side of a move: `move(module)` hands its Lab
 * to the full build, `loading(on)` shows that it is coming, `failed(error)` that it cannot.
 */
export function init(bindings, { move, loading, failed }) {
  builds.playground = bindings;
  builds.page = { move, loading, failed };
}

/** Whether an error is the playground build's refusal of what only the full build has. */
export function needsFull(error) {
  if (!builds.playground || builds.playground.isFull()) return false;
  return String(error && error.message ? error.message : error).includes(builds.playground.needsFull());
}

/** The addresses of a build's JS glue and wasm: the playground build's (trunk's, hashed) or the
 *  full build's (versioned by its hash, `FULL_VERSION`). */
export function runtime(isFull) {
  if (!isFull) {
    return {
      glue: document.querySelector('link[rel="modulepreload"][href$=".js"]')?.href,
      wasm: document.querySelector('link[rel="preload"][href$=".wasm"]')?.href,
    };
  }
  const url = (file) => new URL(`full/${file}?v=${FULL_VERSION}`, document.baseURI).href;
  return { glue: url('latih.js'), wasm: url('latih_bg.wasm') };
}

/** Whether the playground build opens this link (so a page made from it can carry that build). */
export function playgroundOpens(link) {
  try {
    new builds.playground.Lab(link).free();
    return true;
  } catch (error) {
    if (needsFull(error)) return false;
    throw error;
  }
}

/** The full build's exports, fetched and compiled once (a failed download is tried again). */
export function fullBuild() {
  if (!builds.full) {
    const { glue, wasm } = runtime(true);
    builds.full = (async () => {
      const module = await import(glue);
      await module.default({ module_or_path: wasm });
      return module;
    })();
    builds.full.catch(() => { builds.full = null; });
  }
  return builds.full;
}

/** Moves the page to the full build (once; later calls wait for the same move). */
export function useFull() {
  if (!builds.moving) {
    builds.moving = (async () => {
      if (builds.playground && builds.playground.isFull()) return;
      builds.page.loading(true);
      try {
        builds.page.move(await fullBuild());
      } finally {
        builds.page.loading(false);
      }
    })();
    builds.moving.catch((error) => {
      builds.moving = null;
      builds.page.failed(error);
    });
  }
  return builds.moving;
}

/** Resolves once no move to the full build is under way. */
export function settled() {
  return (builds.moving || Promise.resolve()).catch(() => {});
}

/**
 * A Lab of the playground build as the page holds it: a method only the full build has
 * throws the playground build's refusal, as a refused call does, instead of a TypeError.
 */
export function guard(lab) {
  if (!builds.playground || builds.playground.isFull() || !(lab instanceof builds.playground.Lab)) return lab;
  const refusal = builds.playground.needsFull();
  return new Proxy(lab, {
    get(target, key) {
      if (key in target) {
        const value = target[key];
        return typeof value === 'function' ? value.bind(target) : value;
      }
      // (Not `then`: the Lab is not a promise.)
      return typeof key === 'string' && key !== 'then' ? () => { throw new Error(refusal) } : undefined;
    },
  });
}

// Events that are a person's request (not a pointer passing or a focus moving); the last one
// on each control (or the last call of a handler called without an event) is `builds.latest`.
const REQUESTS = new Set(['change', 'click', 'input', 'submit', 'drop', 'popstate', 'hashchange']);

/**
 * `handler` as an event listener that, refused for want of the full build (at once, or in the
 * promise it returns), moves the page to the full build and runs again with the same event:
 * with the control's value as the person left it (a redraw meanwhile may have reset it), and
 * not at all if the person made another request of the same control (or called the same
 * handler again) since, as the later request wins.
 */
export function retrying(handler) {
  if (typeof handler !== 'function') return handler;
  return function (...args) {
    const event = args[0];
    const isEvent = event instanceof Event;
    const control = isEvent && event.target instanceof Element ? event.target : null;
    const key = control || handler;
    // (Several listeners of one event share its mark: none of them is a later request.)
    const mark = !isEvent ? {} : REQUESTS.has(event.type) ? event : null;
    if (mark) builds.latest.set(key, mark);
    const checkbox = control && (control.type === 'checkbox' || control.type === 'radio');
    const value = control && !checkbox && control.type !== 'file' && 'value' in control ? control.value : undefined;
    const checked = checkbox ? control.checked : undefined;
    const again = (error) => {
      if (!needsFull(error)) throw error;
      return useFull().then(() => {
        if (mark && builds.latest.get(key) !== mark) return undefined;
        if (value !== undefined && control.value !== value) control.value = value;
        if (checked !== undefined) control.checked = checked;
        return handler.apply(this, args);
      });
    };
    let result;
    try {
      result = handler.apply(this, args);
    } catch (error) {
      return again(error);
    }
    if (result && typeof result.then === 'function') return result.catch(again);
    return result;
  };
}

/** Makes every listener added from now on `retrying` (removal finds it under its own name). */
export function retryEveryListener() {
  const add = EventTarget.prototype.addEventListener;
  const remove = EventTarget.prototype.removeEventListener;
  const wrapped = new WeakMap();
  EventTarget.prototype.addEventListener = function (type, listener, options) {
    if (typeof listener !== 'function') return add.call(this, type, listener, options);
    if (!wrapped.has(listener)) wrapped.set(listener, retrying(listener));
    return add.call(this, type, wrapped.get(listener), options);
  };
  EventTarget.prototype.removeEventListener = function (type, listener, options) {
    return remove.call(this, type, (typeof listener === 'function' && wrapped.get(listener)) || listener, options);
  };
}
