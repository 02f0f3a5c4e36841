// Form widgets for every page (issue 21), as progressive enhancement: without JavaScript each form
// works as the server renders it. Loaded as a file from base.html: the CSP forbids inline scripts.
// Labels come translated from the <script> tag's data-* attributes.
//
// 1. Confirmation: a button (or form) with data-confirm asks in a <dialog>; confirmed, the form is
//    sent with confirmed=yes (and the pressed button's name=value), so the server skips its own
//    confirmation page (web.common.confirmation_page), which is what a browser without JS gets.
// 2. Multi-selects: every <select multiple> becomes a filter box above a list of checkboxes (no
//    Ctrl-click); the select stays in the form, hidden, and the checkboxes set its options.
// 3. Dates: a text field for dd/mm/yyyy (data-vn-date) gets a calendar button; the picked day is
//    written back as dd/mm/yyyy, which stays what the server reads.
(function () {
  "use strict";
  var script = document.currentScript;
  function label(name, fallback) {
    return (script && script.getAttribute("data-" + name)) || fallback;
  }

  // --- 1. confirmation dialog -------------------------------------------------------------------
  function hidden(form, name, value) {
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = value;
    form.appendChild(input);
  }

  function ask(question, okLabel, onYes) {
    var dialog = document.createElement("dialog");
    dialog.className = "confirm-dialog";
    dialog.setAttribute("aria-labelledby", "confirm-dialog-question");
    var article = document.createElement("article");
    var text = document.createElement("p");
    text.id = "confirm-dialog-question";
    text.textContent = question;
    var footer = document.createElement("footer");
    var cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "secondary outline";
    cancel.textContent = label("cancel-label", "Hủy");
    var yes = document.createElement("button");
    yes.type = "button";
    yes.textContent = okLabel;
    yes.setAttribute("data-confirm-yes", "");
    footer.appendChild(cancel);
    footer.appendChild(yes);
    article.appendChild(text);
    article.appendChild(footer);
    dialog.appendChild(article);
    document.body.appendChild(dialog);
    function close() { dialog.close(); dialog.remove(); }
    cancel.addEventListener("click", close);
    dialog.addEventListener("cancel", function () { dialog.remove(); });
    yes.addEventListener("click", function () { close(); onYes(); });
    dialog.showModal();
    cancel.focus();  // the safe answer is the default one
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter || null;
    var question = (button && button.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (!question || typeof HTMLDialogElement === "undefined") { return; }  // old browser: the server asks
    var confirmed = form.querySelector('input[name="confirmed"]');
    if (confirmed && confirmed.value === "yes") { return; }
    event.preventDefault();
    ask(question, (button && button.textContent.trim()) || label("ok-label", "Xác nhận"), function () {
      if (button && button.name) { hidden(form, button.name, button.value); }
      hidden(form, "confirmed", "yes");
      HTMLFormElement.prototype.submit.call(form);
    });
  });

  // --- 2. searchable multi-select ---------------------------------------------------------------
  // Vietnamese letters without their marks, for the filter: "duc tho" finds "Đức Thọ".
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase();
  }

  var counter = 0;
  function enhanceSelect(select) {
    counter += 1;
    var box = document.createElement("div");
    box.className = "multi-pick";
    var filter = document.createElement("input");
    filter.type = "search";
    filter.id = "multi-pick-filter-" + counter;
    filter.placeholder = label("filter-label", "Lọc...");
    filter.setAttribute("aria-label", label("filter-label", "Lọc...") +
                        (select.labels && select.labels[0] ? " " + select.labels[0].textContent.trim() : ""));
    var summary = document.createElement("p");
    summary.className = "multi-pick-count";
    summary.setAttribute("aria-live", "polite");
    var list = document.createElement("div");
    list.className = "multi-pick-list";
    list.setAttribute("role", "group");
    if (select.labels && select.labels[0]) {
      select.labels[0].id = select.labels[0].id || "multi-pick-label-" + counter;
      list.setAttribute("aria-labelledby", select.labels[0].id);
      select.labels[0].htmlFor = filter.id;
    }
    var rows = [];
    function count() {
      var n = 0;
      Array.prototype.forEach.call(select.options, function (option) { if (option.selected) { n += 1; } });
      summary.textContent = label("chosen-label", "Đã chọn:") + " " + n;
    }
    Array.prototype.forEach.call(select.options, function (option) {
      var row = document.createElement("label");
      var box_ = document.createElement("input");
      box_.type = "checkbox";
      box_.checked = option.selected;
      box_.disabled = option.disabled || select.disabled;
      box_.addEventListener("change", function () { option.selected = box_.checked; count(); });
      row.appendChild(box_);
      row.appendChild(document.createTextNode(" " + option.textContent));
      list.appendChild(row);
      rows.push({row: row, text: fold(option.textContent)});
    });
    filter.addEventListener("input", function () {
      var words = fold(filter.value).split(/\s+/).filter(Boolean);
      rows.forEach(function (entry) {
        entry.row.hidden = !words.every(function (word) { return entry.text.indexOf(word) !== -1; });
      });
    });
    filter.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); }  // Enter filters; it does not send the form
    });
    box.appendChild(filter);
    box.appendChild(summary);
    box.appendChild(list);
    select.hidden = true;
    select.setAttribute("data-enhanced", "");
    select.parentNode.insertBefore(box, select.nextSibling);
    count();
  }

  document.querySelectorAll("select[multiple]:not([data-plain])").forEach(enhanceSelect);

  // --- 3. date picker keeping dd/mm/yyyy ---------------------------------------------------------
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function toIso(text) {
    var match = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$/.exec(text);
    if (!match) { return ""; }
    var day = Number(match[1]), month = Number(match[2]), year = Number(match[3]);
    var date = new Date(Date.UTC(year, month - 1, day));
    if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) { return ""; }
    return year + "-" + pad(month) + "-" + pad(day);
  }
  function fromIso(iso) {
    var parts = iso.split("-");
    return parts.length === 3 ? parts[2] + "/" + parts[1] + "/" + parts[0] : "";
  }

  // A calendar drawn in SVG (an emoji may have no font to show it in), built as DOM: no inline markup.
  function calendarIcon() {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", "20");
    svg.setAttribute("height", "20");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    [["rect", {x: "3", y: "5", width: "18", height: "16", rx: "2"}],
     ["line", {x1: "3", y1: "10", x2: "21", y2: "10"}],
     ["line", {x1: "8", y1: "3", x2: "8", y2: "7"}],
     ["line", {x1: "16", y1: "3", x2: "16", y2: "7"}]].forEach(function (shape) {
      var node = document.createElementNS(ns, shape[0]);
      Object.keys(shape[1]).forEach(function (name) { node.setAttribute(name, shape[1][name]); });
      node.setAttribute("fill", "none");
      node.setAttribute("stroke", "currentColor");
      node.setAttribute("stroke-width", "2");
      svg.appendChild(node);
    });
    return svg;
  }

  function enhanceDate(text) {
    var wrap = document.createElement("span");
    wrap.className = "date-pick";
    var native = document.createElement("input");
    native.type = "date";
    native.tabIndex = -1;
    native.className = "date-pick-native";
    native.setAttribute("aria-hidden", "true");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "secondary outline date-pick-button";
    button.appendChild(calendarIcon());
    button.title = label("pick-label", "Chọn ngày");
    // Its name does not repeat the field's label, so that the label still names the text field alone.
    button.setAttribute("aria-label", label("pick-label", "Chọn ngày"));
    if (text.id) { button.setAttribute("aria-controls", text.id); }
    text.parentNode.insertBefore(wrap, text);
    wrap.appendChild(text);
    wrap.appendChild(button);
    wrap.appendChild(native);
    native.value = toIso(text.value);
    text.addEventListener("input", function () { native.value = toIso(text.value); });
    native.addEventListener("change", function () {
      if (native.value) {
        text.value = fromIso(native.value);
        text.dispatchEvent(new Event("input", {bubbles: true}));
      }
    });
    button.addEventListener("click", function () {
      native.value = toIso(text.value);
      if (typeof native.showPicker === "function") {
        try { native.showPicker(); return; } catch (error) { /* not allowed here: show the field */ }
      }
      native.classList.add("date-pick-shown");
      native.tabIndex = 0;
      native.removeAttribute("aria-hidden");
      native.focus();
    });
  }

  document.querySelectorAll("input[data-vn-date]").forEach(enhanceDate);
}());
