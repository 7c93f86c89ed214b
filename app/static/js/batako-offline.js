// The BATAKO point page as a field app: its PK's check-ins (with the drawn signature) and guidance
// notes are kept on the device (IndexedDB "batako", store "outbox") under a key made here, shown as
// "belum terkirim", and sent one by one (JSON, CSRF token in X-CSRFToken) when there is a connection.
// The server records each key once, so a retry or a double tap never records twice. An entry the
// server refuses (a conflict) stays on the device with the server's words until the PK removes it.
(function () {
  "use strict";
  var root = document.getElementById("batako-offline");
  if (!root || !window.indexedDB || !window.fetch) { return; }
  var text = root.dataset;
  var pointId = Number(text.point), userId = Number(text.user);
  var list = document.getElementById("batako-outbox");
  var CHECK_IN = "hadir", GUIDE = "bimbing";

  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open("batako", 1);
      request.onupgradeneeded = function () { request.result.createObjectStore("outbox", { keyPath: "key" }); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function store(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction("outbox", mode);
        var request = work(tx.objectStore("outbox"));
        tx.oncomplete = function () { db.close(); resolve(request && request.result); };
        tx.onerror = tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }

  // Only this point's entries of the signed-in PK, oldest first (a check-in before its note).
  function entries() {
    return store("readonly", function (s) { return s.getAll(); }).then(function (all) {
      return all.filter(function (e) { return e.point === pointId && e.user === userId; })
        .sort(function (a, b) { return a.at < b.at ? -1 : a.at > b.at ? 1 : 0; });
    });
  }
  function save(entry) { return store("readwrite", function (s) { return s.put(entry); }); }
  function drop(key) { return store("readwrite", function (s) { return s.delete(key); }); }

  function clientName(card) {
    var wanted = (card || "").trim().toLowerCase();
    var options = document.querySelectorAll("#batako-clients option");
    for (var i = 0; i < options.length; i++) {
      if (options[i].value.toLowerCase() === wanted || (options[i].dataset.register || "").toLowerCase() === wanted) {
        return options[i].textContent + " (" + card + ")";
      }
    }
    return card;
  }

  function newEntry(kind, fields) {
    var entry = { key: uuid(), point: pointId, user: userId, kind: kind, at: new Date().toISOString(), state: "pending" };
    Object.keys(fields).forEach(function (name) { entry[name] = fields[name]; });
    return entry;
  }

  function noteOf(form, prefix) {
    var note = {};
    ["kind", "notes", "confidential_notes", "next_appointment"].forEach(function (name) {
      var field = form.querySelector("[name='" + prefix + name + "']");
      note[name] = field ? field.value : "";
    });
    return note;
  }

  function element(tag, className, content) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (content) { node.textContent = content; }
    return node;
  }

  function render() {
    return entries().then(function (all) {
      var guided = {};
      all.forEach(function (e) { if (e.kind === GUIDE) { guided[e.checkin || "visit-" + e.visit] = true; } });
      list.textContent = "";
      all.forEach(function (entry) { list.appendChild(item(entry, all, guided)); });
      root.querySelector("[data-outbox-count]").textContent = String(all.length);
      var banner = root.querySelector("[data-offline-banner]");
      banner.textContent = text.offline;
      banner.hidden = navigator.onLine;
      root.hidden = !all.length && navigator.onLine;
      // A visit whose note waits on the device shows no second note form.
      document.querySelectorAll("form[data-visit]").forEach(function (form) {
        form.hidden = !!guided["visit-" + form.dataset.visit];
      });
    });
  }

  function item(entry, all, guided) {
    var li = element("li", "batako-entry batako-" + entry.state);
    li.dataset.key = entry.key;
    var label = entry.kind === CHECK_IN ? text.checkin : text.guide;
    li.appendChild(element("strong", "", label + ": " + entry.name));
    li.appendChild(document.createTextNode(" · "));
    if (entry.state === "pending") {
      li.appendChild(element("span", "label label-warning", text.unsent));
    } else {
      li.appendChild(element("span", "text-danger batako-conflict", entry.message));
    }
    if (entry.kind === GUIDE && entry.note) { li.appendChild(element("p", "small", entry.note.notes)); }
    if (entry.kind === CHECK_IN && entry.state === "pending" && !guided[entry.key]) {
      li.appendChild(noteForm(entry));
    }
    if (entry.state !== "pending") {
      var remove = element("button", "btn btn-default btn-xs", text.discard);
      remove.type = "button";
      remove.addEventListener("click", function () {
        if (window.confirm(text.discardConfirm)) { drop(entry.key).then(render); }
      });
      li.appendChild(remove);
    }
    return li;
  }

  // The note of a client checked in on the device: it refers to the check-in by its key.
  function noteForm(checkin) {
    var wrapper = element("div", "batako-offline-note-box");
    wrapper.appendChild(element("p", "text-muted", text.noteTitle));
    wrapper.appendChild(document.getElementById("batako-note").content.cloneNode(true));
    var form = wrapper.querySelector("form");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var entry = newEntry(GUIDE, { checkin: checkin.key, name: checkin.name, note: noteOf(form, "offline-") });
      save(entry).then(render).then(flush);
    });
    return wrapper;
  }

  var checkin = document.getElementById("checkin");
  if (checkin) {
    // Registered after signature-pad.js, whose own submit listener has filled the signature field.
    checkin.addEventListener("submit", function (event) {
      event.preventDefault();
      var card = checkin.querySelector("[name='card']");
      var signature = checkin.querySelector("[name='signature']");
      if (!signature.value) { window.alert(text.unsigned); return; }
      var entry = newEntry(CHECK_IN, { card: card.value.trim(), signature: signature.value, name: clientName(card.value.trim()) });
      save(entry).then(function () {
        card.value = "";
        var clear = checkin.querySelector("[data-signature-clear]");
        if (clear) { clear.click(); }
        return render();
      }).then(flush);
    });
  }

  document.querySelectorAll("form[data-visit]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var name = form.closest(".bapas-card").querySelector("strong").textContent;
      var entry = newEntry(GUIDE, { visit: Number(form.dataset.visit), name: name, note: noteOf(form, form.dataset.prefix) });
      save(entry).then(render).then(flush);
    });
  });

  function payload(entry) {
    var body = { key: entry.key, kind: entry.kind, at: entry.at };
    if (entry.kind === CHECK_IN) {
      body.card = entry.card;
      body.signature = entry.signature;
    } else {
      body.note = entry.note;
      if (entry.checkin) { body.checkin_key = entry.checkin; } else { body.visit_id = entry.visit; }
    }
    return body;
  }

  // A fresh token (and proof the session is still signed in) before sending.
  function freshToken() {
    return fetch(window.location.pathname, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
      if (!response.ok || response.redirected) { return null; }
      return response.text().then(function (html) {
        var meta = new DOMParser().parseFromString(html, "text/html").querySelector("meta[name='csrf-token']");
        return meta ? meta.content : null;
      });
    });
  }

  function send(entry, token) {
    return fetch(text.sync, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token, "Accept": "application/json" },
      body: JSON.stringify(payload(entry)),
    }).then(function (response) {
      return response.json().then(function (answer) { return { code: response.status, answer: answer }; },
        function () { return { code: response.status, answer: null }; });
    });
  }

  // The page is reloaded to show what was recorded, but never under the PK's fingers.
  var stale = false;
  function typing() {
    return Array.prototype.some.call(document.querySelectorAll("form input[type=text], form textarea"), function (field) {
      return field.value.trim() !== "" && field.closest("form") !== null && !field.closest("[hidden]");
    });
  }

  var flushing = false;
  function flush() {
    if (flushing) { return Promise.resolve(); }
    if (!navigator.onLine) { return render(); }
    flushing = true;
    var recorded = 0;
    return entries().then(function (all) {
      var pending = all.filter(function (e) { return e.state === "pending"; });
      if (!pending.length) { return null; }
      var failed = {};
      all.forEach(function (e) { if (e.state !== "pending") { failed[e.key] = true; } });
      return freshToken().then(function (token) {
        if (!token) { return null; }
        // One after the other, in the order they were made; a network failure stops the round.
        return pending.reduce(function (previous, entry) {
          return previous.then(function (go) {
            if (!go) { return false; }
            if (entry.checkin && failed[entry.checkin]) {
              entry.state = "conflict";
              entry.message = text.parent;
              return save(entry).then(function () { return true; });
            }
            return send(entry, token).then(function (result) {
              if (result.answer && result.answer.status === "ok") {
                recorded += 1;
                return drop(entry.key).then(function () { return true; });
              }
              if (result.answer && result.answer.message && result.code < 500) {
                entry.state = "conflict";
                entry.message = result.answer.message;
                failed[entry.key] = true;
                return save(entry).then(function () { return true; });
              }
              return false;
            }, function () { return false; });
          });
        }, Promise.resolve(true));
      });
    }, function () { return null; }).then(function () {
      flushing = false;
      if (recorded) { stale = true; }
      if (stale && !typing()) { window.location.reload(); return null; }
      return render();
    }, function () { flushing = false; });
  }

  window.addEventListener("online", function () { render().then(flush); });
  window.addEventListener("offline", render);
  window.setInterval(flush, 20000);

  // Keep this page and its static files on the device (the service worker decides what it keeps).
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(text.worker, { scope: text.scope }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      var assets = performance.getEntriesByType("resource").map(function (e) { return e.name; })
        .filter(function (url) { return url.indexOf(window.location.origin + "/static/") === 0; });
      registration.active.postMessage({ page: window.location.pathname, assets: assets });
    }).catch(function () { /* no service worker (e.g. not a secure context): entries still wait */ });
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.kept) { root.dataset.kept = event.data.kept; }
    });
  }

  render().then(flush);
})();
