// Latih's service worker: after the first visit the app works with no network.
// Installing caches the page and everything it names (trunk's hashed wasm and JS, the style,
// the script, icons, the deploy template, the built-in lessons, the full build); afterwards every same-origin GET is answered from
// the cache at once and refreshed from the network in the background, so a new build is
// picked up on the next visit. Nothing here talks to any other origin.
const CACHE = 'latih-v1';
// The full build's content hash, written into the built site by scripts/full-build.sh (so a
// release that changes it also changes this file, and the browser installs the worker again).
const FULL_VERSION = '__LATIH_FULL_VERSION__';
// (The page's modules: www/app.js is named by the page itself, the modules it imports are not.)
const EXTRA = ['www/deploy-template.html', 'www/manifest.webmanifest', 'www/icon-192.png', 'www/icon-512.png', 'www/icon-maskable-512.png',
  'www/state.js', 'www/ui.js', 'www/controls.js', 'www/data.js', 'www/drawing.js', 'www/network.js', 'www/view.js',
  'www/evaluate.js', 'www/share.js', 'www/autosave.js',
  'www/lessons.js', 'www/i18n.js', 'www/i18n/en.js', 'www/i18n/id.js', 'www/explain.js', 'www/builds.js', 'lessons/index.json'];
const LANGUAGES = ['en', 'id'];

/** The built-in lessons' files (lessons/index.json names them), so they open offline too. */
async function lessonFiles(scope) {
  try {
    const { lessons } = await (await fetch(new URL('lessons/index.json', scope), { cache: 'no-cache' })).json();
    return LANGUAGES.flatMap((lang) => lessons.map((name) => new URL(`lessons/${lang}/${name}.md`, scope).href));
  } catch {
    return [];
  }
}

/** The same-origin files the page at `url` names in src= and href= attributes. */
function assetsOf(html, base) {
  const found = new Set();
  for (const m of html.matchAll(/\b(?:src|href)="([^"#]+)"/g)) {
    const u = new URL(m[1], base);
    if (u.origin === self.location.origin) found.add(u.href);
  }
  return [...found];
}

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    const scope = self.registration.scope;
    const page = await fetch(scope, { cache: 'no-cache' });
    const html = await page.clone().text();
    await cache.put(scope, page);
    // addAll refuses a list that names a file twice.
    const files = new Set([...assetsOf(html, scope), ...EXTRA.map((p) => new URL(p, scope).href), ...await lessonFiles(scope)]);
    // The full build, which the page loads when something needs it, as the page asks for it
    // (www/builds.js); not on a connection that asks to save data (it is cached when used).
    if (!(self.navigator.connection && self.navigator.connection.saveData)) {
      for (const f of ['latih.js', 'latih_bg.wasm']) files.add(new URL(`full/${f}?v=${FULL_VERSION}`, scope).href);
    }
    files.delete(scope);
    await cache.addAll([...files]);
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  // The page itself is one entry whatever its query: the experiment lives in the fragment.
  const key = request.mode === 'navigate' ? self.registration.scope : request;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    const cached = await cache.match(key);
    const refresh = fetch(request).then((response) => {
      if (response.ok) cache.put(key, response.clone());
      return response;
    });
    if (cached) {
      event.waitUntil(refresh.catch(() => {}));
      return cached;
    }
    return refresh;
  })());
});
