// The error summary (templates/includes/error_summary.html) is focused when the page loads, so
// that a screen reader reads it and the keyboard starts there. Its autofocus attribute does this
// without the script; this covers browsers that honour autofocus only on form controls.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-error-summary]");
  if (summary && document.activeElement !== summary) {
    summary.focus();
  }
});
