// Sortable tables: <table data-sortable>.
//
// The header cells of the table's last <thead> row become sort buttons (their content is
// wrapped in <button type="button">). Clicking a button (or Enter/Space on it) sorts the
// rows of every <tbody> by that column, ascending first, then toggling; the active <th>
// gets aria-sort="ascending"/"descending" and the others lose aria-sort. A <th> that
// already has aria-sort in the markup (server-side order) is taken as the current state.
//
// A column sorts numerically when its body cells carry data-value attributes (cells with
// an empty or non-numeric data-value go last); otherwise by text with the "zh-Hans-CN"
// collation (numeric-aware), empty cells last. Rows with class "total" stay at the bottom
// of their tbody in their original order; <tfoot> is left alone. A <th data-sort="none">
// is not made sortable.
(function () {
  "use strict";

  var compareText = (function () {
    try {
      if (window.Intl && window.Intl.Collator) {
        var collator = new window.Intl.Collator("zh-Hans-CN", { numeric: true, sensitivity: "base" });
        return function (a, b) { return collator.compare(a, b); };
      }
    } catch (e) { /* fall through */ }
    return function (a, b) { return a.localeCompare(b, "zh-Hans-CN"); };
  })();

  function hasClass(el, name) {
    return (" " + (el.className || "") + " ").indexOf(" " + name + " ") >= 0;
  }

  // The cell covering logical column `col` of a row, honouring colspan.
  function cellAt(row, col) {
    var pos = 0;
    for (var i = 0; i < row.cells.length; i++) {
      var span = row.cells[i].colSpan || 1;
      if (col < pos + span) { return pos === col ? row.cells[i] : null; }
      pos += span;
    }
    return null;
  }

  function columnOf(row, cell) {
    var pos = 0;
    for (var i = 0; i < row.cells.length; i++) {
      if (row.cells[i] === cell) { return pos; }
      pos += row.cells[i].colSpan || 1;
    }
    return -1;
  }

  function cellText(cell) {
    return (cell.textContent || "").replace(/\s+/g, " ").replace(/^ | $/g, "");
  }

  function sortBody(tbody, col, descending) {
    var rows = [];
    var totals = [];
    var i;
    for (i = 0; i < tbody.rows.length; i++) {
      var row = tbody.rows[i];
      if (hasClass(row, "total")) { totals.push(row); } else { rows.push(row); }
    }
    // Numeric when every present cell in the column has a data-value attribute.
    var numeric = rows.length > 0;
    var present = 0;
    for (i = 0; i < rows.length; i++) {
      var c = cellAt(rows[i], col);
      if (!c) { continue; }
      present++;
      if (!c.hasAttribute("data-value")) { numeric = false; break; }
    }
    if (!present) { numeric = false; }

    var keyed = [];
    for (i = 0; i < rows.length; i++) {
      var cell = cellAt(rows[i], col);
      var key = null;
      if (cell) {
        if (numeric) {
          var raw = cell.getAttribute("data-value");
          var n = raw === null || raw.replace(/\s/g, "") === "" ? NaN : Number(raw);
          key = isNaN(n) ? null : n;
        } else {
          key = cellText(cell);
          if (key === "") { key = null; }
        }
      }
      keyed.push({ row: rows[i], key: key, index: i });
    }
    keyed.sort(function (a, b) {
      if (a.key === null || b.key === null) {
        if (a.key === null && b.key === null) { return a.index - b.index; }
        return a.key === null ? 1 : -1;   // missing values last in both directions
      }
      var result = numeric ? (a.key < b.key ? -1 : (a.key > b.key ? 1 : 0)) : compareText(a.key, b.key);
      if (descending) { result = -result; }
      return result || a.index - b.index;
    });
    for (i = 0; i < keyed.length; i++) { tbody.appendChild(keyed[i].row); }
    for (i = 0; i < totals.length; i++) { tbody.appendChild(totals[i]); }
  }

  function headerRow(table) {
    var thead = table.tHead;
    if (thead && thead.rows.length) { return thead.rows[thead.rows.length - 1]; }
    return null;
  }

  function setup(table) {
    if (table.getAttribute("data-sortable-ready") === "true") { return; }
    var row = headerRow(table);
    if (!row) { return; }
    var headers = [];
    for (var i = 0; i < row.cells.length; i++) {
      var th = row.cells[i];
      if (th.tagName !== "TH" || th.getAttribute("data-sort") === "none") { continue; }
      headers.push(th);
    }
    for (var h = 0; h < headers.length; h++) {
      (function (th) {
        var button = document.createElement("button");
        button.type = "button";
        while (th.firstChild) { button.appendChild(th.firstChild); }
        th.appendChild(button);
        button.addEventListener("click", function () {
          var col = columnOf(row, th);
          if (col < 0) { return; }
          var descending = th.getAttribute("aria-sort") === "ascending";
          for (var b = 0; b < table.tBodies.length; b++) { sortBody(table.tBodies[b], col, descending); }
          for (var k = 0; k < row.cells.length; k++) {
            if (row.cells[k] !== th) { row.cells[k].removeAttribute("aria-sort"); }
          }
          th.setAttribute("aria-sort", descending ? "descending" : "ascending");
        });
      })(headers[h]);
    }
    table.setAttribute("data-sortable-ready", "true");
  }

  function start() {
    var tables = document.querySelectorAll("table[data-sortable]");
    for (var i = 0; i < tables.length; i++) {
      try { setup(tables[i]); } catch (e) { /* leave the table as it is */ }
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
