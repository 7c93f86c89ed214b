// The BATAKO field app's service worker (scope /mobileserviceview/, allowed by the
// Service-Worker-Allowed header). It keeps the point page its PK opened (only a page the server
// marks with X-Batako-Offline: 1) and the site's static files, and serves them when there is no
// connection. It never touches a POST: entries wait in IndexedDB (batako-offline.js).
"use strict";

var PAGES = "batako-pages-v1";
var ASSETS = "batako-assets-v1";
var POINT_PAGE = /^\/mobileserviceview\/point\/\d+$/;

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("batako-") === 0 && name !== PAGES && name !== ASSETS;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function pageKey(url) {
  var parsed = new URL(url, self.location.origin);
  return parsed.origin + parsed.pathname;
}

// Network first: a fresh copy replaces the kept one; a page the server no longer marks (the point
// was closed, or another user signed in) is dropped; without a connection the kept copy is served.
function pointPage(request) {
  var key = pageKey(request.url);
  return caches.open(PAGES).then(function (cache) {
    return fetch(request).then(function (response) {
      if (response.ok && !response.redirected && response.headers.get("X-Batako-Offline") === "1") {
        return cache.put(key, response.clone()).then(function () { return response; });
      }
      return cache.delete(key).then(function () { return response; });
    }, function (error) {
      return cache.match(key, { ignoreVary: true }).then(function (kept) {
        if (kept) { return kept; }
        throw error;
      });
    });
  });
}

// Static files: the network when it answers (and a copy is kept), otherwise the kept copy.
function asset(request) {
  return caches.open(ASSETS).then(function (cache) {
    return fetch(request).then(function (response) {
      if (response.ok) { cache.put(request, response.clone()); }
      return response;
    }, function (error) {
      return cache.match(request, { ignoreVary: true }).then(function (kept) {
        if (kept) { return kept; }
        throw error;
      });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.mode === "navigate" && POINT_PAGE.test(url.pathname)) {
    event.respondWith(pointPage(request));
  } else if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(asset(request));
  }
});

// The page, once opened, asks for itself and its static files to be kept.
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (!data.page) { return; }
  var work = [pointPage(new Request(data.page, { credentials: "same-origin" })).catch(function () {})];
  work.push(caches.open(ASSETS).then(function (cache) {
    return Promise.all((data.assets || []).map(function (url) {
      return cache.match(url).then(function (kept) {
        return kept || cache.add(url).catch(function () {});
      });
    }));
  }));
  event.waitUntil(Promise.all(work).then(function () {
    if (event.source) { event.source.postMessage({ kept: data.page }); }
  }));
});
