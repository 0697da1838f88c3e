// Voting from the phone. A vote stays on the phone (localStorage) until the server has
// acknowledged it and is resent after network errors; resending is safe because the
// server keeps one vote per participant and item. The round shown follows the moderator.
(function () {
  "use strict";
  var area = document.getElementById("round-area");
  if (!area) {
    return;
  }
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var storageKey = "selfcheck-votes-" + area.dataset.code;
  var pending = load();
  var inFlight = {};
  var retryDelay = {};
  var FOLLOW_RETRY_MS = 2000;
  var wanted = null; // the newest round signal; the page catches up with it
  var following = false;

  function load() {
    try {
      return JSON.parse(window.localStorage.getItem(storageKey) || "{}");
    } catch (error) {
      return {};
    }
  }

  function save() {
    try {
      window.localStorage.setItem(storageKey, JSON.stringify(pending));
    } catch (error) {
      // Private mode without storage: votes still go out, they just do not survive a reload.
    }
  }

  function keyOf(roundId, itemKey) {
    return roundId + "|" + itemKey;
  }

  function formFor(key) {
    var parts = key.split("|");
    var round = area.querySelector(".round");
    if (!round || round.dataset.round !== parts[0]) {
      return null;
    }
    return area.querySelector('.vote-item[data-item="' + CSS.escape(parts[1]) + '"]');
  }

  function setStatus(key, text, kind) {
    var form = formFor(key);
    if (form) {
      var status = form.querySelector(".vote-status");
      status.textContent = text;
      status.className = "vote-status " + (kind || "");
    } else if (kind && kind.indexOf("error") === 0) {
      // The round is no longer on the page (it closed): say so where the page still shows it.
      document.getElementById("connection-state").textContent = text;
    }
  }

  function send(key) {
    var vote = pending[key];
    if (!vote || inFlight[key]) {
      return;
    }
    inFlight[key] = true;
    setStatus(key, "Wird gesendet …", "saving");
    var body = new URLSearchParams({
      round_id: vote.round_id,
      item_key: vote.item_key,
      value: vote.value,
      _csrf_token: csrf,
    });
    fetch("/w/" + area.dataset.code + "/stimme", {
      method: "POST",
      credentials: "same-origin",
      headers: { Accept: "application/json", "x-csrftoken": csrf },
      body: body,
    })
      .then(function (response) {
        return response.json().then(function (data) {
          return { status: response.status, data: data };
        });
      })
      .then(function (result) {
        inFlight[key] = false;
        if (result.status >= 500) {
          throw new Error("server");
        }
        retryDelay[key] = 0;
        var current = pending[key];
        if (current && current.value !== vote.value) {
          send(key); // changed again while this one was on its way
          return;
        }
        delete pending[key];
        save();
        if (result.status === 200) {
          setStatus(key, "Ihre Stimme ist gespeichert.", "ok");
        } else {
          setStatus(key, "Nicht gezählt: " + result.data.detail, "error refused");
        }
      })
      .catch(function () {
        inFlight[key] = false;
        setStatus(key, "Noch nicht gespeichert – keine Verbindung. Neuer Versuch läuft automatisch …", "error");
        var delay = Math.min((retryDelay[key] || 500) * 2, 15000);
        retryDelay[key] = delay;
        window.setTimeout(function () {
          send(key);
        }, delay);
      });
  }

  // One field (or question) per screen: the steps are all in the page; without
  // JavaScript the same links and buttons load one step per page (?schritt=N).
  function showStep(step) {
    var round = area.querySelector(".round");
    var target = round && round.querySelector('.step[data-step="' + CSS.escape(String(step)) + '"]');
    if (!target) {
      return;
    }
    round.querySelectorAll(".step").forEach(function (section) {
      section.hidden = section !== target;
    });
    try {
      window.history.replaceState(null, "", "?schritt=" + encodeURIComponent(step));
    } catch (error) {
      // An old browser without the History API: the address just stays as it was.
    }
    var title = target.querySelector(".step-title");
    if (title) {
      title.focus();
    }
  }

  // Progress dots and the summary follow a choice; they hold no input of their own.
  function markChosen(form, radio) {
    var key = CSS.escape(form.dataset.item);
    area.querySelectorAll('[data-dot="' + key + '"]').forEach(function (dot) {
      dot.classList.add("done");
      dot.querySelector(".dot-state").textContent = " (abgestimmt)";
    });
    var summary = area.querySelector('[data-summary="' + key + '"] .summary-value');
    var title = document.getElementById(radio.id + "-t");
    if (summary && title) {
      summary.textContent = title.textContent;
    }
  }

  function bind() {
    area.querySelectorAll(".vote-item").forEach(function (form) {
      form.addEventListener("change", function (event) {
        if (event.target.name !== "value") {
          return;
        }
        var roundId = form.querySelector('[name="round_id"]').value;
        var itemKey = form.dataset.item;
        var key = keyOf(roundId, itemKey);
        pending[key] = { round_id: roundId, item_key: itemKey, value: event.target.value };
        save();
        send(key);
        markChosen(form, event.target);
      });
      form.addEventListener("submit", function (event) {
        event.preventDefault(); // votes go out on change; "Weiter" only moves on
        var next = event.submitter && event.submitter.value;
        if (next) {
          showStep(next);
        }
      });
    });
    area.querySelectorAll("[data-goto]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        showStep(link.dataset.goto);
      });
    });
    // Show votes that are still waiting for the server as chosen.
    Object.keys(pending).forEach(function (key) {
      var form = formFor(key);
      if (form) {
        var radio = form.querySelector('input[name="value"][value="' + CSS.escape(pending[key].value) + '"]');
        if (radio) {
          radio.checked = true;
          markChosen(form, radio);
        }
      }
    });
  }

  // Shows the round the moderator has open (or none). A signal is sent only when it
  // changes, so a failed fetch is retried until the page has caught up.
  function followRound(signal) {
    wanted = signal;
    if (following) {
      return; // the fetch under way checks the newest signal when it is done
    }
    var round = area.querySelector(".round");
    var shownId = round ? round.dataset.round : "";
    var shownStatus = round ? round.dataset.status : "";
    var wantedId = signal.status === "open" ? String(signal.round_id) : "";
    var wantedStatus = signal.status === "open" ? "open" : "";
    if (shownId === wantedId && shownStatus === wantedStatus) {
      return;
    }
    following = true;
    fetch("/w/" + area.dataset.code + "/runde", { credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.text() : Promise.reject(response.status);
      })
      .then(function (html) {
        // A refusal shown in the old round must not vanish with it.
        var refused = Array.prototype.map.call(
          area.querySelectorAll(".vote-status.refused"),
          function (status) {
            return status.textContent;
          }
        );
        area.innerHTML = html;
        bind();
        var title = area.querySelector("h2");
        var news = title ? "Neue Runde: " + title.textContent : "Die Runde ist beendet.";
        document.getElementById("connection-state").textContent = [news].concat(refused).join(" ");
        following = false;
        followRound(wanted);
      })
      .catch(function () {
        following = false;
        window.setTimeout(function () {
          followRound(wanted);
        }, FOLLOW_RETRY_MS);
      });
  }

  bind();
  Object.keys(pending).forEach(send);
  window.addEventListener("online", function () {
    Object.keys(pending).forEach(send);
    if (wanted) {
      followRound(wanted);
    }
  });
  // Phones watch for silence only once a round signal came: a quiet stream is no reason
  // for hundreds of them to start polling.
  window.followFeed({ stream: area.dataset.stream, poll: area.dataset.poll }, followRound, {
    silenceFromStart: false,
  });
})();
