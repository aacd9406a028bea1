// Progressive enhancement only: every page reads fully without this script.
// - Sortable tables: a button in each column header sorts by that column.
// - Filterable tables: a text box above the table keeps the rows whose
//   heading matches, without regard to case or Vietnamese diacritics.
// - Compare page: keeps the rows of the agencies picked (2 to 5) and puts
//   them in the address (?a=id&a=id) so that the comparison can be shared.
// - Search page: searches the site's index (/search-index.<lang>.json).
// UI strings come from data- attributes that the pages carry.
(function () {
  "use strict";

  // Lower case, decomposed, combining marks U+0300–U+036F gone, đ as d,
  // every run of other characters one space: step for step `normalize` in
  // src/render/search.rs, so "Über" typed as written finds "Über".
  function norm(s) {
    return String(s)
      .toLowerCase()
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d")
      .replace(/[^\p{L}\p{N}]+/gu, " ")
      .trim();
  }
  function atWordStart(hay, token) {
    return (" " + hay).indexOf(" " + token) !== -1;
  }
  function fill(template, args) {
    return String(template || "").replace(/\{(\w+)\}/g, function (m, k) {
      return Object.prototype.hasOwnProperty.call(args, k) ? String(args[k]) : m;
    });
  }
  function each(list, fn) {
    Array.prototype.forEach.call(list, fn);
  }
  var body = document.body;
  // The language switch keeps the reader's query (?a=…, ?q=…) too.
  function syncLanguageLinks(query) {
    each(document.querySelectorAll(".langs a[hreflang]"), function (a) {
      a.href = a.href.split(/[?#]/)[0] + query;
    });
  }

  // --- Citations: a path from the host's root becomes the full address ---
  each(document.querySelectorAll(".cite-url"), function (el) {
    var path = el.textContent.trim();
    if (path.charAt(0) === "/" && path.charAt(1) !== "/") {
      el.textContent = new URL(path, window.location.href).href;
    }
  });

  // --- Sorting ------------------------------------------------------------
  function key(cell) {
    if (!cell) return "";
    var s = cell.getAttribute("data-sort");
    if (s === null) s = cell.textContent.trim();
    var n = parseFloat(s);
    return s !== "" && !isNaN(n) && /^-?[0-9.]+$/.test(s) ? n : s.toLowerCase();
  }
  function sortBy(table, col, th) {
    var tbody = table.tBodies[0];
    if (!tbody) return;
    var asc = th.getAttribute("aria-sort") !== "ascending";
    var rows = Array.prototype.slice.call(tbody.rows);
    rows.sort(function (a, b) {
      var x = key(a.cells[col]), y = key(b.cells[col]);
      if (x === "" && y !== "") return 1;
      if (y === "" && x !== "") return -1;
      if (typeof x !== typeof y) return typeof x === "number" ? -1 : 1;
      if (typeof x === "string") {
        var c = x.localeCompare(y, document.documentElement.lang);
        return asc ? c : -c;
      }
      if (x < y) return asc ? -1 : 1;
      if (x > y) return asc ? 1 : -1;
      return 0;
    });
    rows.forEach(function (r) { tbody.appendChild(r); });
    each(table.tHead.rows[0].cells, function (c) { c.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", asc ? "ascending" : "descending");
  }
  each(document.querySelectorAll("table.sortable"), function (table) {
    if (!table.tHead) return;
    each(table.tHead.rows[0].cells, function (th, col) {
      var b = document.createElement("button");
      b.type = "button";
      if (th.querySelector("a")) {
        // A heading that links to its indicator keeps the link and gets a
        // small sort button beside it.
        b.className = "sort-only";
        b.textContent = "⇅";
        b.setAttribute("aria-label", fill(body.getAttribute("data-sort-by"), { col: th.textContent.trim() }));
        th.appendChild(document.createTextNode(" "));
      } else {
        b.textContent = th.textContent;
        th.textContent = "";
      }
      th.appendChild(b);
      b.addEventListener("click", function () { sortBy(table, col, th); });
    });
  });

  // --- Filtering ----------------------------------------------------------
  var filterCount = 0;
  each(document.querySelectorAll("table.filterable"), function (table) {
    var tbody = table.tBodies[0];
    if (!tbody || tbody.rows.length < 2) return;
    var wrap = table.closest(".table-wrap") || table;
    filterCount += 1;
    var id = "table-filter-" + filterCount;
    var box = document.createElement("div");
    box.className = "table-filter";
    var label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = body.getAttribute("data-filter-label") || "";
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.autocomplete = "off";
    input.spellcheck = false;
    var status = document.createElement("span");
    status.className = "filter-status";
    status.setAttribute("role", "status");
    var hint = document.createElement("span");
    hint.className = "detail";
    hint.textContent = body.getAttribute("data-sort-hint") || "";
    box.appendChild(label);
    box.appendChild(input);
    box.appendChild(status);
    box.appendChild(hint);
    wrap.parentNode.insertBefore(box, wrap);
    var rows = Array.prototype.slice.call(tbody.rows);
    var texts = rows.map(function (r) {
      var h = r.querySelector("th") || r.cells[0];
      return norm(h ? h.textContent : "");
    });
    input.addEventListener("input", function () {
      var tokens = norm(input.value).split(" ").filter(Boolean);
      var shown = 0;
      rows.forEach(function (r, i) {
        var ok = tokens.every(function (t) { return atWordStart(texts[i], t); });
        r.hidden = !ok;
        if (ok) shown += 1;
      });
      status.textContent = tokens.length
        ? fill(body.getAttribute("data-filter-count"), { shown: shown, total: rows.length })
        : "";
    });
  });

  // --- Compare ------------------------------------------------------------
  var form = document.getElementById("compare-form");
  if (form) {
    var max = parseInt(form.getAttribute("data-max"), 10) || 5;
    var boxes = Array.prototype.slice.call(form.querySelectorAll("input[name=a]"));
    var known = {};
    boxes.forEach(function (b) { known[b.value] = b; });
    var statusEl = document.getElementById("compare-status");
    var order = [];
    var params = new URLSearchParams(window.location.search);
    params.getAll("a").forEach(function (id) {
      if (known[id] && order.indexOf(id) === -1 && order.length < max) order.push(id);
    });
    // Each table's rows by agency. A large cohort's rows wait in a
    // <template> (not laid out): only the picked ones enter the table.
    var inert = form.getAttribute("data-inert") === "true";
    var pools = [];
    each(document.querySelectorAll(".compare-table"), function (table) {
      var tbody = table.tBodies[0];
      var tpl = tbody.querySelector("template");
      var byId = {};
      each(tpl ? tpl.content.querySelectorAll("tr") : tbody.rows, function (r) {
        byId[r.getAttribute("data-agency")] = r;
      });
      if (tpl) tbody.removeChild(tpl);
      pools.push({ tbody: tbody, byId: byId, inert: !!tpl });
    });
    var apply = function (updateUrl) {
      boxes.forEach(function (b) {
        b.checked = order.indexOf(b.value) !== -1;
        b.disabled = !b.checked && order.length >= max;
      });
      pools.forEach(function (p) {
        if (p.inert) {
          while (p.tbody.firstChild) p.tbody.removeChild(p.tbody.firstChild);
        } else {
          Object.keys(p.byId).forEach(function (id) {
            p.byId[id].hidden = order.length > 0 && order.indexOf(id) === -1;
          });
        }
        // The picked agencies in the order they were picked.
        order.forEach(function (id) { if (p.byId[id]) p.tbody.appendChild(p.byId[id]); });
      });
      if (inert) {
        each(document.querySelectorAll(".compare-measure"), function (s) {
          s.hidden = order.length === 0;
        });
      }
      var q = order.map(function (id) { return "a=" + encodeURIComponent(id); }).join("&");
      var url = window.location.pathname + (q ? "?" + q : "");
      if (updateUrl) window.history.replaceState(null, "", url);
      syncLanguageLinks(q ? "?" + q : "");
      statusEl.textContent = "";
      if (order.length === 0) {
        statusEl.textContent = fill(form.getAttribute(inert ? "data-status-pick" : "data-status-all"), {
          n: Object.keys(known).length, max: max,
        });
        return;
      }
      var names = order.map(function (id) {
        var l = form.querySelector("label[for='pick-" + id + "']");
        return l ? l.textContent : id;
      });
      statusEl.appendChild(document.createTextNode(
        fill(form.getAttribute("data-status"), { n: order.length, names: names.join(", ") }) + " "));
      if (order.length >= max) {
        statusEl.appendChild(document.createTextNode(
          fill(form.getAttribute("data-too-many"), { max: max }) + " "));
      }
      var a = document.createElement("a");
      a.href = url;
      a.textContent = form.getAttribute("data-share");
      statusEl.appendChild(a);
    };
    boxes.forEach(function (b) {
      b.addEventListener("change", function () {
        var i = order.indexOf(b.value);
        if (b.checked && i === -1 && order.length < max) order.push(b.value);
        if (!b.checked && i !== -1) order.splice(i, 1);
        apply(true);
      });
    });
    form.addEventListener("reset", function (ev) {
      ev.preventDefault();
      order = [];
      apply(true);
    });
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      apply(true);
      var first = document.querySelector(".compare-measure");
      if (first) first.scrollIntoView();
    });
    apply(false);
    // A long list of agencies (a cohort of communes) gets a box that keeps
    // the agencies whose name matches, like the table filters.
    if (boxes.length > 20) {
      var pickFilter = document.createElement("p");
      pickFilter.className = "table-filter";
      var pickLabel = document.createElement("label");
      pickLabel.htmlFor = "pick-filter";
      pickLabel.textContent = body.getAttribute("data-filter-label") || "";
      var pickInput = document.createElement("input");
      pickInput.type = "search";
      pickInput.id = "pick-filter";
      pickInput.autocomplete = "off";
      pickInput.spellcheck = false;
      pickFilter.appendChild(pickLabel);
      pickFilter.appendChild(pickInput);
      var firstSet = form.querySelector("fieldset");
      if (firstSet) firstSet.parentNode.insertBefore(pickFilter, firstSet);
      var items = boxes.map(function (b) {
        var l = form.querySelector("label[for='pick-" + b.value + "']");
        return { li: b.closest("li"), text: norm(l ? l.textContent : b.value) };
      });
      pickInput.addEventListener("input", function () {
        var tokens = norm(pickInput.value).split(" ").filter(Boolean);
        items.forEach(function (it) {
          it.li.hidden = !tokens.every(function (t) { return atWordStart(it.text, t); });
        });
      });
    }
    // A shared comparison opens on its tables, the list of agencies folded.
    var picker = document.getElementById("compare-picker");
    if (picker && order.length >= 2) picker.open = false;
  }

  // --- Search -------------------------------------------------------------
  var sform = document.getElementById("search-form");
  if (sform && window.fetch) {
    var input = document.getElementById("search-q");
    var out = document.getElementById("search-results");
    var all = document.getElementById("search-all");
    var root = sform.getAttribute("data-root") || "";
    var index = null;
    // Same ranking as `search` in src/render/search.rs.
    var search = function (entries, query) {
      var q = norm(query);
      if (!q) return [];
      var tokens = q.split(" ");
      var hits = [];
      entries.forEach(function (e, i) {
        var names = e.names.join(" ");
        var every = names + " " + e.text;
        if (!tokens.every(function (t) { return atWordStart(every, t); })) return;
        var score = 0;
        if (e.names.some(function (n) { return n === q; })) score = 4;
        else if (e.names.some(function (n) { return atWordStart(n, q); })) score = 3;
        else if (tokens.every(function (t) { return atWordStart(names, t); })) score = 2;
        else if (atWordStart(every, q)) score = 1;
        hits.push({ score: score, i: i, e: e });
      });
      hits.sort(function (a, b) { return b.score - a.score || a.i - b.i; });
      return hits.map(function (h) { return h.e; });
    };
    var show = function (updateUrl) {
      var q = input.value;
      out.textContent = "";
      var query = norm(q) ? "?q=" + encodeURIComponent(q) : "";
      if (updateUrl) window.history.replaceState(null, "", window.location.pathname + query);
      syncLanguageLinks(query);
      if (!norm(q) || !index) {
        if (all) all.hidden = false;
        return;
      }
      if (all) all.hidden = true;
      var hits = search(index.entries, q);
      var p = document.createElement("p");
      p.textContent = fill(sform.getAttribute(hits.length ? "data-results" : "data-none"), {
        n: hits.length, q: q.trim(),
      });
      out.appendChild(p);
      if (!hits.length) return;
      var ol = document.createElement("ol");
      ol.className = "search-hits";
      hits.slice(0, 50).forEach(function (e) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = root + e.href;
        a.textContent = e.title;
        li.appendChild(a);
        var d = document.createElement("span");
        d.className = "detail";
        d.textContent = (index.kinds[e.kind] || "") + (e.detail ? " · " + e.detail : "");
        li.appendChild(d);
        ol.appendChild(li);
      });
      out.appendChild(ol);
    };
    var initial = new URLSearchParams(window.location.search).get("q");
    if (initial) input.value = initial;
    sform.addEventListener("submit", function (ev) {
      ev.preventDefault();
      show(true);
    });
    input.addEventListener("input", function () { show(true); });
    window.fetch(sform.getAttribute("data-index"))
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        index = data;
        show(false);
      })
      .catch(function () { /* the listing below stays */ });
  }
})();
