// The interface's strings, one catalogue per language. Elements carry `data-i18n="key"` (their
// text) or `data-i18n-title`/`data-i18n-label` (their title / aria-label); scripts call `t(key)`.
// tests/e2e/lessons.test.mjs fails when a key is missing in either catalogue or a key used in
// the page has no string.

export const LANGUAGES = { en: 'English', id: 'Bahasa Indonesia' };

export const STRINGS = {
  en: {
    tagline: 'train models in your browser',
    reset: 'Reset',
    play: 'Play',
    pause: 'Pause',
    step: 'Step',
    share: 'Share…',
    lessons: 'Lessons',
    language: 'Language',
    'panel.data': 'Data',
    'panel.model': 'Model',
    'panel.output': 'Output',
    'panel.explore': 'Explore the data',
    'panel.evaluate': 'Evaluate and tune',
    'lessons.title': 'Lessons',
    'lessons.intro': 'Learn the trade of an ML developer by doing it: each lesson loads experiments here and checks your “try this” tasks as you work.',
    'lessons.open-file': 'Open a lesson file…',
    'lessons.file-hint': 'A lesson is a Markdown file (see docs/lessons.md); you can also drop it on the data panel’s file box.',
    'lessons.close': 'Close lessons',
    'lessons.all': 'All lessons',
    'lessons.section': 'Section {n} of {total}',
    'lessons.previous': 'Previous',
    'lessons.next': 'Next',
    'lessons.reload': 'Load this experiment again',
    'lessons.try': 'Try this',
    'lessons.done': 'Done',
    'lessons.not-yet': 'Not yet',
    'lessons.now': 'now: {value}',
    'lessons.hint': 'Show a hint',
    'lessons.solution': 'Show a solution',
    'lessons.progress': '{done} of {total} tasks done',
    'lessons.share': 'Copy a link to this lesson',
    'lessons.copied': 'Link copied.',
    'lessons.too-big': 'This lesson file is too big to travel in a link; share the file itself.',
    'lessons.problems': 'Some lines of this lesson could not be read:',
    'lessons.unreadable': 'The lesson could not be opened:',
    'lessons.no-task': 'Explore this experiment: there is no task in this section.',
  },
  id: {
    tagline: 'latih model di peramban Anda',
    reset: 'Ulang',
    play: 'Jalankan',
    pause: 'Jeda',
    step: 'Langkah',
    share: 'Bagikan…',
    lessons: 'Pelajaran',
    language: 'Bahasa',
    'panel.data': 'Data',
    'panel.model': 'Model',
    'panel.output': 'Hasil',
    'panel.explore': 'Jelajahi data',
    'panel.evaluate': 'Evaluasi dan penyetelan',
    'lessons.title': 'Pelajaran',
    'lessons.intro': 'Pelajari pekerjaan seorang pengembang ML dengan langsung mempraktikkannya: setiap pelajaran memuat eksperimen di sini dan memeriksa tugas “coba ini” sambil Anda bekerja.',
    'lessons.open-file': 'Buka berkas pelajaran…',
    'lessons.file-hint': 'Pelajaran adalah berkas Markdown (lihat docs/lessons.md); Anda juga dapat meletakkannya di kotak berkas pada panel data.',
    'lessons.close': 'Tutup pelajaran',
    'lessons.all': 'Semua pelajaran',
    'lessons.section': 'Bagian {n} dari {total}',
    'lessons.previous': 'Sebelumnya',
    'lessons.next': 'Berikutnya',
    'lessons.reload': 'Muat ulang eksperimen ini',
    'lessons.try': 'Coba ini',
    'lessons.done': 'Selesai',
    'lessons.not-yet': 'Belum',
    'lessons.now': 'sekarang: {value}',
    'lessons.hint': 'Tampilkan petunjuk',
    'lessons.solution': 'Tampilkan solusi',
    'lessons.progress': '{done} dari {total} tugas selesai',
    'lessons.share': 'Salin tautan ke pelajaran ini',
    'lessons.copied': 'Tautan disalin.',
    'lessons.too-big': 'Berkas pelajaran ini terlalu besar untuk dimuat dalam tautan; bagikan berkasnya saja.',
    'lessons.problems': 'Beberapa baris pelajaran ini tidak dapat dibaca:',
    'lessons.unreadable': 'Pelajaran tidak dapat dibuka:',
    'lessons.no-task': 'Jelajahi eksperimen ini: tidak ada tugas di bagian ini.',
  },
};

let current = 'en';

/** The language the browser prefers, if Latih has it. */
export function browserLanguage() {
  for (const l of navigator.languages || [navigator.language || 'en']) {
    const base = String(l).toLowerCase().split('-')[0];
    if (base in STRINGS) return base;
  }
  return 'en';
}

export function language() { return current; }

/** The string for `key` in the current language, with `{name}` filled from `values`. */
export function t(key, values = {}) {
  const s = STRINGS[current][key] ?? STRINGS.en[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (m, k) => (k in values ? String(values[k]) : m));
}

/** Switches the language and relabels every marked element under `root`. */
export function setLanguage(lang, root = document) {
  current = lang in STRINGS ? lang : 'en';
  document.documentElement.lang = current;
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
  for (const el of root.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(el.dataset.i18nLabel));
}
