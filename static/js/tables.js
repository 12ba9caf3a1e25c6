/* Tables become stacked cards on a phone (site.css, under 40rem): each cell is labelled with its column's
   header through a data-label copied here from the header row, so no template repeats its headers. Without
   JavaScript a table keeps its columns and scrolls inside its own box. CSS display changes drop a table's
   semantics in some screen readers, so the ARIA table roles are set explicitly. Rows htmx swaps in are
   labelled when they arrive. */
(function () {
  "use strict";

  function headerText(th) {
    // A header may name its column more shortly for the label (data-label: a vendor's name without its badge).
    if (th.hasAttribute("data-label")) { return th.getAttribute("data-label"); }
    // A header whose only text is for screen readers (a column of buttons: "Remove", "Action") labels nothing
    // on screen: the buttons say what they do.
    var copy = th.cloneNode(true);
    Array.prototype.forEach.call(copy.querySelectorAll(".visually-hidden"), function (hidden) { hidden.remove(); });
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  function columnLabels(table) {
    var head = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    if (!head) { return null; }
    var labels = [];
    Array.prototype.forEach.call(head.cells, function (cell) {
      var text = headerText(cell);
      for (var span = 0; span < (cell.colSpan || 1); span += 1) { labels.push(text); }
    });
    return labels;
  }

  function setRole(element, role) {
    if (!element.hasAttribute("role")) { element.setAttribute("role", role); }
  }

  function label(table) {
    var labels = columnLabels(table);
    if (!labels) { return; }
    setRole(table, "table");
    Array.prototype.forEach.call(table.querySelectorAll(":scope > thead, :scope > tbody, :scope > tfoot"), function (group) {
      setRole(group, "rowgroup");
    });
    Array.prototype.forEach.call(table.rows, function (row) {
      setRole(row, "row");
      var column = 0;
      Array.prototype.forEach.call(row.cells, function (cell) {
        var span = cell.colSpan || 1;
        if (cell.tagName === "TH") {
          setRole(cell, cell.getAttribute("scope") === "row" || row.parentNode !== table.tHead ? "rowheader" : "columnheader");
        } else {
          setRole(cell, "cell");
          // A cell across several columns (a note, a total) is its own label.
          cell.setAttribute("data-label", span === 1 ? (labels[column] || "") : "");
        }
        column += span;
      });
    });
    table.classList.add("stacks");
  }

  function labelAll() {
    Array.prototype.forEach.call(document.querySelectorAll("table"), label);
  }

  labelAll();
  document.addEventListener("htmx:load", labelAll);
})();
