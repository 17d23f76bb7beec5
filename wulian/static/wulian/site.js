// Small behaviours for every page, kept out of inline handlers so that the Content Security
// Policy can forbid inline script.
document.addEventListener("change", function (event) {
  var el = event.target;
  if (el && el.hasAttribute && el.hasAttribute("data-autosubmit") && el.form) {
    el.form.submit();
  }
});

// Forms marked novalidate skip the browser's checks; an over-long field still stops them.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var over = Array.prototype.filter.call(form.querySelectorAll("[data-limit]"), function (el) {
    return el.value.length > parseInt(el.getAttribute("data-limit"), 10);
  });
  if (over.length) {
    event.preventDefault();
    event.stopImmediatePropagation();
    over[0].reportValidity();
    over[0].focus();
  }
}, true);

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

// ---------------------------------------------------------------- lists as cards
// On a phone a table.wl-cards shows each row as a card; each cell is labelled with its
// column's header (see site.css).
function wlLabelCells(root) {
  (root || document).querySelectorAll("table.wl-cards").forEach(function (table) {
    var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.trim();
    });
    table.querySelectorAll("tbody tr").forEach(function (tr) {
      Array.prototype.forEach.call(tr.children, function (td, i) {
        if (heads[i] && !td.hasAttribute("data-label")) { td.setAttribute("data-label", heads[i]); }
      });
    });
  });
}
document.addEventListener("DOMContentLoaded", function () { wlLabelCells(document); });
document.addEventListener("htmx:afterSwap", function (event) { wlLabelCells(event.detail.target); });

// A "select all" checkbox (data-select-all="NAME") ticks every checkbox named NAME in its form.
document.addEventListener("change", function (event) {
  var all = event.target;
  if (!all.hasAttribute || !all.hasAttribute("data-select-all") || !all.form) { return; }
  all.form.querySelectorAll("input[type=checkbox][name='" + all.getAttribute("data-select-all") + "']").forEach(function (box) {
    box.checked = all.checked;
  });
});

// ---------------------------------------------------------------- uploads and lengths
// A file input with data-max-bytes refuses an oversized file at once, before anything is sent
// (the server refuses it too).
document.addEventListener("change", function (event) {
  var input = event.target;
  if (!input || input.type !== "file" || !input.hasAttribute("data-max-bytes")) { return; }
  var limit = parseInt(input.getAttribute("data-max-bytes"), 10);
  var big = Array.prototype.filter.call(input.files || [], function (f) { return f.size > limit; });
  var note = input.parentElement.querySelector("[data-file-error]");
  if (!note) {
    note = document.createElement("div");
    note.className = "invalid-feedback d-block";
    note.setAttribute("data-file-error", "");
    note.setAttribute("data-testid", "file-error");
    input.insertAdjacentElement("afterend", note);
  }
  if (big.length) {
    note.textContent = "文件过大：" + big.map(function (f) {
      return f.name + "（" + (f.size / 1048576).toFixed(1) + " MB）";
    }).join("、") + "，单个文件上限 " + Math.floor(limit / 1048576) + " MB。请压缩或重新选择。";
    input.value = "";
    input.classList.add("is-invalid");
  } else {
    note.textContent = "";
    input.classList.remove("is-invalid");
  }
});

// A text field with a length limit shows a counter and refuses to send an over-long value,
// instead of the browser's maxlength silently cutting what was pasted.
function wlCounters(root) {
  (root || document).querySelectorAll("input[maxlength], textarea[maxlength]").forEach(function (el) {
    if (el.type === "password" || el.type === "hidden" || el.hasAttribute("data-limit")) { return; }
    var limit = parseInt(el.getAttribute("maxlength"), 10);
    el.setAttribute("data-limit", limit);
    el.removeAttribute("maxlength");  // maxlength would cut a paste without a word
    var counter = document.createElement("div");
    counter.className = "form-hint text-end wl-counter";
    counter.setAttribute("data-testid", "counter");
    el.insertAdjacentElement("afterend", counter);
    var update = function () {
      var n = el.value.length;
      counter.textContent = n + " / " + limit;
      var over = n > limit;
      counter.classList.toggle("text-danger", over);
      el.classList.toggle("is-invalid", over);
      el.setCustomValidity(over ? "不能超过 " + limit + " 字（现为 " + n + " 字），请删减后再提交。" : "");
    };
    el.addEventListener("input", update);
    update();
  });
}
document.addEventListener("DOMContentLoaded", function () { wlCounters(document); });
document.addEventListener("htmx:afterSwap", function (event) { wlCounters(event.detail.target); });
