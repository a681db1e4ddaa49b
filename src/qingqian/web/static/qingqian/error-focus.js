// After a refused form submission, moves focus to the form's error summary
// (opening the <details> it is folded into), so keyboard and screen-reader
// users start at the list of problems rather than at the top of the page.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary], .error-summary");
  if (!summary) { return; }
  for (var details = summary.closest("details"); details; details = details.parentElement.closest("details")) {
    details.open = true;
  }
  if (!summary.hasAttribute("tabindex")) { summary.setAttribute("tabindex", "-1"); }
  summary.focus();
})();
