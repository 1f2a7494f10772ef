// The error summary (templates/core/_error_summary.html): focused when the page loads,
// so a keyboard or screen-reader user lands on it; each link moves focus to its field.
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (!summary) return;
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) return;
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target) return;
    event.preventDefault();
    // A link may point at an item's block: focus its first control.
    var control = target.matches("input, select, textarea, button") ? target
      : target.querySelector("input:not([type=hidden]):not([disabled]), select, textarea");
    var details = target.closest("details");
    if (details) details.open = true;
    target.scrollIntoView({ block: "center" });
    (control || target).focus();
  });
})();
