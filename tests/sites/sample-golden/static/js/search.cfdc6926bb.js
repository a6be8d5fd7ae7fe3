/* Search of /tim-kiem/: reads the sharded index written by search_index.py. No dependencies.
 * Matching is accent-, "đ"- and case-insensitive (folded like slugs.fold), NFC/NFD-insensitive;
 * the last word is a prefix while the visitor types; all words must match; "quoted phrases"
 * must be adjacent. Ranking: exact accented spellings, whole words, field (title > summary >
 * body), then recency (ids are newest first). */
(function () {
  "use strict";
  var form = document.getElementById("tim-kiem");
  if (!form || !window.fetch) return;
  var input = document.getElementById("tu-khoa");
  var statusBox = document.getElementById("trang-thai-tim-kiem");
  var list = document.getElementById("ket-qua");
  var moreButton = document.getElementById("xem-them");
  var siteBase = form.getAttribute("data-base");
  var indexBase = form.getAttribute("data-index");
  var PAGE = 10, COMPLETIONS = 6, PHRASE_BATCH = 10;
  var WEIGHT = { 1: 4, 2: 2, 4: 1 };   // field mask -> weight: title, summary, body
  var cache = new Map();
  var meta = null, latest = 0, current = null;

  function fold(text) {
    return text.normalize("NFC").replace(/đ/g, "d").replace(/Đ/g, "D")
      .normalize("NFD").replace(/\p{M}/gu, "").normalize("NFC").toLowerCase();
  }
  function tokens(text) {            // words with their offsets, as words() in search_index.py
    var out = [], re = /[\p{L}\p{N}\p{M}]+/gu, m;
    while ((m = re.exec(text))) out.push({ text: m[0], start: m.index, end: m.index + m[0].length });
    return out;
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
  function loadMeta() {
    return meta ? Promise.resolve(meta) : getJSON("meta.json").then(function (m) { meta = m; return m; });
  }

  /* "a b" "c d" e f -> words (each: raw, key, accented, prefix) and phrases (lists of keys). */
  function parse(query) {
    query = query.normalize("NFC").replace(/[“”„]/g, '"');
    var words = [], phrases = [], seen = {};
    var parts = query.split('"');
    parts.forEach(function (part, i) {
      var quoted = i % 2 === 1 && i < parts.length - 1;
      var found = tokens(part).map(function (t) {
        var raw = t.text.toLowerCase(), key = fold(raw);
        return { raw: raw, key: key, accented: raw !== key, prefix: false };
      });
      if (quoted && found.length > 1) phrases.push(found.map(function (w) { return w.key; }));
      found.forEach(function (w) {
        if (!seen[w.raw]) { seen[w.raw] = true; words.push(w); }
      });
    });
    // Prefix on the last word while it is still being typed: not after a space or a quote.
    var all = tokens(query);
    if (all.length && /[\p{L}\p{N}\p{M}]$/u.test(query)) {
      var lastRaw = all[all.length - 1].text.toLowerCase();
      words.forEach(function (w) { if (w.raw === lastRaw) w.prefix = true; });
    }
    return { words: words, phrases: phrases };
  }

  function vocabularyFor(key) {
    var hex = key.codePointAt(0).toString(16);
    if (meta.vocabulary.indexOf(hex) < 0) return Promise.resolve({});
    return getJSON("v/" + hex + ".json");
  }

  /* docId -> {mask, exact, whole} for one query word. */
  function postingsFor(word) {
    return vocabularyFor(word.key).then(function (vocabulary) {
      var terms = [];
      if (vocabulary[word.key]) terms.push(word.key);
      if (word.prefix) {
        var more = Object.keys(vocabulary).filter(function (t) {
          return t !== word.key && t.lastIndexOf(word.key, 0) === 0;
        }).sort(function (a, b) { return vocabulary[b][1] - vocabulary[a][1] || (a < b ? -1 : 1); });
        terms = terms.concat(more.slice(0, COMPLETIONS));
      }
      return Promise.all(terms.map(function (t) { return getJSON("s/" + vocabulary[t][0] + ".json"); }))
        .then(function (shards) {
          var docs = new Map();
          terms.forEach(function (term, n) {
            var spellings = shards[n][term] || {};
            Object.keys(spellings).forEach(function (spelling) {
              var id = 0;
              spellings[spelling].forEach(function (value) {
                id += Math.floor(value / 8);
                var hit = docs.get(id) || { mask: 0, exact: false, whole: false };
                hit.mask |= value % 8;
                hit.exact = hit.exact || spelling === word.raw;
                hit.whole = hit.whole || term === word.key;
                docs.set(id, hit);
              });
            });
          });
          return docs;
        });
    });
  }

  function bestWeight(mask) { return mask & 1 ? WEIGHT[1] : mask & 2 ? WEIGHT[2] : WEIGHT[4]; }

  /* Matching doc ids, best first. */
  function rank(words, perWord) {
    var order = perWord.map(function (d, i) { return i; })
      .sort(function (a, b) { return perWord[a].size - perWord[b].size; });
    var ranked = [];
    perWord[order[0]].forEach(function (_, id) {
      var exact = 0, whole = 0, field = 0;
      for (var i = 0; i < words.length; i++) {
        var hit = perWord[i].get(id);
        if (!hit) return;
        if (words[i].accented && hit.exact) exact++;
        if (hit.whole) whole++;
        field += bestWeight(hit.mask);
      }
      ranked.push({ id: id, key: [exact, whole, field] });
    });
    ranked.sort(function (a, b) {
      for (var k = 0; k < 3; k++) if (a.key[k] !== b.key[k]) return b.key[k] - a.key[k];
      return a.id - b.id;
    });
    return ranked.map(function (r) { return r.id; });
  }

  function hasPhrase(doc, phrase) {
    return [doc.t, doc.s, doc.b].some(function (text) {
      var keys = tokens(text).map(function (t) { return fold(t.text); });
      outer: for (var i = 0; i + phrase.length <= keys.length; i++) {
        for (var j = 0; j < phrase.length; j++) if (keys[i + j] !== phrase[j]) continue outer;
        return true;
      }
      return false;
    });
  }

  function matches(word, key) {
    return word.prefix ? key.lastIndexOf(word.key, 0) === 0 : key === word.key;
  }

  /* TEXT into PARENT, with the query's words wrapped in <mark>. */
  function highlight(parent, text, words) {
    var at = 0;
    tokens(text).forEach(function (t) {
      var key = fold(t.text);
      if (!words.some(function (w) { return matches(w, key); })) return;
      parent.appendChild(document.createTextNode(text.slice(at, t.start)));
      var mark = document.createElement("mark");
      mark.textContent = t.text;
      parent.appendChild(mark);
      at = t.end;
    });
    parent.appendChild(document.createTextNode(text.slice(at)));
  }

  function snippet(doc, words) {
    var sources = [doc.b, doc.s];
    for (var n = 0; n < sources.length; n++) {
      var text = sources[n] || "";
      var hit = tokens(text).find(function (t) {
        var key = fold(t.text);
        return words.some(function (w) { return matches(w, key); });
      });
      if (hit) {
        var start = Math.max(0, text.lastIndexOf(" ", Math.max(0, hit.start - 60)));
        var end = text.indexOf(" ", Math.min(text.length, hit.start + 180));
        if (end < 0) end = text.length;
        return (start > 0 ? "… " : "") + text.slice(start, end).trim() + (end < text.length ? " …" : "");
      }
    }
    var fallback = doc.s || doc.b || "";
    return fallback.length > 240 ? fallback.slice(0, fallback.lastIndexOf(" ", 240)) + " …" : fallback;
  }

  function renderResult(doc, words) {
    var li = document.createElement("li");
    li.className = "search-result";
    var heading = document.createElement("h2");
    var link = document.createElement("a");
    link.href = siteBase + doc.u;
    highlight(link, doc.t, words);
    heading.appendChild(link);
    var date = document.createElement("p");
    date.className = "meta";
    // A document other than an article (a page) says what it is: doc.k is its label.
    if (doc.k) {
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = doc.k;
      date.appendChild(kind);
    }
    if (doc.d) {
      var time = document.createElement("time");
      time.dateTime = doc.i;
      time.textContent = (doc.k ? " · Cập nhật " : "Ngày đăng ") + doc.d;
      date.appendChild(time);
    }
    var text = document.createElement("p");
    text.className = "snippet";
    highlight(text, snippet(doc, words), words);
    li.append(heading, date, text);
    return li;
  }

  function say(message) { statusBox.textContent = message; }

  /* The next PAGE results of the current search, phrases verified against the articles. */
  function showMore(state) {
    var shown = [];
    function step() {
      if (shown.length >= PAGE || state.next >= state.ids.length) return Promise.resolve();
      var start = state.next;
      var batch = state.ids.slice(start, start + (state.phrases.length ? PHRASE_BATCH : PAGE));
      return Promise.all(batch.map(function (id) { return getJSON("f/" + id + ".json"); }))
        .then(function (docs) {
          for (var k = 0; k < docs.length && shown.length < PAGE; k++) {
            state.next = start + k + 1;
            if (state.phrases.every(function (p) { return hasPhrase(docs[k], p); })) shown.push(docs[k]);
          }
          return step();
        });
    }
    return step().then(function () {
      if (state.serial !== latest) return;
      var arrived = performance.now();
      var first = list.children.length;
      shown.forEach(function (doc) { list.appendChild(renderResult(doc, state.words)); });
      state.count += shown.length;
      list.setAttribute("data-render-ms", (performance.now() - arrived + state.rankMs).toFixed(1));
      var more = state.next < state.ids.length;
      moreButton.hidden = !more;
      if (!state.count) {
        say("Không tìm thấy kết quả nào cho “" + state.query + "”. Hãy thử từ khóa khác, bớt từ, hoặc bỏ dấu ngoặc kép.");
      } else if (state.phrases.length) {
        say((more ? "Đang hiện " + state.count + " kết quả đầu" : "Tìm thấy " + state.count + " kết quả") + " cho “" + state.query + "”.");
      } else {
        say("Tìm thấy " + state.ids.length + " kết quả cho “" + state.query + "”" + (more ? ", đang hiện " + state.count + "." : "."));
      }
      if (first > 0 && list.children[first]) list.children[first].querySelector("a").focus();
    });
  }

  function search(query) {
    var serial = ++latest;
    var parsed = parse(query);
    if (!parsed.words.length) {
      list.textContent = "";
      moreButton.hidden = true;
      say(query.trim() ? "Hãy gõ chữ hoặc số để tìm." : "");
      return Promise.resolve();
    }
    return loadMeta().then(function () {
      return Promise.all(parsed.words.map(postingsFor));
    }).then(function (perWord) {
      if (serial !== latest) return;
      var started = performance.now();
      var ids = rank(parsed.words, perWord);
      current = { serial: serial, query: query.trim(), words: parsed.words, phrases: parsed.phrases,
                  ids: ids, next: 0, count: 0, rankMs: performance.now() - started };
      list.textContent = "";
      return showMore(current);
    }).catch(function () {
      if (serial === latest) say("Không tải được dữ liệu tìm kiếm. Hãy kiểm tra kết nối mạng và thử lại.");
    });
  }

  var timer = 0;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { search(input.value); }, 120);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    var url = new URL(window.location.href);
    url.searchParams.set("q", input.value);
    history.replaceState(null, "", url);
    search(input.value);
  });
  moreButton.addEventListener("click", function () { if (current) showMore(current); });

  // Arrow keys move between the box and the result links; Escape clears the box.
  function links() { return Array.prototype.slice.call(list.querySelectorAll("h2 a")); }
  form.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" && links().length) { event.preventDefault(); links()[0].focus(); }
    if (event.key === "Escape" && event.target === input) { input.value = ""; search(""); }
  });
  list.addEventListener("keydown", function (event) {
    var all = links(), at = all.indexOf(document.activeElement);
    if (at < 0) return;
    if (event.key === "ArrowDown" && at + 1 < all.length) { event.preventDefault(); all[at + 1].focus(); }
    if (event.key === "ArrowUp") { event.preventDefault(); (at > 0 ? all[at - 1] : input).focus(); }
  });

  // Keep the search page and what it fetches for offline use: the worker (tim-kiem/sw.js,
  // scope: this page) keeps what comes later; this page and its files were fetched before the
  // worker ran, so they go into the worker's cache ("tim-kiem-1") from here.
  var worker = form.getAttribute("data-worker");
  if (worker && "serviceWorker" in navigator && window.caches) {
    navigator.serviceWorker.register(worker).then(function () {
      var own = [window.location.pathname].concat(
        Array.prototype.map.call(document.querySelectorAll("link[rel=stylesheet], script[src]"),
                                 function (el) { return el.href || el.src; }));
      return caches.open("tim-kiem-1").then(function (cache) { return cache.addAll(own); });
    }).catch(function () {});
  }

  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) { input.value = initial; search(initial); }
  form.setAttribute("data-ready", "");
})();
