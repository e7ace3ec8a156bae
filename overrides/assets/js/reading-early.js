/* The reading mode (大字版) a reader chose, applied in <head> before the first paint;
   qingdan.js draws the switch and stores the choice. */
try {
  if (localStorage.getItem("qd-reading") === "1") document.documentElement.classList.add("qd-reading");
} catch (e) { /* storage refused: the standard view */ }
