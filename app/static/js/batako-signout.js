// Signing out clears what the BATAKO field app kept on this device: the unsent entries (IndexedDB
// "batako"), the kept pages and files (Cache Storage "batako-*") and its service worker. Unsent
// entries are named first, so the PK can stay signed in and send them. (The logout response also
// carries Clear-Site-Data for browsers that run no script here.)
(function () {
  "use strict";
  var form = document.querySelector("form.bapas-logout");
  if (!form || !window.indexedDB || !window.Promise) { return; }

  function unsent() {
    return new Promise(function (resolve) {
      var request = indexedDB.open("batako", 1);
      request.onupgradeneeded = function () { request.result.createObjectStore("outbox", { keyPath: "key" }); };
      request.onerror = function () { resolve(0); };
      request.onsuccess = function () {
        var db = request.result;
        var count = db.transaction("outbox", "readonly").objectStore("outbox").count();
        count.onsuccess = function () { db.close(); resolve(count.result); };
        count.onerror = function () { db.close(); resolve(0); };
      };
    });
  }

  function forget() {
    var work = [new Promise(function (resolve) {
      var request = indexedDB.deleteDatabase("batako");
      request.onsuccess = request.onerror = request.onblocked = function () { resolve(); };
    })];
    if (window.caches) {
      work.push(caches.keys().then(function (names) {
        return Promise.all(names.filter(function (name) { return name.indexOf("batako-") === 0; })
          .map(function (name) { return caches.delete(name); }));
      }));
    }
    if (navigator.serviceWorker) {
      work.push(navigator.serviceWorker.getRegistrations().then(function (registrations) {
        return Promise.all(registrations.filter(function (r) { return r.scope.indexOf("/mobileserviceview/") > 0; })
          .map(function (r) { return r.unregister(); }));
      }));
    }
    var limit = new Promise(function (resolve) { window.setTimeout(resolve, 3000); });
    return Promise.race([Promise.all(work).catch(function () {}), limit]);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    unsent().then(function (count) {
      if (count && !window.confirm(form.dataset.unsent.replace("%(n)s", String(count)))) { return null; }
      return forget().then(function () { form.submit(); });
    });
  });
})();
