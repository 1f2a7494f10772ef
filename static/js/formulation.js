// Sizes the mix bar from data-width (no inline styles: CSP).
(function () {
  "use strict";
  document.querySelectorAll(".mix-bar [data-width]").forEach(function (bar) {
    bar.style.width = bar.dataset.width + "%";
  });
})();
