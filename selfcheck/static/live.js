// Live view for the projector and the moderator's control view. Reads the workshop's
// snapshots through followFeed (feed.js): from the event stream, else by polling.
(function () {
  "use strict";
  var root = document.getElementById("live");
  if (!root) {
    return;
  }
  var onProjector = root.hasAttribute("data-projector");
  var categoryLabels = {};
  document.querySelectorAll("[data-category]").forEach(function (node) {
    categoryLabels[node.dataset.category] = node.dataset.label;
  });
  var scaleLabels = {};
  document.querySelectorAll("[data-scale-value]").forEach(function (node) {
    scaleLabels[node.dataset.scaleValue] = node.dataset.label;
  });

  // Counters may sit outside the live area (the console bar): fill every copy.
  function fill(name, text) {
    document.querySelectorAll('[data-live="' + name + '"]').forEach(function (node) {
      node.textContent = text;
    });
  }

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

  function votes(n) {
    return n === 1 ? "1 Stimme" : n + " Stimmen";
  }

  function valuesFor(kind) {
    return kind === "questions" ? Object.keys(scaleLabels) : ["1", "2", "3", "4"];
  }

  function labelFor(kind, value) {
    return kind === "questions" ? scaleLabels[value] || value : categoryLabels[value] || value;
  }

  function bar(item, kind, snapshot) {
    var wrap = el("div", "dist");
    if (snapshot.results_hidden && onProjector) {
      wrap.appendChild(el("p", "withheld", votes(item.n) + " – Ergebnis folgt"));
      return wrap;
    }
    if (item.suppressed || item.n === 0) {
      wrap.appendChild(
        el("p", "hint", votes(item.n) + " – angezeigt ab " + votes(snapshot.min_group_size))
      );
      return wrap;
    }
    var barEl = el("div", "dist-bar");
    barEl.setAttribute("aria-hidden", "true"); // the text below and the table say the same
    valuesFor(kind).forEach(function (value, index) {
      var count = item.counts[value] || 0;
      if (!count) {
        return;
      }
      var share = Math.round((count / item.n) * 100);
      var colour = kind === "questions" ? "ans-" + value.replace(/_/g, "-") : "seg-" + (index + 1);
      var seg = el("span", "seg " + colour, String(count));
      seg.style.flexGrow = String(count);
      seg.title = labelFor(kind, value) + ": " + count + " (" + share + "\u00a0%)";
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

  // "Kategorie" is a word of its own, so that narrow screens can leave it out (CSS).
  function withCategory(prefix, category) {
    var node = el("span", "", prefix);
    node.appendChild(el("span", "word-category", "Kategorie "));
    node.appendChild(document.createTextNode(String(category)));
    return node;
  }

  function adminText(item, kind) {
    if (kind === "questions") {
      return "Verwaltung: " + (item.admin_value ? labelFor(kind, item.admin_value) : "keine Antwort");
    }
    return "Verwaltung: " + (item.admin_category ? "Kategorie " + item.admin_category : "nicht bewertbar");
  }

  function gapText(item) {
    var gap = Math.abs(item.median - item.admin_category);
    var label = gap >= 2 ? "Deutliche Abweichung" : gap === 1 ? "Abweichung" : "Übereinstimmung";
    return label + (gap ? " (" + gap + ")" : "");
  }

  function badge(className, content) {
    var node = el("span", "badge " + className);
    node.appendChild(content);
    return node;
  }

  function comparison(item, kind) {
    var box = el("div", "compare");
    if (kind !== "questions" && item.median) {
      box.appendChild(badge("cat-" + item.median, withCategory("Median der Runde: ", item.median)));
    }
    if (!item.revealed) {
      return box;
    }
    if (kind !== "questions" && item.admin_category) {
      box.appendChild(badge("cat-" + item.admin_category, withCategory("Verwaltung: ", item.admin_category)));
    } else {
      box.appendChild(el("span", "badge cat-none", adminText(item, kind)));
    }
    if (kind !== "questions" && item.admin_category && item.median) {
      var gap = Math.abs(item.median - item.admin_category);
      box.appendChild(el("strong", "gap gap-" + Math.min(gap, 2), gapText(item)));
    }
    return box;
  }

  // The same numbers as one table, for screen readers (the bars are pictures).
  function dataTable(round, snapshot) {
    var wrap = el("div", "visually-hidden"); // a hidden table alone would still widen the page
    var table = el("table");
    table.appendChild(el("caption", "", "Ergebnisse: " + round.title));
    var head = el("tr");
    var values = valuesFor(round.kind);
    var columns = [round.kind === "questions" ? "Frage" : "Handlungsfeld", "Stimmen"]
      .concat(values.map(function (v) { return labelFor(round.kind, v); }))
      .concat(round.kind === "questions" ? ["Verwaltung"] : ["Median", "Verwaltung"]);
    columns.forEach(function (name) {
      var th = el("th", "", name);
      th.scope = "col";
      head.appendChild(th);
    });
    var thead = el("thead");
    thead.appendChild(head);
    table.appendChild(thead);
    var body = el("tbody");
    round.items.forEach(function (item) {
      var row = el("tr");
      var th = el("th", "", item.label);
      th.scope = "row";
      row.appendChild(th);
      row.appendChild(el("td", "", String(item.n)));
      var shown = !item.suppressed && !(snapshot.results_hidden && onProjector) && item.n > 0;
      values.forEach(function (v) {
        row.appendChild(el("td", "", shown ? String(item.counts[v] || 0) : "–"));
      });
      if (round.kind !== "questions") {
        row.appendChild(el("td", "", item.median ? "Kategorie " + item.median : "–"));
      }
      row.appendChild(el("td", "", item.revealed ? adminText(item, round.kind).replace("Verwaltung: ", "") : "noch nicht gezeigt"));
      body.appendChild(row);
    });
    table.appendChild(body);
    wrap.appendChild(table);
    return wrap;
  }

  function showLegend(kind) {
    root.querySelectorAll("[data-legend]").forEach(function (legend) {
      legend.hidden = legend.dataset.legend !== (kind === "questions" ? "questions" : "categories");
    });
  }

  function render(snapshot) {
    var round = snapshot.round;
    var voters = round ? round.voters : 0;
    fill("joined", String(snapshot.joined));
    fill("voters", String(voters));
    fill("voters-word", voters === 1 ? "hat abgestimmt" : "haben abgestimmt");
    showLegend(round ? round.kind : "");
    var target = part("round");
    target.replaceChildren();
    root.classList.toggle("results-hidden", Boolean(snapshot.results_hidden));
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
    var list = el("ol", "items items-" + Math.min(round.items.length, 8));
    round.items.forEach(function (item) {
      var li = el("li", "item");
      li.appendChild(el("h3", "item-label", item.label));
      li.appendChild(bar(item, round.kind, snapshot));
      li.appendChild(comparison(item, round.kind));
      list.appendChild(li);
    });
    target.appendChild(list);
    target.appendChild(dataTable(round, snapshot));
  }

  function connection(text) {
    var node = part("connection");
    if (node) {
      node.textContent = text;
    }
  }

  // The projector's big QR code: Q shows and hides it (it is also a link, #qr-gross).
  if (onProjector) {
    document.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey) {
        return;
      }
      var big = window.location.hash === "#qr-gross";
      if (event.key === "q" || event.key === "Q" || (event.key === "Escape" && big)) {
        event.preventDefault();
        window.location.hash = big ? "live" : "qr-gross";
      }
    });
  }

  window.followFeed({ stream: root.dataset.stream, poll: root.dataset.poll }, render, {
    silenceFromStart: true,
    onPolling: function () {
      connection("Live-Verbindung unterbrochen – die Anzeige wird alle 3 Sekunden aktualisiert.");
    },
    onLive: function () {
      connection("");
    },
    onPollFailed: function () {
      connection("Keine Verbindung zum Server – neuer Versuch läuft …");
    },
  });
})();
