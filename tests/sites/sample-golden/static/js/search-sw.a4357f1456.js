/* Service worker of /tim-kiem/ (published as tim-kiem/sw.js, so that its scope is the search
 * page): network first, and the last good copy when the network is gone. A visitor who has
 * opened the search page once can open it again offline and search everything the earlier
 * searches fetched. Index files carry ?v=<index version>; older versions are dropped as soon
 * as a newer meta.json arrives. */
"use strict";
var CACHE = "tim-kiem-1";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

function dropOtherVersions(cache, version) {
  return cache.keys().then(function (requests) {
    return Promise.all(requests.map(function (request) {
      var v = new URL(request.url).searchParams.get("v");
      return v && v !== version ? cache.delete(request) : null;
    }));
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  var page = request.mode === "navigate";
  event.respondWith(fetch(request).then(function (response) {
    if (response.ok) {
      var copy = response.clone();
      event.waitUntil(caches.open(CACHE).then(function (cache) {
        var stored = cache.put(page ? request.url.split("?")[0] : request, copy);
        if (!/\/chi-muc\/meta\.json$/.test(request.url.split("?")[0])) return stored;
        return Promise.all([stored, response.clone().json().then(function (meta) {
          return dropOtherVersions(cache, meta.version);
        })]);
      }));
    }
    return response;
  }).catch(function () {
    return caches.match(page ? request.url.split("?")[0] : request).then(function (cached) {
      return cached || Response.error();
    });
  }));
});
