/* Progressive enhancement only: every page works without this file. */
(function () {
  "use strict";

  // Text size (A- A A+): a step on the root element, remembered in this browser.
  var SIZES = [-1, 0, 1, 2, 3], root = document.documentElement;
  function stored() {
    try { return Number(localStorage.getItem("co-chu")) || 0; } catch (e) { return 0; }
  }
  function applySize(step) {
    step = Math.max(SIZES[0], Math.min(SIZES[SIZES.length - 1], step));
    if (step) { root.setAttribute("data-text-size", step); } else { root.removeAttribute("data-text-size"); }
    try { localStorage.setItem("co-chu", String(step)); } catch (e) { /* private mode: not kept */ }
    document.querySelectorAll("[data-text-size] button").forEach(function (button) {
      var change = Number(button.getAttribute("data-step"));
      button.disabled = change !== 0 && SIZES.indexOf(step + change) === -1;
    });
  }
  applySize(stored());
  document.querySelectorAll("[data-text-size]").forEach(function (group) {
    group.hidden = false;
    group.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-step]");
      if (!button) { return; }
      var change = Number(button.getAttribute("data-step"));
      applySize(change === 0 ? 0 : stored() + change);
    });
  });

  // The printed address is whole wherever the page is served from.
  document.querySelectorAll("[data-page-address]").forEach(function (address) {
    address.textContent = window.location.href.split("#")[0];
  });

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  // Sortable tables: the server renders them complete and in the editor's order;
  // here each column header becomes a button that re-sorts and sets aria-sort.
  function cellValue(row, index) {
    var cell = row.children[index];
    var raw = cell ? cell.getAttribute("data-value") : "";
    if (raw === null || raw === "") { return null; }
    var number = Number(raw);
    return isNaN(number) ? raw : number;
  }

  function compare(a, b) {
    if (a === null && b === null) { return 0; }
    if (a === null) { return 1; }
    if (b === null) { return -1; }
    if (typeof a === "number" && typeof b === "number") { return a - b; }
    return String(a).localeCompare(String(b), "vi");
  }

  function sortBy(table, th) {
    var descending = th.getAttribute("aria-sort") === "ascending";
    var index = Number(th.getAttribute("data-column"));  // the body cell it heads
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (r1, r2) {
      var a = cellValue(r1, index), b = cellValue(r2, index);
      if (a === null || b === null) { return compare(a, b); }
      return descending ? compare(b, a) : compare(a, b);
    });
    rows.forEach(function (row) { body.appendChild(row); });
    table.querySelectorAll("th[aria-sort]").forEach(function (other) {
      other.removeAttribute("aria-sort");
    });
    th.setAttribute("aria-sort", descending ? "descending" : "ascending");
  }

  // The services filter: the page lists every procedure; typing narrows the list.
  // Tone marks and đ are folded, so "dang ky" finds "Đăng ký".
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d")
      .replace(/Đ/g, "D").toLowerCase();
  }

  document.querySelectorAll("[data-service-filter]").forEach(function (box) {
    var input = box.querySelector("input");
    var status = box.querySelector("[role=status]");
    var items = Array.prototype.slice.call(document.querySelectorAll("li[data-search]"));
    items.forEach(function (item) { item.searchText = fold(item.getAttribute("data-search")); });
    box.hidden = false;
    input.addEventListener("input", function () {
      var words = fold(input.value).split(/\s+/).filter(Boolean);
      var shown = 0;
      items.forEach(function (item) {
        var match = words.every(function (word) { return item.searchText.indexOf(word) !== -1; });
        item.hidden = !match;
        if (match) { shown += 1; }
      });
      document.querySelectorAll(".service-field, .service-agency").forEach(function (group) {
        group.hidden = !group.querySelector("li[data-search]:not([hidden])");
      });
      status.textContent = words.length ? shown + " thủ tục phù hợp" : "";
    });
  });

  document.querySelectorAll("table[data-sortable]").forEach(function (table) {
    table.querySelectorAll("th[data-sort-key]").forEach(function (th) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      while (th.firstChild) { button.appendChild(th.firstChild); }
      th.appendChild(button);
      button.addEventListener("click", function () { sortBy(table, th); });
    });
  });
})();
