// Small behaviours for every page, kept out of inline handlers so that the Content Security
// Policy can forbid inline script.

// ---------------------------------------------------------------- the scripts' sentences
// wlT("中文", {name: value}): the sentence in the page's language, from the JSON block that
// base.html writes ({% js_strings %}, core/jsi18n.py), with %(name)s filled in; the Chinese
// text itself when the block is missing.
var wlStrings = null;
function wlT(text, params) {
  if (wlStrings === null) {
    var block = document.getElementById("wl-i18n");
    wlStrings = block ? JSON.parse(block.textContent) : {};
  }
  return (wlStrings[text] || text).replace(/%\((\w+)\)s/g, function (whole, name) {
    return params && Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole;
  });
}

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
  // Bootstrap ignores hide() while the dialog is still fading in: a quick 取消 or 确定 is
  // remembered and carried out once it is shown, so the dialog never stays up after a click.
  var shown = false;
  var closeWhenShown = false;
  function dialog() { return document.getElementById("wl-confirm"); }
  function close() {
    if (shown) { wlModal.getOrCreateInstance(dialog()).hide(); } else { closeWhenShown = true; }
  }
  function ask(text, onOk) {
    var el = dialog();
    if (!el || !wlModal) {  // no dialog on this page: the browser's own
      if (window.confirm(text)) { onOk(); }
      return;
    }
    el.querySelector("[data-confirm-text]").textContent = text;
    pending = onOk;
    shown = false;
    closeWhenShown = false;
    wlModal.getOrCreateInstance(el).show();
  }
  document.addEventListener("shown.bs.modal", function (event) {
    if (event.target !== dialog()) { return; }
    shown = true;
    if (closeWhenShown) { closeWhenShown = false; close(); }
  });
  document.addEventListener("hidden.bs.modal", function (event) {
    if (event.target === dialog()) { shown = false; }
  });
  document.addEventListener("click", function (event) {
    if (!event.target.closest) { return; }
    var inDialog = event.target.closest("#wl-confirm");
    if (inDialog && event.target.closest("[data-bs-dismiss]")) {
      pending = null;
      close();
      return;
    }
    var ok = event.target.closest("[data-confirm-ok]");
    if (!ok) { return; }
    var run = pending;
    pending = null;
    close();
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
    note.textContent = wlT("文件过大：%(files)s，单个文件上限 %(mb)s MB。请压缩或重新选择。", {
      files: big.map(function (f) {
        return wlT("%(name)s（%(size)s MB）", { name: f.name, size: (f.size / 1048576).toFixed(1) });
      }).join(wlT("、")),
      mb: Math.floor(limit / 1048576)
    });
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
      el.setCustomValidity(over ? wlT("不能超过 %(limit)s 字（现为 %(n)s 字），请删减后再提交。", { limit: limit, n: n }) : "");
    };
    el.addEventListener("input", update);
    update();
  });
}
document.addEventListener("DOMContentLoaded", function () { wlCounters(document); });
document.addEventListener("htmx:afterSwap", function (event) { wlCounters(event.detail.target); });

// ---------------------------------------------------------------- searchable selects
// A multi-select (and any select marked data-searchable) becomes a Tom Select: type to find
// one of ninety chain links instead of Ctrl-clicking a long list.
function wlSearchable(root) {
  if (!window.TomSelect) { return; }
  (root || document).querySelectorAll("select[multiple], select[data-searchable]").forEach(function (el) {
    if (el.tomselect) { return; }
    new window.TomSelect(el, {
      plugins: el.multiple ? ["remove_button"] : [],
      maxOptions: null,
      placeholder: el.getAttribute("data-placeholder") || wlT("请选择（可输入搜索）"),
      render: { no_results: function () { var div = document.createElement("div");
        div.className = "no-results";
        div.textContent = wlT("没有匹配的选项");
        return div; } }
    });
  });
}
document.addEventListener("DOMContentLoaded", function () { wlSearchable(document); });
document.addEventListener("htmx:afterSwap", function (event) { wlSearchable(event.detail.target); });

// ---------------------------------------------------------------- Chinese date picker
// Date fields open a Chinese calendar (flatpickr, zh): the browser's own picker follows the
// browser's language, not the page's. The value stays YYYY-MM-DD, and can still be typed.
function wlDatePickers(root) {
  if (!window.flatpickr) { return; }
  var chinese = (document.documentElement.lang || "").indexOf("zh") === 0;
  var zh = chinese && window.flatpickr.l10ns && window.flatpickr.l10ns.zh;
  (root || document).querySelectorAll("input[type=date]").forEach(function (el) {
    if (el._flatpickr) { return; }
    el.type = "text";
    el.setAttribute("inputmode", "none");
    el.setAttribute("placeholder", el.getAttribute("placeholder") || wlT("年-月-日"));
    window.flatpickr(el, { locale: zh || "default", dateFormat: "Y-m-d", allowInput: true, disableMobile: true });
  });
}
document.addEventListener("DOMContentLoaded", function () { wlDatePickers(document); });
document.addEventListener("htmx:afterSwap", function (event) { wlDatePickers(event.detail.target); });

// ---------------------------------------------------------------- export progress
// A download of a long list (.xlsx, .csv, .docx) can take seconds to build: instead of a
// silent wait the link says it is being prepared, for how long, and how much has arrived;
// the file is then saved under the name the server gave (RFC 5987 filename* for Chinese).
function wlFilename(disposition, fallback) {
  var star = /filename\*=utf-8''([^;]+)/i.exec(disposition || "");
  if (star) { return decodeURIComponent(star[1]); }
  var plain = /filename="?([^";]+)"?/i.exec(disposition || "");
  return plain ? plain[1] : fallback;
}
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("a[href]");
  if (!link || event.ctrlKey || event.metaKey || event.shiftKey || !window.fetch) { return; }
  var url = new URL(link.href, window.location.href);
  if (url.origin !== window.location.origin || !/\.(xlsx|csv|docx)$/.test(url.pathname)) { return; }
  event.preventDefault();
  if (link.getAttribute("aria-busy") === "true") { return; }  // a second click waits for the first
  var label = link.innerHTML;
  var started = Date.now();
  var status = function (text) {
    link.innerHTML = '<span class="spinner-border spinner-border-sm me-2" role="status"></span>' + text;
  };
  link.setAttribute("aria-busy", "true");
  link.classList.add("disabled");
  status(wlT("正在生成…"));
  var timer = window.setInterval(function () {
    status(wlT("正在生成…已用 %(s)s 秒", { s: Math.round((Date.now() - started) / 1000) }));
  }, 1000);
  var done = function (message) {
    window.clearInterval(timer);
    link.innerHTML = label;
    link.removeAttribute("aria-busy");
    link.classList.remove("disabled");
    if (message) { window.alert(message); }
  };
  fetch(url.href, { credentials: "same-origin" }).then(function (response) {
    if (!response.ok) { throw new Error(wlT("导出失败（%(status)s），请稍后重试。", { status: response.status })); }
    var total = parseInt(response.headers.get("Content-Length") || "0", 10);
    var name = wlFilename(response.headers.get("Content-Disposition"), url.pathname.split("/").pop());
    var reader = response.body.getReader();
    var chunks = [];
    var received = 0;
    window.clearInterval(timer);
    var pump = function () {
      return reader.read().then(function (step) {
        if (step.done) { return; }
        chunks.push(step.value);
        received += step.value.length;
        status(wlT("下载中 %(done)s", { done: total ? Math.round(received * 100 / total) + "%" : Math.round(received / 1024) + " KB" }));
        return pump();
      });
    };
    return pump().then(function () {
      var blob = new Blob(chunks, { type: response.headers.get("Content-Type") || "application/octet-stream" });
      var save = document.createElement("a");
      save.href = URL.createObjectURL(blob);
      save.download = name;
      document.body.appendChild(save);
      save.click();
      save.remove();
      window.setTimeout(function () { URL.revokeObjectURL(save.href); }, 10000);
      done("");
    });
  }).catch(function (error) { done(error.message || wlT("导出失败，请稍后重试。")); });
});
