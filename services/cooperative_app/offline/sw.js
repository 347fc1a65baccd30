/* Nguồn cooperative app: the service worker (scope /app/).
   The shell (static files, the offline page) is precached under a versioned cache; app pages
   and pick lists are fetched from the network first and their last good answer kept, so the
   app reloads and its forms open offline. Writes (POST) are never touched: the outbox
   (outbox.js) keeps and retries them itself. */
"use strict";
const VERSION = __VERSION__;
const SHELL = __SHELL__;
const OFFLINE_PAGE = __OFFLINE_PAGE__;
const PAGES = __PAGES__; // precached pages: still fetched network first, like every page
const SHELL_CACHE = "nguon-shell-" + VERSION;
const PAGES_CACHE = "nguon-pages"; // last-seen pages survive an update of the shell
const PATIENCE_MS = 6000; // a slow network answers a page late: after this, the kept copy

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(SHELL_CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(
        names.filter((n) => n !== SHELL_CACHE && n !== PAGES_CACHE).map((n) => caches.delete(n))
      ))
      .then(() => self.clients.claim())
  );
});

function keep(request, response) {
  // opaqueredirect: /app/ answers with a redirect, and offline the same redirect is replayed.
  if (response.ok || response.type === "opaqueredirect") {
    const copy = response.clone();
    caches.open(PAGES_CACHE).then((cache) => cache.put(request, copy));
  }
  return response;
}

function kept(request) {
  return caches.match(request, { cacheName: PAGES_CACHE })
    .then((found) => found || caches.match(request, { cacheName: PAGES_CACHE, ignoreSearch: true }))
    .then((found) => found || caches.match(request, { cacheName: SHELL_CACHE, ignoreSearch: true }));
}

function networkFirst(request, fallback) {
  const fromNetwork = fetch(request).then((response) => keep(request, response));
  const late = new Promise((resolve) => setTimeout(resolve, PATIENCE_MS))
    .then(() => kept(request)).then((found) => found || fromNetwork);
  return Promise.race([fromNetwork, late])
    .catch(() => kept(request).then((found) => found || fallback()));
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (!url.pathname.startsWith("/app/") && url.pathname !== "/app") return;
  if (SHELL.includes(url.pathname) && !PAGES.includes(url.pathname)) {
    event.respondWith(caches.match(request, { cacheName: SHELL_CACHE, ignoreSearch: true })
      .then((found) => found || fetch(request)));
  } else if (request.mode === "navigate") {
    event.respondWith(networkFirst(request, () => caches.match(OFFLINE_PAGE)));
  } else if (url.pathname.endsWith(".json")) {
    event.respondWith(networkFirst(request, () => Response.error()));
  }
});
