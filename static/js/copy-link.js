// Copy buttons beside read-only links (calendar feeds). Loaded as a file: the CSP forbids inline scripts.
// The button stays hidden where the Clipboard API is missing; the field can still be selected by hand.
(function () {
  "use strict";
  if (!navigator.clipboard) { return; }
  document.querySelectorAll("[data-copy-button]").forEach(function (button) {
    var field = button.parentElement.querySelector("[data-copy-source]");
    if (!field) { return; }
    var label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        button.textContent = button.getAttribute("data-copied-label") || label;
        window.setTimeout(function () { button.textContent = label; }, 2000);
      }, function () { field.select(); });
    });
  });
  document.querySelectorAll("[data-copy-source]").forEach(function (field) {
    field.addEventListener("focus", function () { field.select(); });
  });
}());
