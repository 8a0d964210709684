/* Search with Pagefind. Readers often type without tone marks or with "d" for "đ":
   Pagefind already ignores tone marks, and each word starting with "d" is also tried
   with "đ", so "dang uy" finds "Đảng ủy". Results of the query as typed come first. */
(function () {
  "use strict";
  var form = document.querySelector("[data-search-form]");
  if (!form) { return; }
  var input = form.querySelector("input[name=q]");
  var status = document.querySelector("[data-search-status]");
  var list = document.querySelector("[data-search-results]");
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-filter]"));
  var loading = null;
  var latest = 0;
  var timer = null;

  function pagefind() {
    if (!loading) {
      loading = import(form.getAttribute("data-pagefind-path") + "pagefind.js")
        .then(function (pf) { return pf.options({ excerptLength: 26 }).then(function () { return pf; }); });
    }
    return loading;
  }

  // The query as typed first, then each word starting with d/D tried with đ/Đ (8 at most).
  function variants(query) {
    var words = query.normalize("NFC").trim().split(/\s+/).filter(Boolean);
    var out = [[]];
    words.forEach(function (word) {
      var alternatives = /^[dD]/.test(word) ? [word, (word[0] === "D" ? "Đ" : "đ") + word.slice(1)] : [word];
      var next = [];
      out.forEach(function (prefix) {
        alternatives.forEach(function (alt) { next.push(prefix.concat(alt)); });
      });
      out = next.slice(0, 8);
    });
    return out.map(function (w) { return w.join(" "); });
  }

  function chosenFilters() {
    var filters = {};
    selects.forEach(function (select) { if (select.value) { filters[select.dataset.filter] = select.value; } });
    return filters;
  }

  // The filter lists cost a download of their own, so they load when a reader reaches for
  // them (or when the address already names a filter), not with every search page.
  var filling = null;
  function fillFilters() {
    if (!filling) { filling = pagefind().then(loadFilters); }
    return filling;
  }

  function loadFilters(pf) {
    return pf.filters().then(function (available) {
      selects.forEach(function (select) {
        var values = Object.keys(available[select.dataset.filter] || {});
        values.sort(function (a, b) { return select.dataset.filter === "nam" ? b - a : a.localeCompare(b, "vi"); });
        values.forEach(function (value) {
          if (select.querySelector('option[value="' + CSS.escape(value) + '"]')) { return; }
          var option = document.createElement("option");
          option.value = value;
          option.textContent = value;
          select.appendChild(option);
        });
      });
    });
  }

  function show(query, found, shown) {
    list.textContent = "";
    shown.forEach(function (data) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = data.url;
      link.textContent = data.meta.title || data.url;
      var heading = document.createElement("h2");
      heading.appendChild(link);
      item.appendChild(heading);
      if (data.meta.date) {
        var date = document.createElement("p");
        date.className = "search-date";
        date.textContent = data.meta.date;
        item.appendChild(date);
      }
      var excerpt = document.createElement("p");
      excerpt.className = "search-excerpt";
      excerpt.innerHTML = data.excerpt;  // Pagefind's escaped text with <mark> around matches
      item.appendChild(excerpt);
      list.appendChild(item);
    });
    status.textContent = found
      ? found + " kết quả" + (query ? " cho “" + query + "”" : "")
      : "Không tìm thấy kết quả" + (query ? " cho “" + query + "”" : "") + ". Thử từ khóa khác hoặc bỏ bớt bộ lọc.";
  }

  function run() {
    var query = input.value.normalize("NFC").trim();
    var filters = chosenFilters();
    var ticket = ++latest;
    if (!query && !Object.keys(filters).length) {
      list.textContent = "";
      status.textContent = "";
      return;
    }
    status.textContent = "Đang tìm…";
    pagefind().then(function (pf) {
      var queries = query ? variants(query) : [null];
      return Promise.all(queries.map(function (q) { return pf.search(q, { filters: filters }); }));
    }).then(function (searches) {
      var seen = {};
      var results = [];
      searches.forEach(function (search) {
        search.results.forEach(function (result) {
          if (!seen[result.id]) { seen[result.id] = true; results.push(result); }
        });
      });
      return Promise.all(results.slice(0, 10).map(function (r) { return r.data(); }))
        .then(function (shown) { if (ticket === latest) { show(query, results.length, shown); } });
    }).catch(function () {
      status.textContent = "Chưa tải được bộ tìm kiếm; mời thử lại sau ít phút.";
    });
  }

  function remember() {
    var params = new URLSearchParams();
    if (input.value.trim()) { params.set("q", input.value.trim()); }
    selects.forEach(function (select) { if (select.value) { params.set(select.name, select.value); } });
    history.replaceState(null, "", "?" + params.toString());
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); remember(); run(); });
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(function () { remember(); run(); }, 250); });
  selects.forEach(function (select) { select.addEventListener("change", function () { remember(); run(); }); });
  selects.forEach(function (select) {
    select.addEventListener("focus", fillFilters);
    select.addEventListener("pointerdown", fillFilters);
  });
  form.querySelector("[data-search-filters]").hidden = false;
  var params = new URLSearchParams(location.search);
  input.value = (params.get("q") || "").normalize("NFC");
  var named = false;
  selects.forEach(function (select) {  // a filter named in the address applies at once
    var wanted = params.get(select.name);
    if (!wanted) { return; }
    var option = document.createElement("option");
    option.value = option.textContent = wanted;
    option.selected = true;
    select.appendChild(option);
    named = true;
  });
  if (input.value || named) { run(); }
})();
