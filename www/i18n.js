// The interface's strings, one catalogue file per language (i18n/en.js, i18n/id.js); this
// file is the logic. Elements carry `data-i18n="key"` (their text) or
// `data-i18n-title`/`data-i18n-label`/`data-i18n-group` (their title / aria-label / optgroup
// label); scripts call `t(key)`, and `translate(keys, english)` for text that comes from the
// core in English (model, setting and dataset names). tests/e2e/lessons.test.mjs fails when a
// key is missing in either catalogue or a key used in the page has no string;
// tests/e2e/i18n.test.mjs when the page shows English in Bahasa Indonesia or the core's registry
// has a name the catalogues lack.

import { state } from './state.js';
import en from './i18n/en.js';
import id from './i18n/id.js';

export const LANGUAGES = { en: 'English', id: 'Bahasa Indonesia' };

export const STRINGS = { en, id };

/** The language the browser prefers, if Latih has it. */
export function browserLanguage() {
  for (const l of navigator.languages || [navigator.language || 'en']) {
    const base = String(l).toLowerCase().split('-')[0];
    if (base in STRINGS) return base;
  }
  return 'en';
}

export function language() { return state.lang; }

/** The string for `key` in the current language, with `{name}` filled from `values`. */
export function t(key, values = {}) {
  const s = STRINGS[state.lang][key] ?? STRINGS.en[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (m, k) => (k in values ? String(values[k]) : m));
}

/**
 * Text the core gives in English (a model's name, a setting's hint), in the current language:
 * the first of `keys` (a key or a list, most specific first) the catalogue has, else `english`
 * as it is. English is always the core's own text.
 */
export function translate(keys, english) {
  if (state.lang === 'en') return english;
  for (const key of [keys].flat()) {
    if (key in STRINGS[state.lang]) return STRINGS[state.lang][key];
  }
  return english;
}

/** Switches the language and relabels every marked element under `root`. */
export function setLanguage(lang, root = document) {
  state.lang = lang in STRINGS ? lang : 'en';
  document.documentElement.lang = state.lang;
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
  for (const el of root.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(el.dataset.i18nLabel));
  for (const el of root.querySelectorAll('[data-i18n-group]')) el.label = t(el.dataset.i18nGroup);
}
