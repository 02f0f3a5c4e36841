/* The offline scanner's service worker, served at /scanner-sw.js (scope "/").

It keeps what the scanner page needs to load without a network: the page itself, its script and
styles, and the vendored QR decoder with its .wasm. The page tells it which URLs to keep
(a "cache" message from static/js/scanner.js); nothing else is stored. Scanner pages and the app's
own files are fetched from the network first and fall back to the copy here; the vendored files
carry their version in the manifest and are served from here first. Every other request (the API,
other pages) is left to the browser untouched.
*/

const CACHE = "bdg-scanner-v1";

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("bdg-scanner-") && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

function cacheKey(url) {
  const key = new URL(url, self.location.href);
  key.hash = "";
  if (isScannerPage(key)) key.search = "";  // ?q=... searches are the same page offline
  return key.href;
}

function isScannerPage(url) {
  return url.origin === self.location.origin && /^\/plans\/[^/]+\/classes\/[^/]+\/scanner$/.test(url.pathname);
}

async function keep(urls) {
  const cache = await caches.open(CACHE);
  const results = await Promise.all(urls.map(async (url) => {
    try {
      const response = await fetch(url, {credentials: "same-origin", cache: "no-store"});
      if (!response.ok || response.redirected) return false;
      await cache.put(cacheKey(url), response);
      return true;
    } catch (error) {
      return false;
    }
  }));
  return results.every(Boolean);
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type !== "cache" || !Array.isArray(data.urls)) return;
  const urls = data.urls.filter((url) => new URL(url, self.location.href).origin === self.location.origin);
  event.waitUntil(keep(urls).then((ok) => {
    if (event.ports[0]) event.ports[0].postMessage({ok});
  }));
});

async function networkFirst(request, key) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok && !response.redirected && (await cache.match(key))) {
      await cache.put(key, response.clone());  // refresh only what the scanner asked to keep
    }
    return response;
  } catch (error) {
    const cached = await cache.match(key);
    if (cached) return cached;
    throw error;
  }
}

async function cacheFirst(request, key) {
  const cache = await caches.open(CACHE);
  return (await cache.match(key)) || fetch(request);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const key = cacheKey(url);
  if (request.mode === "navigate" && isScannerPage(url)) {
    event.respondWith(networkFirst(request, key));
  } else if (url.pathname.startsWith("/static/vendor/")) {
    event.respondWith(cacheFirst(request, key));
  } else if (url.pathname.startsWith("/static/")) {
    event.respondWith(networkFirst(request, key));
  }
});
