// Moderator pages: shortcut keys for the console bar, copy buttons for links, and the
// one confirmation step of a <details class="confirm"> (which also works without this script).
(function () {
  "use strict";

  function isTyping(target) {
    if (!target || !target.closest) {
      return false;
    }
    return Boolean(target.closest("input, textarea, select, [contenteditable]")) || target.isContentEditable;
  }

  // Shortcut keys: a plain letter, never with a modifier and never while typing in a field.
  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.repeat) {
      return;
    }
    if (isTyping(event.target) || event.key.length !== 1) {
      return;
    }
    var control = document.querySelector('[data-shortcut="' + event.key.toLowerCase() + '"]');
    if (!control) {
      return;
    }
    event.preventDefault();
    var confirm = control.closest("details.confirm");
    if (confirm) {
      // Closing asks first: the key opens the question and puts the focus on "Ja".
      confirm.open = true;
      var yes = confirm.querySelector('button[type="submit"]');
      if (yes) {
        yes.focus();
      }
      return;
    }
    control.click();
  });

  // A confirmation left open is closed by Escape, the focus back on its summary.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    var open = document.activeElement && document.activeElement.closest("details.confirm[open]");
    if (open) {
      open.open = false;
      open.querySelector("summary").focus();
    }
  });

  // Copy buttons: hidden without JavaScript (the field can still be selected and copied).
  document.querySelectorAll(".js-copy").forEach(function (button) {
    button.hidden = false;
    var status = document.createElement("span");
    status.className = "copy-status";
    status.setAttribute("role", "status");
    button.insertAdjacentElement("afterend", status);
    button.addEventListener("click", function () {
      var field = document.getElementById(button.dataset.copy);
      var done = function () {
        status.textContent = " Kopiert.";
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done, function () {
          field.select();
          status.textContent = " Bitte mit Strg+C kopieren.";
        });
      } else {
        field.select();
        status.textContent = document.execCommand("copy") ? " Kopiert." : " Bitte mit Strg+C kopieren.";
      }
    });
  });
})();
