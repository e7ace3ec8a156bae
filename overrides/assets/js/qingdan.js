/* Qingdan: "copy link" for every row anchor. Works without it: each # is a plain permalink. */
(function () {
  "use strict";
  var en = (document.documentElement.lang || "").indexOf("en") === 0;
  var copied = en ? "Link copied" : "链接已复制";

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
})();
