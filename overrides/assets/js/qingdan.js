/* Qingdan: "copy link" for every row anchor, the header's menu and search buttons and the
   适老化 reading mode. Without it each # is still a plain permalink. */
(function () {
  "use strict";
  var en = (document.documentElement.lang || "").indexOf("en") === 0;
  var copied = en ? "Link copied" : "链接已复制";
  var READING = "qd-reading";

  /* One polite live region: screen readers announce what a click did. */
  var status = document.createElement("div");
  status.className = "qd-sr-only";
  status.id = "qd-status";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  document.body.appendChild(status);

  function announce(message) {
    status.textContent = "";
    window.setTimeout(function () { status.textContent = message; }, 60);
  }

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "absolute";
    area.style.left = "-9999px";
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } catch (e) { /* the URL is still in the address bar */ }
    document.body.removeChild(area);
  }

  function flash(anchor) {
    anchor.setAttribute("data-qd-copied", copied);
    announce(copied);
    window.setTimeout(function () { anchor.removeAttribute("data-qd-copied"); }, 1600);
  }

  document.addEventListener("click", function (event) {
    var anchor = event.target.closest ? event.target.closest("a.qd-permalink") : null;
    if (!anchor) return;
    var url = window.location.href.split("#")[0] + anchor.getAttribute("href");
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(url).catch(function () { fallbackCopy(url); });
    } else {
      fallbackCopy(url);
    }
    flash(anchor);
  });

  /* Header buttons standing in for Material's labels (☰, search on phones): they tick
     Material's checkbox, which opens the drawer or the search. */
  Array.prototype.forEach.call(document.querySelectorAll("button[data-qd-toggle]"), function (button) {
    var box = document.getElementById(button.getAttribute("data-qd-toggle"));
    if (!box) return;
    button.addEventListener("click", function () { box.click(); });
    box.addEventListener("change", function () {
      button.setAttribute("aria-expanded", box.checked ? "true" : "false");
      if (box.checked && box.id === "__drawer") {
        var first = document.querySelector(".md-sidebar--primary .md-nav__link[href]");
        if (first) window.setTimeout(function () { first.focus(); }, 300);
      }
    });
  });
  var drawer = document.getElementById("__drawer");
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && drawer && drawer.checked) {
      drawer.click();
      var menu = document.querySelector(".qd-menu-button");
      if (menu) menu.focus();
    }
  });

  /* A Markdown table wider than the screen scrolls inside Material's wrapper: a keyboard
     reaches that scroll only if the wrapper takes focus, and then it needs a name. The
     generated tables carry their own (qd-matrix-scroll); these are found after Material
     wraps them, and again when the window is resized. */
  function heading(element) {
    for (var e = element.previousElementSibling; e; e = e.previousElementSibling) {
      if (/^H[1-6]$/.test(e.tagName)) return e.textContent.replace(/[¶#]\s*$/, "").trim();
    }
    return "";
  }
  function scrollRegions() {
    Array.prototype.forEach.call(document.querySelectorAll(".md-typeset__scrollwrap"), function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        var name = heading(wrap);
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", (en ? "Table, scrolls sideways" : "表格，可横向滚动") + (name ? (en ? ": " : "：") + name : ""));
      } else if (wrap.getAttribute("role") === "region") {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    });
  }
  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(scrollRegions);
  } else {
    document.addEventListener("DOMContentLoaded", scrollRegions);
  }
  var resizing = 0;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizing);
    resizing = window.setTimeout(scrollRegions, 200);
  });

  /* Comparison pages fold each part and each run of identical rows (<details>, closed, so a
     phone opens on the summary). One button opens or closes them all; printing opens them
     (and closes them again after); a link to a part's heading opens that part. The open
     state is not remembered: the address names the part a reader was sent to. */
  var fold = document.querySelector("button[data-qd-expand]");
  if (fold) {
    var folds = function () {
      return Array.prototype.slice.call(document.querySelectorAll("details.qd-compare-part, details.qd-compare-fold"));
    };
    var label = function () {
      var open = folds().every(function (d) { return d.open; });
      fold.textContent = fold.getAttribute(open ? "data-qd-collapse" : "data-qd-expand");
      fold.setAttribute("aria-expanded", open ? "true" : "false");
    };
    fold.parentNode.hidden = false;
    fold.addEventListener("click", function () {
      var open = fold.getAttribute("aria-expanded") !== "true";
      folds().forEach(function (d) { d.open = open; });
      label();
    });
    folds().forEach(function (d) { d.addEventListener("toggle", label); });
    var closed = [];
    window.addEventListener("beforeprint", function () {
      closed = folds().filter(function (d) { return !d.open; });
      closed.forEach(function (d) { d.open = true; });
    });
    window.addEventListener("afterprint", function () {
      closed.forEach(function (d) { d.open = false; });
      closed = [];
    });
    var reveal = function () {
      var id = decodeURIComponent(window.location.hash.slice(1));
      var target = id && document.getElementById(id);
      if (!target) return;
      var next = target.nextElementSibling;
      if (next && next.matches("details.qd-compare-part")) next.open = true;
      for (var d = target.closest("details"); d; d = d.parentElement.closest("details")) d.open = true;
    };
    reveal();
    window.addEventListener("hashchange", reveal);
  }

  /* Long pages: rows off screen start skipped (content-visibility in qingdan.css), so the first
     paint lays out one screen, not hundreds of rows.  Until a skipped row is drawn its height
     is an estimate, which the scrollbar, a jump to a far #row and tools that measure the page
     would read; so once the page has loaded the rows are drawn top to bottom in the browser's
     idle time, a batch per idle period, each batch sized from the last one's time to take
     about SLICE_MS (never a long task), and the page ends up exactly as if none were skipped. */
  var DRAWN = ".qd-table-wrap, .qd-system > .qd-section, .md-typeset table.qd-table > tbody > tr";
  var SLICE_MS = 6;
  var idle = window.requestIdleCallback
    ? function (work) { window.requestIdleCallback(work, { timeout: 2000 }); }
    : function (work) { window.setTimeout(work, 50); };
  function drawRest() {
    var rest = Array.prototype.slice.call(document.querySelectorAll(DRAWN));
    var next = 0, batch = 1;
    function slice() {
      /* a row jumped to (#anchor) stays where it is on screen while rows above it grow from
         their estimates: Chromium's scroll anchoring holds it only partly when a whole table
         above is drawn at once (wide screens) */
      var target = document.querySelector(":target"), before = target && target.getBoundingClientRect().top;
      var start = performance.now(), end = Math.min(rest.length, next + batch), count = end - next;
      for (; next < end; next += 1) rest[next].style.contentVisibility = "visible";
      void document.documentElement.offsetHeight;  /* lay the batch out here, where it is timed */
      var took = performance.now() - start;
      if (target) window.scrollBy(0, target.getBoundingClientRect().top - before);
      /* the next batch: what fits in a slice at this batch's pace, at most twice as many rows */
      batch = Math.max(1, Math.min(count * 2, Math.floor(count * SLICE_MS / Math.max(took, 0.5))));
      if (next < rest.length) idle(slice);
    }
    idle(slice);
  }
  if ("contentVisibility" in document.documentElement.style) {
    if (document.readyState === "complete") drawRest();
    else window.addEventListener("load", drawRest);
  }

  /* 适老化 reading mode: larger text and high contrast, remembered across pages. */
  var reading = document.querySelector("[data-qd-reading]");
  function setReading(on) {
    document.documentElement.classList.toggle(READING, on);
    if (reading) reading.setAttribute("aria-pressed", on ? "true" : "false");
    try { window.localStorage.setItem(READING, on ? "1" : "0"); } catch (e) { /* private mode: this page only */ }
  }
  if (reading) {
    reading.setAttribute("aria-pressed", document.documentElement.classList.contains(READING) ? "true" : "false");
    reading.addEventListener("click", function () {
      setReading(!document.documentElement.classList.contains(READING));
    });
  }
})();
