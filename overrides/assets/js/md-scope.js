// Material's inline head script (partials/javascripts/base.html), moved into a file so the
// site's Content-Security-Policy allows scripts from the site only. The scope is the site
// root, which is where this file's ../../ points: the same URL Material's base_url gives.
__md_scope = new URL("../../", document.currentScript.src);
__md_hash = e => [...e].reduce((e, _) => (e << 5) - e + _.charCodeAt(0), 0);
__md_get = (e, _ = localStorage, t = __md_scope) => JSON.parse(_.getItem(t.pathname + "." + e));
__md_set = (e, _, t = localStorage, a = __md_scope) => {
  try {
    t.setItem(a.pathname + "." + e, JSON.stringify(_));
  } catch (e) {}
};
