// Small behaviours for every page, kept out of inline handlers so that the Content Security
// Policy can forbid inline script.
document.addEventListener("change", function (event) {
  var el = event.target;
  if (el && el.hasAttribute && el.hasAttribute("data-autosubmit") && el.form) {
    el.form.submit();
  }
});

// ---------------------------------------------------------------- confirmation
// A weighty step asks first, naming what will happen: a plain form carries
// data-confirm="…" (on the form or on its submit button), an htmx element hx-confirm="…".
// Both are asked in the one dialog of base.html (#wl-confirm).
// Tabler's bundle carries Bootstrap's components as window.tabler (Modal, Collapse, …).
var wlModal = window.tabler && window.tabler.Modal;
var wlConfirm = (function () {
  var pending = null;
  function dialog() { return document.getElementById("wl-confirm"); }
  function ask(text, onOk) {
    var el = dialog();
    if (!el || !wlModal) {  // no dialog on this page: the browser's own
      if (window.confirm(text)) { onOk(); }
      return;
    }
    el.querySelector("[data-confirm-text]").textContent = text;
    pending = onOk;
    wlModal.getOrCreateInstance(el).show();
  }
  document.addEventListener("click", function (event) {
    var ok = event.target.closest && event.target.closest("[data-confirm-ok]");
    if (!ok) { return; }
    var run = pending;
    pending = null;
    wlModal.getOrCreateInstance(dialog()).hide();
    if (run) { run(); }
  });
  return ask;
})();

document.addEventListener("submit", function (event) {
  var form = event.target;
  var submitter = event.submitter || null;
  var text = (submitter && submitter.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
  if (!text || form.hasAttribute("hx-post") || form.dataset.wlConfirmed === "1") { return; }
  event.preventDefault();
  event.stopImmediatePropagation();
  wlConfirm(text, function () {
    form.dataset.wlConfirmed = "1";
    if (form.requestSubmit) { form.requestSubmit(submitter || undefined); } else { form.submit(); }
  });
}, true);

document.addEventListener("htmx:confirm", function (event) {
  if (!event.detail.question) { return; }
  event.preventDefault();
  wlConfirm(event.detail.question, function () { event.detail.issueRequest(true); });
});

// ---------------------------------------------------------------- no double submit
// Once a form is on its way its buttons are disabled, so a double click sends it once (the
// services refuse a repeated step as well). Disabled a tick later: a disabled submitter would
// drop its own name=value from what is sent.
function wlBusy(form, busy) {
  form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]").forEach(function (b) {
    b.disabled = busy;
  });
  if (busy) { form.setAttribute("data-submitting", "1"); } else { form.removeAttribute("data-submitting"); }
}
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (event.defaultPrevented) { return; }
  if (form.getAttribute("data-submitting")) { event.preventDefault(); return; }
  if (form.method && form.method.toLowerCase() === "get") { return; }
  form.setAttribute("data-submitting", "1");
  window.setTimeout(function () { wlBusy(form, true); }, 0);
});
document.addEventListener("htmx:beforeRequest", function (event) {
  var el = event.detail.elt;
  if (el && el.tagName === "BUTTON") { el.disabled = true; }
  if (el && el.tagName === "FORM" && (el.getAttribute("hx-post") || el.getAttribute("hx-delete"))) {
    wlBusy(el, true);
  }
});
document.addEventListener("htmx:afterRequest", function (event) {
  var el = event.detail.elt;
  if (!el) { return; }
  if (el.tagName === "BUTTON") { el.disabled = false; }
  if (el.tagName === "FORM") { wlBusy(el, false); delete el.dataset.wlConfirmed; }
});
// Coming back with the browser's back button shows the page as it was left: enable it again.
window.addEventListener("pageshow", function (event) {
  if (!event.persisted) { return; }
  document.querySelectorAll("form[data-submitting]").forEach(function (f) {
    wlBusy(f, false);
    delete f.dataset.wlConfirmed;
  });
});
