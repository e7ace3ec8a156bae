// The page's one script in <head>, a file because the Content-Security-Policy allows scripts
// from the site only (deploy/nginx/qingdan.conf); one file rather than two, so the first paint
// waits for one request less.
//
// 1. Material's inline head script (partials/javascripts/base.html), same definitions. The
//    scope is the site root, which is where this file's ../../ points: the same URL Material's
//    base_url gives.
__md_scope = new URL("../../", document.currentScript.src);
__md_hash = e => [...e].reduce((e, _) => (e << 5) - e + _.charCodeAt(0), 0);
__md_get = (e, _ = localStorage, t = __md_scope) => JSON.parse(_.getItem(t.pathname + "." + e));
__md_set = (e, _, t = localStorage, a = __md_scope) => {
  try {
    t.setItem(a.pathname + "." + e, JSON.stringify(_));
  } catch (e) {}
};
// 2. The reading mode (大字版) a reader chose, applied before the first paint, so a reader who
//    chose it never sees the small page flash; qingdan.js draws the switch and stores the choice.
try {
  if (localStorage.getItem("qd-reading") === "1") document.documentElement.classList.add("qd-reading");
} catch (e) { /* storage refused: the standard view */ }
