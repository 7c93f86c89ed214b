// Forms in Indonesian whatever the browser's language: every date input becomes a flatpickr calendar
// that shows "28 November 2026" and still sends the ISO date; Select2 speaks Indonesian; and the
// browser's own validity messages ("Please fill out this field.") are replaced by the app's, read
// from <meta name="bapas-form-messages"> (rendered from the catalogue).
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="bapas-form-messages"]');
  var text = function (name) { return meta ? meta.getAttribute("data-" + name) : ""; };

  if (window.jQuery && jQuery.fn.select2 && jQuery.fn.select2.defaults) {
    jQuery.fn.select2.defaults.set("language", "id");
    // FAB's ab.js gives its selects an English placeholder; a data attribute takes precedence.
    Array.prototype.forEach.call(document.querySelectorAll("select.my_select2:not([data-placeholder])"),
      function (select) { select.setAttribute("data-placeholder", text("choose")); });
  }

  // What people type: 2026-11-28, 28/11/2026, 28-11-2026 or 28 November 2026 (Nov, Agu, …).
  function parseDate(value) {
    var s = String(value).trim();
    var m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
    var year, month, day;
    if (m) {
      year = +m[1]; month = +m[2] - 1; day = +m[3];
    } else if ((m = /^(\d{1,2})[\/.-](\d{1,2})[\/.-](\d{4})$/.exec(s))) {
      year = +m[3]; month = +m[2] - 1; day = +m[1];
    } else if ((m = /^(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})$/.exec(s))) {
      var names = window.flatpickr.l10ns.id.months.longhand.map(function (name) { return name.toLowerCase(); });
      var typed = m[2].toLowerCase();
      year = +m[3]; day = +m[1];
      month = names.findIndex(function (name) { return typed.length >= 3 && name.indexOf(typed) === 0; });
    } else {
      return undefined;
    }
    var date = new Date(year, month, day);
    return month >= 0 && date.getMonth() === month && date.getDate() === day ? date : undefined;
  }

  function datePickers(root) {
    if (!window.flatpickr) {
      return;
    }
    Array.prototype.forEach.call(root.querySelectorAll('input[type="date"]'), function (input) {
      window.flatpickr(input, {
        locale: "id",
        dateFormat: "Y-m-d",
        altInput: true,
        altFormat: "j F Y",
        allowInput: true,
        parseDate: parseDate,
        // The visible field keeps the input's classes and its label (for="…" follows the id).
        altInputClass: input.className,
        onReady: function (_dates, _value, picker) {
          if (input.id && picker.altInput) {
            picker.altInput.id = input.id;
            input.id = input.id + "-iso";
          }
        },
      });
    });
  }

  function message(input) {
    var validity = input.validity;
    if (validity.valueMissing) {
      return text("required");
    }
    if (validity.typeMismatch && input.type === "email") {
      return text("email");
    }
    if (validity.tooLong) {
      return text("too-long");
    }
    return validity.valid || (validity.customError && !input.hasAttribute("data-bapas-validity"))
      ? ""
      : text("invalid");
  }

  // "invalid" does not bubble: listen while it travels down. A message another script set
  // (upload-limit.js) is left alone.
  document.addEventListener("invalid", function (event) {
    var input = event.target;
    if (input.validity.customError && !input.hasAttribute("data-bapas-validity")) {
      return;
    }
    input.setCustomValidity("");
    var said = message(input);
    if (said) {
      input.setCustomValidity(said);
      input.setAttribute("data-bapas-validity", "");
    }
  }, true);

  function clear(event) {
    var input = event.target;
    if (input.hasAttribute && input.hasAttribute("data-bapas-validity")) {
      input.setCustomValidity("");
      input.removeAttribute("data-bapas-validity");
    }
  }
  document.addEventListener("input", clear, true);
  document.addEventListener("change", clear, true);

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { datePickers(document); });
  } else {
    datePickers(document);
  }
})();
