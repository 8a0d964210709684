/* Search over the portal's own index (plugins/search_index). Readers often type without
   tone marks or with "d" for "đ": words are folded the way the index folded them, so
   "dang uy" finds "Đảng ủy", and pages with the words exactly as typed rank first. A query
   of two words or more looks up its pairs of neighbouring words, each in one small file
   named by a hash; the pages a result shows come in files of a few pages each. */
(function () {
  "use strict";
  var form = document.querySelector("[data-search-form]");
  if (!form) { return; }
  var input = form.querySelector("input[name=q]");
  var status = document.querySelector("[data-search-status]");
  var list = document.querySelector("[data-search-results]");
  var more = document.querySelector("[data-search-more]");
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-filter]"));
  var base = form.getAttribute("data-index-path");
  var PAGE = 10, MAX_WORDS = 8;
  var decoder = new TextDecoder(), encoder = new TextEncoder();
  var manifest = null, files = {};
  var latest = 0, timer = null, found = [], shown = 0, shownQuery = "";

  function load(path, kind) {
    if (!files[path]) {
      files[path] = fetch(base + path).then(function (response) {
        if (!response.ok) { throw new Error(path + ": " + response.status); }
        return kind === "json" ? response.json() : response.arrayBuffer().then(function (b) { return new Uint8Array(b); });
      });
      files[path].catch(function () { delete files[path]; });
    }
    return files[path];
  }

  function index() {
    if (!manifest) {
      manifest = load("index.json", "json");
      manifest.catch(function () { manifest = null; });
    }
    return manifest;
  }

  function versioned(info, path, kind) { return load(info.path + path, kind); }

  // The rules of plugins/search_index/folding.py.
  function fold(text) {
    return text.toLowerCase().replace(/[\u00c0-\u1fff]/g, function (c) {
      return c === "đ" ? "d" : c.normalize("NFD").replace(/[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff]/g, "") || c;
    });
  }

  function words(text) { return text.normalize("NFC").toLowerCase().match(/[\p{L}\p{N}]+/gu) || []; }

  function shardOf(key, count) {
    var hash = 0x811c9dc5, bytes = encoder.encode(key);
    for (var i = 0; i < bytes.length; i++) { hash = Math.imul(hash ^ bytes[i], 0x01000193) >>> 0; }
    return hash % count;
  }

  // plugins/search_index/postings.py: varints, and page numbers as gaps.
  function reader(bytes) {
    var at = 0;
    var r = {
      int: function () {
        var value = 0, scale = 1, byte;
        do { byte = bytes[at++]; value += (byte & 127) * scale; scale *= 128; } while (byte >= 128);
        return value;
      },
      text: function () { var n = r.int(); at += n; return decoder.decode(bytes.subarray(at - n, at)); },
      posting: function (skip) {
        var n = r.int(), out = skip ? null : new Array(n), last = -1;
        for (var i = 0; i < n; i++) { last += r.int() + 1; if (out) { out[i] = last; } }
        return out;
      }
    };
    return r;
  }

  // Each wanted key's forms: [{exact, title: [pages], other: [pages]}], [] when absent.
  function lookup(info, keys) {
    var byShard = {};
    keys.forEach(function (key) {
      var shard = shardOf(key, info.shards);
      (byShard[shard] = byShard[shard] || []).push(key);
    });
    var result = {};
    return Promise.all(Object.keys(byShard).map(function (shard) {
      return versioned(info, "k/" + shard + ".bin").then(function (bytes) {
        var wanted = byShard[shard], r = reader(bytes), count = r.int();
        for (var i = 0; i < count; i++) {
          var key = r.text(), forms = r.int(), skip = wanted.indexOf(key) === -1;
          var entry = [];
          for (var j = 0; j < forms; j++) {
            entry.push({ exact: r.text(), title: r.posting(skip), other: r.posting(skip) });
          }
          if (!skip) { result[key] = entry; }
        }
      });
    })).then(function () {
      return keys.map(function (key) { return result[key] || []; });
    });
  }

  // A form has the marks the reader typed: each syllable as typed, or typed without marks.
  function agrees(typed, form) {
    var forms = form.split(" ");
    return typed.split(" ").every(function (syllable, i) { return syllable === forms[i] || syllable === fold(syllable); });
  }

  // Pages with every key, scored: a form with the marks as typed counts 2, the title 1.
  function match(entries, exacts) {
    var scores = null;
    entries.forEach(function (forms, i) {
      var here = new Map();
      forms.forEach(function (form) {
        var bonus = agrees(exacts[i], form.exact) ? 2 : 0;
        [[form.title, bonus + 1], [form.other, bonus]].forEach(function (pair) {
          pair[0].forEach(function (page) { if (!(here.get(page) >= pair[1])) { here.set(page, pair[1]); } });
        });
      });
      if (scores === null) { scores = here; return; }
      var both = new Map();
      scores.forEach(function (score, page) { if (here.has(page)) { both.set(page, score + here.get(page)); } });
      scores = both;
    });
    return scores || new Map();
  }

  function pairs(list) {
    var out = [];
    for (var i = 0; i + 1 < list.length; i++) { out.push(list[i] + " " + list[i + 1]); }
    return out;
  }

  // Pairs of neighbouring words first (a phrase); when no page has them all, the words.
  function pagesFor(info, query) {
    var exact = words(query).slice(0, MAX_WORDS), folded = exact.map(fold);
    var tries = folded.length > 1 ? [[pairs(folded), pairs(exact)], [folded, exact]] : [[folded, exact]];
    function attempt(i) {
      return lookup(info, tries[i][0]).then(function (entries) {
        var scores = match(entries, tries[i][1]);
        return scores.size || i + 1 === tries.length ? scores : attempt(i + 1);
      });
    }
    return attempt(0);
  }

  function filterPages(info, filters) {
    return Promise.all(Object.keys(filters).map(function (name) {
      var values = (info.filters[name] || []).map(function (v) { return v[0]; });
      var at = values.indexOf(filters[name]);
      if (at === -1) { return new Set(); }
      return versioned(info, "f/" + name + "/" + at + ".bin").then(function (bytes) { return new Set(reader(bytes).posting()); });
    }));
  }

  function search(query, filters) {
    return index().then(function (info) {
      return Promise.all([query ? pagesFor(info, query) : null, filterPages(info, filters)]).then(function (both) {
        var scores = both[0], sets = both[1], pages;
        if (scores) {
          pages = Array.from(scores.keys()).sort(function (a, b) { return scores.get(b) - scores.get(a) || a - b; });
        } else {
          pages = Array.from(sets.shift()).sort(function (a, b) { return a - b; });
        }
        return pages.filter(function (page) { return sets.every(function (set) { return set.has(page); }); });
      });
    });
  }

  function rows(pages) {
    return index().then(function (info) {
      return Promise.all(pages.map(function (page) {
        return versioned(info, "p/" + Math.floor(page / info.group) + ".json", "json").then(function (group) { return group[page % info.group]; });
      }));
    });
  }

  // Text with the reader's words marked, built as nodes: nothing from the index is parsed as HTML.
  function marked(text, wanted) {
    var out = document.createDocumentFragment(), last = 0, word;
    var pattern = /[\p{L}\p{N}]+/gu;
    text = text.normalize("NFC");
    while ((word = pattern.exec(text))) {
      if (wanted.indexOf(fold(word[0])) === -1) { continue; }
      out.appendChild(document.createTextNode(text.slice(last, word.index)));
      var mark = document.createElement("mark");
      mark.textContent = word[0];
      out.appendChild(mark);
      last = word.index + word[0].length;
    }
    out.appendChild(document.createTextNode(text.slice(last)));
    return out;
  }

  // Returns the first new link, for the keyboard's focus after "Xem thêm".
  function append(query, data) {
    var wanted = words(query).map(fold), first = null;
    data.forEach(function (row) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = row[0];
      link.appendChild(marked(row[1], wanted));
      var heading = document.createElement("h2");
      heading.appendChild(link);
      item.appendChild(heading);
      if (row[2]) {
        var date = document.createElement("p");
        date.className = "search-date";
        date.textContent = row[2];
        item.appendChild(date);
      }
      var lead = document.createElement("p");
      lead.className = "search-excerpt";
      lead.appendChild(marked(row[3], wanted));
      item.appendChild(lead);
      list.appendChild(item);
      first = first || link;
    });
    return first;
  }

  function say(query, count) {
    var named = query ? " cho “" + query + "”" : "";
    status.textContent = count
      ? count.toLocaleString("vi-VN") + " kết quả" + named
      : "Không tìm thấy kết quả" + named + ". Thử từ khóa khác hoặc bỏ bớt bộ lọc.";
  }

  function showMore(ticket) {
    var next = found.slice(shown, shown + PAGE);
    return rows(next).then(function (data) {
      if (ticket !== latest) { return; }
      var first = append(shownQuery, data);
      shown += next.length;
      more.hidden = shown >= found.length;
      if (first) { first.focus(); }
    });
  }

  function chosenFilters() {
    var filters = {};
    selects.forEach(function (select) { if (select.value) { filters[select.dataset.filter] = select.value; } });
    return filters;
  }

  function run() {
    var query = input.value.normalize("NFC").trim();
    var filters = chosenFilters();
    var ticket = ++latest;
    more.hidden = true;
    if (!query && !Object.keys(filters).length) {
      list.textContent = "";
      status.textContent = "";
      return;
    }
    status.textContent = "Đang tìm…";
    search(query, filters).then(function (pages) {
      if (ticket !== latest) { return; }
      found = pages;
      shown = 0;
      shownQuery = query;
      return rows(found.slice(0, PAGE)).then(function (data) {
        if (ticket !== latest) { return; }
        list.textContent = "";
        append(query, data);
        shown = data.length;
        more.hidden = shown >= found.length;
        say(query, found.length);
      });
    }).catch(function () {
      if (ticket === latest) { status.textContent = "Chưa tải được bộ tìm kiếm; mời thử lại sau ít phút."; }
    });
  }

  // The filters' values come with the index; the lists fill when a reader reaches for them.
  function fillFilters() {
    index().then(function (info) {
      selects.forEach(function (select) {
        var values = (info.filters[select.dataset.filter] || []).map(function (v) { return v[0]; });
        values.sort(function (a, b) { return select.dataset.filter === "nam" ? b - a : a.localeCompare(b, "vi"); });
        values.forEach(function (value) {
          if (select.querySelector('option[value="' + CSS.escape(value) + '"]')) { return; }
          var option = document.createElement("option");
          option.value = option.textContent = value;
          select.appendChild(option);
        });
      });
    }).catch(function () { /* the search itself says the index is missing */ });
  }

  function remember() {
    var params = new URLSearchParams();
    if (input.value.trim()) { params.set("q", input.value.trim()); }
    selects.forEach(function (select) { if (select.value) { params.set(select.name, select.value); } });
    history.replaceState(null, "", "?" + params.toString());
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); clearTimeout(timer); remember(); run(); });
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(function () { remember(); run(); }, 250); });
  more.addEventListener("click", function () { showMore(latest); });
  selects.forEach(function (select) {
    select.addEventListener("change", function () { remember(); run(); });
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
