/* Qingdan search: Pagefind's chunked index (site/pagefind/) drawn into Material's search box.
 *
 * Nothing is fetched on page load: Pagefind's script, its WebAssembly and index metadata load
 * when the reader opens the search, and each query fetches only the index chunks of its words
 * and the fragments of the records it shows.  A record is a page or a group of register rows
 * (generator/search.py: one record per row would make Pagefind's metadata grow with the rows);
 * a group's matches are split back into its rows here, so a result is a row.  Pagefind orders
 * the records by its score; the rows are then put in the order a reader expects (whole query
 * as a phrase, then rows holding every word, then the rest; shorter rows holding the words
 * first).  Every string of a result is register data: it is set as text, never as HTML.
 */
(function () {
  "use strict";
  var dialog = document.querySelector("[data-qd-search]");
  var toggle = document.getElementById("__search");
  if (!dialog || !toggle) return;
  var input = dialog.querySelector("[data-qd-search-query]");
  var meta = dialog.querySelector(".md-search-result__meta");
  var list = dialog.querySelector(".md-search-result__list");
  var config = JSON.parse(document.getElementById("__config").textContent);
  var t = config.translations;
  var root = new URL(config.base.replace(/\/?$/, "/"), window.location.href);
  // Pagefind's ranking: a short row holding the words beats a long page mentioning them
  // (pageLength), a word typed whole beats a longer word it begins (termSimilarity).
  var RANKING = {pageLength: 0.75, termFrequency: 1.0, termSaturation: 1.4, termSimilarity: 2.0};
  var FEW = 5;           // fewer rows holding every word: look the words up one by one too
  var LOADED = 8;        // records whose fragments are fetched (a group holds up to 32 rows)
  var SHOWN = 30;        // results drawn
  var HIDDEN = "qd-words";  // the anchor before a row's hidden words (generator/search.py)
  var PLAIN = 24 * 24;   // Pagefind's score of one word of weight 1 (its weights count 24 a unit)
  var pagefind = null;   // the loaded module, once
  var loading = null;
  var latest = 0;        // number of the newest query: answers to older ones are dropped
  var segmenter = window.Intl && Intl.Segmenter ? new Intl.Segmenter(document.documentElement.lang || "zh", {granularity: "word"}) : null;

  function load() {
    if (!loading) {
      loading = import(new URL("pagefind/pagefind.js", root).href).then(function (module) {
        return module.options({
          baseUrl: "/",  // result URLs come back as /path/#anchor: href() puts them under root
          excerptLength: 0,
          ranking: RANKING
        }).then(function () { return module.init(); }).then(function () { pagefind = module; return module; });
      });
    }
    return loading;
  }

  /* The query's words as a reader means them: Latin words by spaces, Chinese cut the way
     the browser cuts it (Pagefind does the same with the query). */
  function words(query) {
    var out = [];
    query.toLowerCase().split(/\s+/).forEach(function (part) {
      if (!part) return;
      if (segmenter && /[\u3400-\u9fff]/.test(part)) {
        Array.from(segmenter.segment(part)).forEach(function (s) { if (s.isWordLike) out.push(s.segment); });
      } else {
        out.push(part.replace(/[^\p{L}\p{N}]+/gu, ""));
      }
    });
    return out.filter(function (w) { return w; });
  }

  /* Lower case, spaces collapsed (not removed: joining the hidden pinyin words would make
     "cs qx" look like the initials csqx). */
  function compact(text) { return text.toLowerCase().replace(/\u200b/g, "").replace(/\s+/g, " ").trim(); }

  /* The pieces a result must hold for "every word": segments of two characters or more, and
     runs of single characters joined (出声缺陷 → 出声, 缺陷), so that a lone character found
     anywhere in a long page counts for nothing. */
  function pieces(terms) {
    var out = [], run = "";
    terms.forEach(function (w) {
      if (w.length === 1 && /[\u3400-\u9fff]/.test(w)) { run += w; return; }
      if (run) { out.push(run); run = ""; }
      out.push(w);
    });
    if (run) out.push(run);
    return out;
  }

  /* 4: a page named exactly as typed (a county, a topic, a law without 《》 and
     中华人民共和国), or in pinyin (dingan, dinganxian: generator/search.py name_pinyin); 3: the whole query as written; 2: every piece; 1: every word of two
     characters or more; 0: fewer (a single character of a longer query never lifts a result). */
  function tier(data, query, terms) {
    var whole = compact(query);
    var name = compact(data.meta.title || "").replace(/[《》]/g, "").replace(/^中华人民共和国/, "");
    var names = (data.meta.names || "").split(" ");
    if (!data.meta.label && (name === whole || names.indexOf(whole.replace(/ /g, "")) >= 0)) return 4;
    var haystack = compact(data.content + " " + (data.meta.label || "") + " " + (data.meta.title || ""));
    if (haystack.indexOf(whole) >= 0) return 3;
    var has = function (w) { return haystack.indexOf(w) >= 0; };
    if (pieces(terms).every(has)) return 2;
    var long = terms.filter(function (w) { return w.length > 1; });
    return long.length && long.every(has) ? 1 : 0;
  }

  /* What to mark in a text: the whole query where the text has it, else its pieces; never a
     single character of a longer query, never part of a word the reader typed. */
  function marks(text, query, terms) {
    var whole = query.trim().replace(/\s+/g, " ");
    if (text.toLowerCase().indexOf(whole.toLowerCase()) >= 0) return [whole];
    return pieces(terms).filter(function (w) { return w.length > 1 || whole.length === 1; });
  }

  /* Text with `words` in <mark>, built as DOM (the text is register data). */
  function marked(text, words) {
    var p = document.createElement("p");
    p.className = "qd-search-text";
    var pattern = words.slice().sort(function (a, b) { return b.length - a.length; })
      .map(function (w) { return w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); });
    var parts = pattern.length ? text.split(new RegExp("(" + pattern.join("|") + ")", "gi")) : [text];
    parts.forEach(function (part, i) {
      if (!part) return;
      if (i % 2) {
        var mark = document.createElement("mark");
        mark.textContent = part;
        p.appendChild(mark);
      } else {
        p.appendChild(document.createTextNode(part));
      }
    });
    return p;
  }

  /* About `size` characters of the text around the first of `words`. */
  function excerpt(text, words, size) {
    var lower = text.toLowerCase();
    var at = words.reduce(function (best, w) {
      var i = lower.indexOf(w.toLowerCase());
      return i >= 0 && (best < 0 || i < best) ? i : best;
    }, -1);
    if (text.length <= size) return text;
    if (at < 0) return text.slice(0, size) + "…";
    var start = Math.max(0, at - Math.floor(size / 3));
    return (start > 0 ? "…" : "") + text.slice(start, start + size) + (start + size < text.length ? "…" : "");
  }

  function href(url) {
    return new URL(url.replace(/^\//, ""), root).href;
  }

  function item(data, query, terms) {
    var li = document.createElement("li");
    li.className = "md-search-result__item";
    var a = document.createElement("a");
    a.className = "md-search-result__link";
    a.tabIndex = -1;
    a.href = href(data.url);
    var article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    var icon = document.createElement("div");
    icon.className = "md-search-result__icon md-icon";
    var h = document.createElement("h1");
    h.textContent = data.meta.label || data.meta.title || "";
    article.appendChild(icon);
    article.appendChild(h);
    if (data.meta.label) {
      var page = document.createElement("p");
      page.className = "qd-search-page";
      page.textContent = data.meta.title || "";
      article.appendChild(page);
    }
    var text = data.meta.text || "", words = marks(text, query, terms);
    article.appendChild(marked(excerpt(text, words, 160), words));
    a.appendChild(article);
    li.appendChild(a);
    return li;
  }

  /* "N results", "N+ results" when records beyond the fetched ones hold more. */
  function count(n, more) {
    if (n === 0) return t["search.result.none"];
    return (n === 1 && !more ? t["search.result.one"] : t["search.result.other"]).replace("#", n + (more ? "+" : ""));
  }

  function show(found, total, more, query, terms) {
    list.textContent = "";
    found.forEach(function (data) { list.appendChild(item(data, query, terms)); });
    meta.textContent = count(total, more);
  }

  /* A fragment's words as Pagefind numbers them (its word locations and anchors count
     them): Chinese is cut at the zero-width spaces its segmenter put in, other text at
     spaces.  Pagefind's raw_content keeps those spaces but escapes < and >, its content
     drops them: the two are walked side by side to get the words as written. */
  function fragmentWords(data) {
    var raw = data.raw_content || "", text = data.content;
    if (raw.indexOf("\u200b") < 0) return {words: text.split(/[\r\n\s]+/g), sep: " "};
    var out = [], word = "", j = 0;
    for (var i = 0; i < raw.length;) {
      if (raw[i] === "\u200b") { out.push(word); word = ""; i += 1; continue; }
      var c = text[j++];
      word += c;
      i += c === "<" || c === ">" ? 4 : 1;
    }
    out.push(word);
    return {words: out, sep: ""};
  }

  /* The rows of a group record that hold a match, each a result of its own: the row's
     anchor, label and text as written, its hidden words searchable, and a score: Pagefind's
     weights of the words matched in the row, saturated and divided by the row's length as
     BM25 does (a short row holding the words beats a long one mentioning them). */
  function rows(data) {
    var labels = JSON.parse(data.meta.rows), split = fragmentWords(data), words = split.words;
    var anchors = data.anchors.slice().sort(function (a, b) { return a.location - b.location; });
    // each row's anchor is followed by its hidden words' anchor (generator/search.py Group)
    var spans = [];
    anchors.forEach(function (a) {
      if (a.id === HIDDEN) { if (spans.length) spans[spans.length - 1].shown = a.location; return; }
      if (spans.length) spans[spans.length - 1].end = a.location;
      spans.push({id: a.id, start: a.location, shown: words.length, end: words.length, weight: 0});
    });
    var at = 0;
    data.weighted_locations.slice().sort(function (a, b) { return a.location - b.location; }).forEach(function (w) {
      while (at + 1 < spans.length && w.location >= spans[at + 1].start) at += 1;
      if (spans.length && w.location >= spans[at].start) spans[at].weight += w.balanced_score / PLAIN;
    });
    var average = words.length / Math.max(1, spans.length);
    var page = data.url.split("#")[0];
    var k1 = RANKING.termSaturation, b = RANKING.pageLength;
    var out = [];
    spans.forEach(function (row, n) {
      if (!row.weight) return;
      out.push({
        data: {
          url: page + "#" + row.id,
          meta: {title: data.meta.title, label: labels[n] || "", text: words.slice(row.start, row.shown).join(split.sep).trim()},
          content: words.slice(row.start, row.end).join(split.sep)
        },
        score: row.weight * (k1 + 1) / (row.weight + k1 * (1 - b + b * (row.end - row.start) / average))
      });
    });
    return out;
  }

  /* Candidates of `results` (Pagefind's, in its order): a page stays a page, a group
     becomes its matching rows; `from` numbers them after candidates already found. */
  function expand(results, from, query, terms) {
    return Promise.all(results.map(function (r) { return r.data(); })).then(function (datas) {
      var out = [];
      datas.forEach(function (data, i) {
        (data.meta.rows ? rows(data) : [{data: data, score: 0}]).forEach(function (c) {
          out.push({data: c.data, tier: tier(c.data, query, terms), row: c.data.meta.label ? 1 : 0,
                    score: c.score, at: from + i});
        });
      });
      return out;
    });
  }

  /* Pagefind finds records holding every word; in a group they may be spread over its rows.
     When fewer than FEW rows hold every word (a typo, a word the text writes differently),
     each word of two characters or more is also looked up on its own, records holding more
     of them first, and of the first answers only rows holding every word of two characters
     or more stay (not rows that merely hold each character somewhere). */
  function lookup(query, terms, number) {
    return pagefind.debouncedSearch(query, {}, 60).then(function (search) {
      if (search === null || number !== latest) return null;
      var strict = search.results.slice(0, LOADED);
      return expand(strict, 0, query, terms).then(function (found) {
        var long = terms.filter(function (w) { return w.length > 1; });
        var whole = found.filter(function (c) { return c.tier >= 2; }).length;
        if (whole >= FEW || long.length === 0 || terms.length < 2) return {found: found, more: search.results.length > LOADED};
        return Promise.all(long.map(function (w) { return pagefind.search(w); })).then(function (searches) {
          var merged = {};
          searches.forEach(function (s) {
            s.results.forEach(function (r) {
              var seen = merged[r.id];
              merged[r.id] = {id: r.id, data: r.data, score: (seen ? seen.score : 0) + r.score, hits: (seen ? seen.hits : 0) + 1};
            });
          });
          var loose = Object.keys(merged).map(function (k) { return merged[k]; })
            .sort(function (a, b) { return b.hits - a.hits || b.score - a.score; });
          // a record of both lists is fetched once (Pagefind keeps the fragments it loaded)
          return expand(loose.slice(0, LOADED), strict.length, query, terms).then(function (more) {
            var kept = found.filter(function (c) { return c.tier >= 1; });
            return {found: kept.concat(more), more: search.results.length > strict.length || loose.length > LOADED};
          });
        });
      });
    });
  }

  function run() {
    var query = input.value.trim();
    var number = ++latest;
    if (!query) {
      list.textContent = "";
      meta.textContent = t["search.result.placeholder"];
      return;
    }
    load().then(function () {
      var terms = words(query);
      return lookup(query, terms, number).then(function (answer) {
        if (answer === null || number !== latest) return;
        // within a tier rows come before pages: a page not named exactly as typed only
        // gathers rows (a topic's, a law's) or is named with the words (a department)
        var seen = {}, ranked = answer.found.sort(function (a, b) {
          return b.tier - a.tier || b.row - a.row || b.score - a.score || a.at - b.at;
        }).filter(function (c) { return seen[c.data.url] ? false : (seen[c.data.url] = true); });
        show(ranked.slice(0, SHOWN).map(function (c) { return c.data; }), ranked.length, answer.more, query, terms);
      });
    }).catch(function (error) {
      meta.textContent = t["search.result.none"];
      if (window.console) console.warn("search:", error);
    });
  }

  function open() {
    if (!toggle.checked) toggle.checked = true;
    input.focus();
    load();
  }

  function close() {
    toggle.checked = false;
    input.blur();
  }

  // Every change of the text: typing, paste, dictation, an IME committing its characters.
  input.addEventListener("input", function (event) { if (!event.isComposing) run(); });
  input.addEventListener("compositionend", run);
  input.addEventListener("focus", function () { if (!toggle.checked) toggle.checked = true; load(); });
  dialog.querySelector("form").addEventListener("reset", function () { window.setTimeout(run, 0); });
  dialog.querySelector("form").addEventListener("submit", function (event) { event.preventDefault(); });
  toggle.addEventListener("change", function () { if (toggle.checked) window.setTimeout(open, 150); });
  list.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("a")) close();
  });

  function links() { return Array.prototype.slice.call(list.querySelectorAll(".md-search-result__link")); }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    var active = document.activeElement;
    if (!toggle.checked) {
      var typing = active && (/^(input|textarea|select)$/i.test(active.tagName) || active.isContentEditable);
      if (!typing && (event.key === "/" || event.key === "s" || event.key === "f")) {
        event.preventDefault();
        open();
      }
      return;
    }
    var all = links();
    var at = all.indexOf(active);
    if (event.key === "Escape") {
      event.preventDefault();
      close();
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!all.length) return;
      var next = event.key === "ArrowDown" ? at + 1 : (at < 0 ? all.length - 1 : at - 1);
      if (next < 0 || next >= all.length) input.focus();
      else all[next].focus();
    } else if (event.key === "Enter" && active === input) {
      event.preventDefault();
      if (all.length) { close(); window.location.href = all[0].href; }
    } else if (event.key === "Enter" && at >= 0) {
      close();
    } else if (at >= 0 && event.key.length === 1) {
      input.focus();  // typing goes on in the box
    }
  });
})();
