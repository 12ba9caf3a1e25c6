/* The main navigation folds into a Menu button on narrow screens. Without JavaScript every link shows. */
(function () {
  "use strict";
  var nav = document.querySelector(".site-header nav");
  var toggle = nav && nav.querySelector(".nav-toggle");
  if (!toggle) { return; }
  toggle.hidden = false;
  nav.classList.add("nav-collapsible");
  toggle.addEventListener("click", function () {
    var open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(open));
    nav.classList.toggle("open", open);
  });
})();
