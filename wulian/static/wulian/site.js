// Small behaviours for every page, kept out of inline handlers so that the Content Security
// Policy can forbid inline script.
document.addEventListener("change", function (event) {
  var el = event.target;
  if (el && el.hasAttribute && el.hasAttribute("data-autosubmit") && el.form) {
    el.form.submit();
  }
});
