/* Filters and search of the register, /van-ban/: reads the static index written by
 * pages/register_index.py (van-ban/chi-muc/). No dependencies, no server.
 * Filters by type, year, issuing body and status; the search box matches words of the number,
 * type, body, signer and summary, accent-, "đ"- and case-insensitive (folded as the site
 * search folds), all words must match, the last one as a prefix while it is being typed. A
 * document whose number is what was typed, however it was typed ("12/KH-UBND", "12 kh ubnd",
 * "12-kh-ubnd"), comes first; then newest first (ids are the register's order).
 * The filters and the query live in the URL: a filter pushes a history entry, typing replaces
 * it, and the back button or a reload shows the same results. */
(function () {
  "use strict";
  var form = document.getElementById("loc-van-ban");
  if (!form || !window.fetch || !window.URLSearchParams || !history.pushState) return;
  var indexBase = form.getAttribute("data-index");
  var siteBase = form.getAttribute("data-base");
  var input = document.getElementById("tim-van-ban");
  var statusBox = document.getElementById("trang-thai-van-ban");
  var list = document.getElementById("ket-qua-van-ban");
  var moreButton = document.getElementById("xem-them-van-ban");
  // What the server wrote (the first page of the register and its pagination): shown while
  // no filter or query is chosen, hidden while results are.
  var served = document.querySelectorAll("#danh-sach-van-ban");
  var PAGE = 20;
  // URL parameter -> its select, and the meta.json facet and column it filters on.
  var FILTERS = [
    { param: "loai", select: "loc-loai", facet: "types", column: "t" },
    { param: "nam", select: "loc-nam", facet: "years", column: "y" },
    { param: "co-quan", select: "loc-co-quan", facet: "issuers", column: "c" },
    { param: "tinh-trang", select: "loc-tinh-trang", facet: "statuses", column: "s" }
  ];
  var cache = new Map();
  var meta = null, columns = {}, latest = 0, current = null, typing = 0;

  function fold(text) {
    return text.normalize("NFC").replace(/đ/g, "d").replace(/Đ/g, "D")
      .normalize("NFD").replace(/\p{M}/gu, "").normalize("NFC").toLowerCase();
  }
  function words(text) {             // as words() in search/words.py
    return text.normalize("NFC").match(/[\p{L}\p{N}\p{M}]+/gu) || [];
  }
  /* A number as content.number_key() makes it: "12/KH-UBND" -> "12-kh-ubnd". */
  function numberKey(text) {
    return fold(text).normalize("NFKD")
      .replace(/[\p{L}\p{N}]/gu, function (c) { return c.charCodeAt(0) < 128 ? c : ""; })
      .toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  }
  function hex(text) {
    return Array.from(text).map(function (c) { return c.codePointAt(0).toString(16); }).join("-");
  }

  function getJSON(path) {
    var url = indexBase + path + (meta ? "?v=" + meta.version : "");
    if (!cache.has(url)) {
      cache.set(url, fetch(url).then(function (r) {
        if (!r.ok) throw new Error(r.status + " " + url);
        return r.json();
      }).catch(function (e) { cache.delete(url); throw e; }));
    }
    return cache.get(url);
  }

  /* meta.json, its columns decoded (one integer per document each), the selects filled. */
  function loadMeta() {
    if (meta) return Promise.resolve(meta);
    return getJSON("meta.json").then(function (m) {
      Object.keys(m.columns).forEach(function (name) {
        var text = m.columns[name], width = m.widths[name], values = new Array(m.count);
        for (var id = 0; id < m.count; id++) {
          var value = 0;
          for (var k = 0; k < width; k++) value = value * 62 + digit(text.charCodeAt(id * width + k));
          values[id] = value;
        }
        columns[name] = values;
      });
      meta = m;
      fillSelects();
      return m;
    });
  }
  function digit(code) {             // 0-9 a-z A-Z, as DIGITS in register_index.py
    return code < 58 ? code - 48 : code < 91 ? code - 65 + 36 : code - 97 + 10;
  }
  /* A facet's values as (URL value, label). */
  function facetValues(filter) {
    return meta[filter.facet].map(function (value) {
      return Array.isArray(value) ? { key: value[0], name: value[1] } : { key: String(value), name: String(value) };
    });
  }
  /* Each select: the facet's values some document has (every status is listed in meta). */
  function fillSelects() {
    FILTERS.forEach(function (filter) {
      var select = document.getElementById(filter.select), held = {};
      columns[filter.column].forEach(function (n) { held[n] = true; });
      facetValues(filter).forEach(function (value, n) {
        if (!held[n]) return;
        var option = document.createElement("option");
        option.value = value.key;
        option.textContent = value.name;
        select.appendChild(option);
      });
    });
  }

  /* The state of the page: each filter's facet index (or -1) and the query. */
  function stateFromURL() {
    var params = new URLSearchParams(window.location.search), state = { q: params.get("q") || "" };
    FILTERS.forEach(function (filter) {
      var wanted = params.get(filter.param), found = -1;
      if (wanted !== null) facetValues(filter).forEach(function (v, n) { if (v.key === wanted) found = n; });
      state[filter.param] = found;
    });
    return state;
  }
  function stateFromForm() {
    var state = { q: input.value };
    FILTERS.forEach(function (filter) {
      var wanted = document.getElementById(filter.select).value, found = -1;
      facetValues(filter).forEach(function (v, n) { if (v.key === wanted) found = n; });
      state[filter.param] = found;
    });
    return state;
  }
  function showInForm(state) {
    FILTERS.forEach(function (filter) {
      var n = state[filter.param];
      document.getElementById(filter.select).value = n < 0 ? "" : facetValues(filter)[n].key;
    });
    input.value = state.q;
  }
  function urlOf(state) {
    var url = new URL(window.location.href), params = new URLSearchParams();
    FILTERS.forEach(function (filter) {
      var n = state[filter.param];
      if (n >= 0) params.set(filter.param, facetValues(filter)[n].key);
    });
    if (state.q.trim()) params.set("q", state.q);
    url.search = params.toString();
    return url.toString();
  }
  function chosen(state) {
    return !!state.q.trim() || FILTERS.some(function (filter) { return state[filter.param] >= 0; });
  }

  /* The query's words (the last one a prefix while it is typed) and its number key. */
  function parse(query) {
    var found = words(query), keys = [], seen = {};
    found.forEach(function (word, n) {
      var key = fold(word);
      var prefix = n === found.length - 1 && /[\p{L}\p{N}\p{M}]$/u.test(query);
      if (seen[key] !== undefined) { if (!prefix) keys[seen[key]].prefix = false; return; }
      seen[key] = keys.length;
      keys.push({ key: key, prefix: prefix });
    });
    return { words: keys, number: numberKey(query) };
  }

  /* The shard files that hold KEY (or, for a prefix, every term starting with it). */
  function shardsFor(key, prefix) {
    var chars = Array.from(key), one = hex(chars[0]), files = [];
    if (chars.length > 1 && meta.shards.indexOf(hex(chars.slice(0, 2).join(""))) >= 0) {
      files.push(hex(chars.slice(0, 2).join("")));
    } else if (meta.shards.indexOf(one) >= 0) {
      files.push(one);
    }
    if (prefix && chars.length === 1) {  // split by two characters: every shard of this one
      meta.shards.forEach(function (name) { if (name.lastIndexOf(one + "-", 0) === 0) files.push(name); });
    }
    return Promise.all(files.map(function (name) { return getJSON("t/" + name + ".json"); }));
  }
  function decode(gaps, into) {
    var id = 0;
    for (var k = 0; k < gaps.length; k++) { id += gaps[k]; into.add(id); }
  }
  /* The ids holding one word of the query. */
  function idsOfWord(word) {
    return shardsFor(word.key, word.prefix).then(function (shards) {
      var ids = new Set();
      shards.forEach(function (shard) {
        if (!word.prefix) { if (shard.w[word.key]) decode(shard.w[word.key], ids); return; }
        Object.keys(shard.w).forEach(function (term) {
          if (term.lastIndexOf(word.key, 0) === 0) decode(shard.w[term], ids);
        });
      });
      return ids;
    });
  }
  function idsOfNumber(key) {
    if (!key) return Promise.resolve(new Set());
    return shardsFor(key, false).then(function (shards) {
      var ids = new Set();
      shards.forEach(function (shard) { if (shard.n[key]) decode(shard.n[key], ids); });
      return ids;
    });
  }

  /* The ids of STATE's results in order: exact numbers first, then newest first. */
  function results(state) {
    var wanted = FILTERS.filter(function (filter) { return state[filter.param] >= 0; });
    function passes(id) {
      return wanted.every(function (filter) { return columns[filter.column][id] === state[filter.param]; });
    }
    var parsed = parse(state.q);
    if (!parsed.words.length) {
      var all = [];
      for (var id = 0; id < meta.count; id++) if (passes(id)) all.push(id);
      return Promise.resolve(all);
    }
    return Promise.all([idsOfNumber(parsed.number)].concat(parsed.words.map(idsOfWord)))
      .then(function (sets) {
        var exact = sets[0], perWord = sets.slice(1).sort(function (a, b) { return a.size - b.size; });
        var found = [];
        perWord[0].forEach(function (id) {
          if (!exact.has(id) && passes(id) && perWord.every(function (s) { return s.has(id); })) found.push(id);
        });
        var first = Array.from(exact).filter(passes);
        var ascending = function (a, b) { return a - b; };
        return first.sort(ascending).concat(found.sort(ascending));
      });
  }

  function say(message) { statusBox.textContent = message; }
  function count(n) { return n.toLocaleString("vi-VN") + " văn bản"; }

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined) el.textContent = text;
    return el;
  }
  /* One result, as partials/document_row.html writes a document of the served list. */
  var STATUS_CLASS = { "con-hieu-luc": "status-in-force", "chua-hieu-luc": "status-pending",
                       "het-hieu-luc": "status-expired", "bi-thay-the": "status-replaced" };
  function statusOf(id, row) {
    var status = meta.statuses[columns.s[id]][0];
    var span = element("span", "status " + STATUS_CLASS[status]);
    if (status === "bi-thay-the" && row.r) {
      var by = element("a", "", row.r[0]);
      by.href = siteBase + row.r[1];
      span.append("Bị thay thế bởi ", by);
    } else if (status === "het-hieu-luc") {
      span.textContent = "Hết hiệu lực" + (row.e ? " từ " + row.e : "");
    } else if (status === "chua-hieu-luc") {
      span.textContent = "Chưa có hiệu lực" + (row.e ? " (từ " + row.e + ")" : "");
    } else {
      span.textContent = meta.statuses[columns.s[id]][1];
    }
    return span;
  }
  function renderResult(id, row) {
    var li = element("li", "document-row");
    var number = element("p", "document-number"), link = element("a", "", row.n);
    link.href = siteBase + row.u;
    number.appendChild(link);
    var line = element("p", "document-meta");
    var time = element("time", "", row.d);
    time.dateTime = row.d.split("/").reverse().join("-");
    line.append(meta.types[columns.t[id]][1] + " · Ban hành ", time, " · ", statusOf(id, row));
    li.append(number, line, element("p", "document-summary", row.s));
    if (row.f.length) {
      var files = element("ul", "document-files");
      row.f.forEach(function (file) {
        var item = element("li"), download = element("a");
        download.href = siteBase + row.u + file[0];
        download.append("Tải về", element("span", "visually-hidden", " " + row.n +
                        (row.f.length > 1 ? ", " + file[1] : "")), " (" + file[2] + ", " + file[3] + ")");
        item.appendChild(download);
        files.appendChild(item);
      });
      li.appendChild(files);
    }
    return li;
  }

  /* The next PAGE results of the current state, their rows fetched (ROWS to a file). */
  function showMore(run) {
    var ids = run.ids.slice(run.shown, run.shown + PAGE);
    var chunks = {};
    ids.forEach(function (id) { chunks[Math.floor(id / meta.rows)] = true; });
    return Promise.all(Object.keys(chunks).map(function (n) {
      return getJSON("r/" + n + ".json").then(function (rows) { chunks[n] = rows; });
    })).then(function () {
      if (run.serial !== latest) return;
      var first = list.children.length;
      ids.forEach(function (id) {
        list.appendChild(renderResult(id, chunks[Math.floor(id / meta.rows)][id % meta.rows]));
      });
      run.shown += ids.length;
      var more = run.shown < run.ids.length;
      moreButton.hidden = !more;
      if (!run.ids.length) {
        say("Không có văn bản nào phù hợp. Hãy bỏ bớt bộ lọc hoặc thử từ khóa khác.");
      } else {
        say(count(run.ids.length) + (more ? ", đang hiện " + run.shown + "." : "."));
      }
      if (first > 0 && list.children[first]) list.children[first].querySelector("a").focus();
    });
  }

  function show(state) {
    var serial = ++latest;
    var active = chosen(state);
    Array.prototype.forEach.call(served, function (el) { el.hidden = active; });
    list.hidden = !active;
    if (!active) {
      list.textContent = "";
      moreButton.hidden = true;
      say("");
      form.setAttribute("data-shown", "");
      return Promise.resolve();
    }
    form.removeAttribute("data-shown");
    return results(state).then(function (ids) {
      if (serial !== latest) return;
      current = { serial: serial, ids: ids, shown: 0 };
      list.textContent = "";
      return showMore(current);
    }).then(function () {
      if (serial === latest) form.setAttribute("data-shown", "");
    }).catch(function () {
      if (serial === latest) say("Không tải được dữ liệu văn bản. Hãy kiểm tra kết nối mạng và thử lại.");
    });
  }

  /* A filter chosen: a new history entry. Typing: the same entry, updated. */
  function changed(push) {
    var state = stateFromForm(), url = urlOf(state);
    if (url !== window.location.href) {
      if (push) history.pushState(null, "", url); else history.replaceState(null, "", url);
    }
    return show(state);
  }

  form.hidden = false;
  loadMeta().then(function () {
    FILTERS.forEach(function (filter) {
      document.getElementById(filter.select).addEventListener("change", function () {
        clearTimeout(typing);
        changed(true);
      });
    });
    input.addEventListener("input", function () {
      clearTimeout(typing);
      typing = setTimeout(function () { changed(false); }, 150);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearTimeout(typing);
      changed(false);
    });
    form.addEventListener("reset", function (event) {
      event.preventDefault();
      clearTimeout(typing);
      showInForm({ q: "", loai: -1, nam: -1, "co-quan": -1, "tinh-trang": -1 });
      changed(true);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && input.value) { input.value = ""; clearTimeout(typing); changed(false); }
    });
    moreButton.addEventListener("click", function () { if (current) showMore(current); });
    window.addEventListener("popstate", function () {
      clearTimeout(typing);
      var state = stateFromURL();
      showInForm(state);
      show(state);
    });
    var state = stateFromURL();
    showInForm(state);
    return show(state);
  }).catch(function () {
    say("Không tải được dữ liệu văn bản. Hãy kiểm tra kết nối mạng và thử lại.");
  }).then(function () {
    form.setAttribute("data-ready", "");
  });
})();
