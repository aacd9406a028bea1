// Progressive enhancement only: every page reads fully without this script.
// Sortable tables: click a column header to sort by it.
(function () {
  "use strict";
  function key(cell) {
    if (!cell) return "";
    var s = cell.getAttribute("data-sort");
    if (s === null) s = cell.textContent.trim();
    var n = parseFloat(s);
    return s !== "" && !isNaN(n) && /^-?[0-9.]+$/.test(s) ? n : s.toLowerCase();
  }
  function sortBy(table, col, th) {
    var body = table.tBodies[0];
    if (!body) return;
    var asc = th.getAttribute("aria-sort") !== "ascending";
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a.cells[col]), y = key(b.cells[col]);
      if (x === "" && y !== "") return 1;
      if (y === "" && x !== "") return -1;
      if (x < y) return asc ? -1 : 1;
      if (x > y) return asc ? 1 : -1;
      return 0;
    });
    rows.forEach(function (r) { body.appendChild(r); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { c.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", asc ? "ascending" : "descending");
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    if (!table.tHead) return;
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
      if (th.querySelector("a")) return;
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(b);
      b.addEventListener("click", function () { sortBy(table, col, th); });
    });
  });
})();
