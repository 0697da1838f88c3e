// Autosave on the answer pages. htmx sends each change; this script adds what htmx does not:
// a visible "wird gespeichert" state, retries after network errors, a warning before leaving
// with unsaved changes, and the two choices after a conflict.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  var RETRY_DELAYS_MS = [2000, 4000, 8000, 15000, 30000];

  function statusOf(question) {
    return document.getElementById("status-" + question.id.replace(/^frage-/, ""));
  }

  function setStatus(question, html) {
    statusOf(question).innerHTML = html;
  }

  function isQuestion(element) {
    return element && element.classList && element.classList.contains("question");
  }

  document.addEventListener("input", function (event) {
    var question = event.target.closest(".question");
    if (question) {
      // Never leave "Gespeichert" on screen while a newer change waits for its autosave.
      if (question.dataset.dirty !== "1") {
        setStatus(question, '<span class="status-saving">Wird gespeichert …</span>');
      }
      question.dataset.dirty = "1";
    }
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var question = event.detail.elt;
    if (isQuestion(question)) {
      setStatus(question, '<span class="status-saving">Wird gespeichert …</span>');
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var question = event.detail.elt;
    if (!isQuestion(question)) {
      return;
    }
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    if (status >= 200 && status < 300) {
      delete question.dataset.dirty;
      question.dataset.retries = "0";
    } else if (status === 0 || status >= 500) {
      scheduleRetry(question);
    }
  });

  function scheduleRetry(question) {
    var attempt = Number(question.dataset.retries || "0");
    var delay = RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)];
    question.dataset.retries = String(attempt + 1);
    setStatus(
      question,
      '<span class="status-error">Nicht gespeichert – erneut versuchen</span> ' +
        '<button type="button" class="retry-now secondary">Jetzt erneut versuchen</button>'
    );
    window.clearTimeout(Number(question.dataset.retryTimer || "0"));
    question.dataset.retryTimer = String(
      window.setTimeout(function () {
        htmx.trigger(question, "retry");
      }, delay)
    );
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) {
      return;
    }
    var question = button.closest(".question");
    if (button.classList.contains("retry-now") && question) {
      htmx.trigger(question, "retry");
    } else if (button.classList.contains("keep-mine") && question) {
      document.getElementById("version-" + button.dataset.question).value = button.dataset.version;
      htmx.trigger(question, "retry");
    } else if (button.classList.contains("take-theirs") && question) {
      takeTheirs(question, button.dataset);
    }
  });

  function takeTheirs(question, data) {
    var id = data.question;
    var radios = question.querySelectorAll('input[type="radio"]');
    radios.forEach(function (radio) {
      radio.checked = radio.value === (data.value || "");
    });
    document.getElementById("c-" + id).value = data.comment || "";
    document.getElementById("version-" + id).value = data.version;
    delete question.dataset.dirty;
    setStatus(question, '<span class="status-ok">Andere Antwort übernommen</span>');
  }

  window.addEventListener("beforeunload", function (event) {
    if (document.querySelector('.question[data-dirty="1"]')) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
