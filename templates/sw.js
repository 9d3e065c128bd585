// The site's own service worker: it keeps one page, the offline page with the crisis lines, and
// its stylesheet and icon, and shows that page when a page cannot be fetched. It never keeps a signed-in
// page, a search or any peer's data: every other request goes to the network as if it were not
// here. (Served by portal.views.service_worker; docs/privacy.md.)
const CACHE = "wnwa-offline-{{ version }}";
const OFFLINE = "{{ offline_url }}";
const KEEP = [OFFLINE, "{{ stylesheet }}", "{{ icon }}"];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll(KEEP.map((url) => new Request(url, { credentials: "omit" }))))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(() => caches.match(OFFLINE)));
  } else if (KEEP.includes(new URL(request.url).pathname)) {
    event.respondWith(fetch(request).catch(() => caches.match(request, { ignoreSearch: true })));
  }
});
