// Checks chosen files against the server's limits before a form is sent, so that a file that would
// be refused (or a request the server would cut off) is caught while the form is still filled in.
// The limits and the Indonesian messages come from <meta name="bapas-upload-limits"> (set from the
// server's configuration); photos over the per-file limit are let through: the server reduces them.
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="bapas-upload-limits"]');
  if (!meta) {
    return;
  }
  var fileBytes = Number(meta.getAttribute("data-file-bytes"));
  var requestBytes = Number(meta.getAttribute("data-request-bytes"));
  // Room for the form's other fields and the multipart framing.
  var filesBytes = requestBytes - 64 * 1024;
  var fileTooLarge = meta.getAttribute("data-file-too-large");
  var requestTooLarge = meta.getAttribute("data-request-too-large");

  function isPhoto(file) {
    return /^image\/(jpeg|png)$/.test(file.type) || /\.(jpe?g|png)$/i.test(file.name);
  }

  function fileInputs(form) {
    return Array.prototype.slice.call(form.querySelectorAll('input[type="file"]'));
  }

  function chosen(input) {
    return Array.prototype.slice.call(input.files || []);
  }

  function say(input, messages) {
    var box = input.parentNode.querySelector(".bapas-upload-error");
    if (!messages.length) {
      if (box) {
        box.parentNode.removeChild(box);
      }
      input.setCustomValidity("");
      return;
    }
    if (!box) {
      box = document.createElement("div");
      box.className = "alert alert-danger bapas-upload-error";
      box.setAttribute("role", "alert");
      input.parentNode.insertBefore(box, input.nextSibling);
    }
    box.textContent = messages.join(" ");
    input.setCustomValidity(messages.join(" "));
  }

  function problems(input) {
    return chosen(input)
      .filter(function (file) { return file.size > fileBytes && !isPhoto(file); })
      .map(function (file) { return fileTooLarge.replace("{name}", file.name); });
  }

  function checkForm(form) {
    var inputs = fileInputs(form);
    var total = 0;
    var first = null;
    inputs.forEach(function (input) {
      var found = problems(input);
      chosen(input).forEach(function (file) { total += file.size; });
      say(input, found);
      if (found.length && !first) {
        first = input;
      }
    });
    if (!first && total > filesBytes) {
      first = inputs.filter(function (input) { return chosen(input).length; })[0];
      say(first, [requestTooLarge]);
    }
    return first;
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input.matches && input.matches('input[type="file"]') && input.form) {
      checkForm(input.form);
    }
  });

  document.addEventListener("submit", function (event) {
    var bad = checkForm(event.target);
    if (bad) {
      event.preventDefault();
      bad.scrollIntoView({ block: "center" });
      bad.focus();
    }
  }, true);
})();
