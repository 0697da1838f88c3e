// Live view for the projector and the moderator's control view. Reads the workshop's
// snapshots from the event stream and, when the stream cannot be held, polls instead.
(function () {
  "use strict";
  var root = document.getElementById("live");
  if (!root) {
    return;
  }
  var POLL_MS = 3000;
  var SILENCE_MS = 35000; // the server sends at least a keep-alive every 15 s
  var pollTimer = null;
  var silenceTimer = null;
  var categoryLabels = {};
  document.querySelectorAll("[data-category]").forEach(function (el) {
    categoryLabels[el.dataset.category] = el.dataset.label;
  });
  var scaleLabels = {};
  document.querySelectorAll("[data-scale-value]").forEach(function (el) {
    scaleLabels[el.dataset.scaleValue] = el.dataset.label;
  });

  function part(name) {
    return root.querySelector('[data-live="' + name + '"]');
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function valuesFor(kind) {
    return kind === "questions" ? Object.keys(scaleLabels) : ["1", "2", "3", "4"];
  }

  function labelFor(kind, value) {
    return kind === "questions" ? scaleLabels[value] || value : categoryLabels[value] || value;
  }

  function bar(item, kind, minN) {
    var wrap = el("div", "dist");
    if (item.suppressed || item.n === 0) {
      wrap.appendChild(
        el("p", "hint", item.n + " Stimmen – angezeigt ab " + minN + " Stimmen")
      );
      return wrap;
    }
    var barEl = el("div", "dist-bar");
    valuesFor(kind).forEach(function (value, index) {
      var count = item.counts[value] || 0;
      if (!count) {
        return;
      }
      var share = Math.round((count / item.n) * 100);
      var colour = kind === "questions" ? "ans-" + value.replace(/_/g, "-") : "seg-" + (index + 1);
      var seg = el("span", "seg " + colour, String(count));
      seg.style.width = (count / item.n) * 100 + "%";
      seg.title = labelFor(kind, value) + ": " + count + " (" + share + " %)";
      barEl.appendChild(seg);
    });
    wrap.appendChild(barEl);
    var text = valuesFor(kind)
      .map(function (value) {
        return labelFor(kind, value) + ": " + (item.counts[value] || 0);
      })
      .join(" · ");
    wrap.appendChild(el("p", "dist-text", text + " (n = " + item.n + ")"));
    return wrap;
  }

  function comparison(item, kind) {
    var box = el("div", "compare");
    if (kind !== "questions" && item.median) {
      box.appendChild(el("span", "badge cat-" + item.median, "Workshop: " + item.median));
    }
    if (!item.revealed) {
      return box;
    }
    if (kind === "questions") {
      box.appendChild(
        el("span", "badge cat-none", "Verwaltung: " + (item.admin_value ? labelFor(kind, item.admin_value) : "keine Antwort"))
      );
      return box;
    }
    if (!item.admin_category) {
      box.appendChild(el("span", "badge cat-none", "Verwaltung: nicht bewertbar"));
      return box;
    }
    box.appendChild(el("span", "badge cat-" + item.admin_category, "Verwaltung: " + item.admin_category));
    if (item.median) {
      var gap = Math.abs(item.median - item.admin_category);
      var label = gap >= 2 ? "Deutliche Abweichung" : gap === 1 ? "Abweichung" : "Übereinstimmung";
      box.appendChild(el("strong", "gap gap-" + Math.min(gap, 2), label + (gap ? " (" + gap + ")" : "")));
    }
    return box;
  }

  function showLegend(kind) {
    root.querySelectorAll("[data-legend]").forEach(function (legend) {
      legend.hidden = legend.dataset.legend !== (kind === "questions" ? "questions" : "categories");
    });
  }

  function render(snapshot) {
    part("joined").textContent = snapshot.joined;
    var round = snapshot.round;
    showLegend(round ? round.kind : "");
    part("voters").textContent = round ? round.voters : 0;
    var target = part("round");
    target.replaceChildren();
    if (!round) {
      target.appendChild(el("p", "waiting", "Noch keine Runde geöffnet."));
      return;
    }
    var head = el("h2", "round-title", round.title);
    head.appendChild(el("span", "round-status status-" + round.status, round.status === "open" ? " – läuft" : " – geschlossen"));
    if (round.trial) {
      head.appendChild(el("span", "badge trial-badge", "Probelauf"));
    }
    target.appendChild(head);
    var list = el("ol", "items");
    round.items.forEach(function (item) {
      var li = el("li", "item");
      li.appendChild(el("h3", "item-label", item.label));
      li.appendChild(bar(item, round.kind, snapshot.min_group_size));
      li.appendChild(comparison(item, round.kind));
      list.appendChild(li);
    });
    target.appendChild(list);
  }

  function connection(text) {
    var node = part("connection");
    if (node) {
      node.textContent = text;
    }
  }

  function poll() {
    fetch(root.dataset.poll, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.json() : Promise.reject(response.status);
      })
      .then(render)
      .catch(function () {
        connection("Keine Verbindung zum Server – neuer Versuch läuft …");
      });
  }

  function startPolling() {
    if (pollTimer === null) {
      connection("Live-Verbindung unterbrochen – die Anzeige wird alle 3 Sekunden aktualisiert.");
      poll();
      pollTimer = window.setInterval(poll, POLL_MS);
    }
  }

  function stopPolling() {
    if (pollTimer !== null) {
      window.clearInterval(pollTimer);
      pollTimer = null;
    }
    connection("");
  }

  function watchSilence() {
    window.clearTimeout(silenceTimer);
    silenceTimer = window.setTimeout(startPolling, SILENCE_MS);
  }

  if (!window.EventSource) {
    startPolling();
    return;
  }
  var source = new EventSource(root.dataset.stream);
  source.addEventListener("update", function (event) {
    stopPolling();
    watchSilence();
    render(JSON.parse(event.data));
  });
  source.addEventListener("open", watchSilence);
  source.addEventListener("error", startPolling); // EventSource reconnects by itself
  watchSilence();
})();
