// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Confirm buttons that carry data-confirm before their form is sent.
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (button && button.dataset.confirm && !window.confirm(button.dataset.confirm)) {
      event.preventDefault();
    }
  });

  // --- links to a form further down (data-opens-form): open the <details> it sits in, focus its first field ---
  function openForm(target) {
    if (!target) { return false; }
    for (var el = target; el; el = el.parentElement) {
      if (el.tagName === "DETAILS") { el.open = true; }
    }
    var first = target.matches("input, select, textarea") ? target
      : target.querySelector("input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled])");
    (first || target).focus();
    return true;
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-opens-form]");
    if (!link) { return; }
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (openForm(target)) {
      event.preventDefault();
      history.replaceState(null, "", link.getAttribute("href"));
      target.scrollIntoView({ block: "start" });
    }
  });

  // --- list tables stack into cards on a phone: each cell names its column (style.css) ------------
  Array.prototype.forEach.call(document.querySelectorAll("table.list"), function (table) {
    var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) { return th.textContent.trim(); });
    Array.prototype.forEach.call(table.querySelectorAll("tbody tr"), function (row) {
      Array.prototype.forEach.call(row.children, function (cell, index) {
        if (!cell.hasAttribute("data-label") && heads[index]) { cell.setAttribute("data-label", heads[index]); }
      });
    });
  });

  // --- the source picker: suggestions while typing, from the URL in its data-source-picker ----------
  // Without JavaScript the same inputs are plain text: a name is found or created on save.
  var timers = new WeakMap();
  function suggest(input) {
    var list = input.list;
    var q = input.value.trim();
    if (!list || q.length < 2 || !input.dataset.sourcePicker) { return; }
    var url = new URL(input.dataset.sourcePicker, window.location.href);
    if (url.origin !== window.location.origin) { return; }  // suggestions come from this site only
    url.searchParams.set("q", q);
    fetch(url.href, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(function (sources) {
        list.textContent = "";
        sources.forEach(function (source) {
          var option = document.createElement("option");
          option.value = source.name;
          option.label = source.name + " (" + source.kind + ")";
          list.appendChild(option);
        });
      })
      .catch(function () { /* suggestions are a convenience; typing still works */ });
  }
  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("[data-source-picker]")) { return; }
    clearTimeout(timers.get(input));
    timers.set(input, setTimeout(function () { suggest(input); }, 200));
  });

  // --- the restatement length hint: ClaimReview's claim reviewed is the restatement --------------
  var counter = document.querySelector("[data-restatement-length]");
  var restatement = document.getElementById("restatement");
  if (counter && restatement) {
    var limit = parseInt(counter.dataset.limit, 10) || 75;
    var update = function () {
      var n = restatement.value.length;
      counter.textContent = n + " characters" + (n >= limit ? " — too long for ClaimReview's claim reviewed; keep it under " + limit + "." : ".");
      counter.classList.toggle("too-long", n >= limit);
    };
    restatement.addEventListener("input", update);
  }

  // --- keyboard shortcuts: n next, a a approve, r return, j/k move, Enter open -------------------------
  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }
  var rows = Array.prototype.slice.call(document.querySelectorAll("[data-keyboard-list] tbody tr"));
  var current = -1;
  function select(index) {
    if (!rows.length) { return; }
    if (current >= 0) { rows[current].classList.remove("is-current"); }
    current = Math.max(0, Math.min(rows.length - 1, index));
    rows[current].classList.add("is-current");
    rows[current].scrollIntoView({ block: "nearest" });
    var link = rows[current].querySelector("a");
    if (link) { link.focus({ preventScroll: true }); }
  }
  var approveArmed = false;
  document.addEventListener("focusout", function (event) {
    if (event.target.matches && event.target.matches('[data-shortcut="a"]')) {
      approveArmed = false;
      var ask = document.getElementById("approve-ask");
      if (ask) { ask.hidden = true; }
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) { return; }
    var key = event.key;
    if (key === "j") { select(current + 1); event.preventDefault(); return; }
    if (key === "k") { select(current - 1); event.preventDefault(); return; }
    if (key === "n") {
      var form = document.querySelector('form[data-shortcut-form="n"]');
      if (form) { event.preventDefault(); form.requestSubmit ? form.requestSubmit() : form.submit(); }
      return;
    }
    if (key === "a") {
      // Approving publishes: the first press only arms it and moves the focus to the button (a stray key,
      // or one held down, sends nothing); a second, separate press while it is armed sends it (as Enter on
      // the focused button does).
      var approve = document.querySelector('[data-shortcut="a"]');
      if (!approve) { return; }
      event.preventDefault();
      if (event.repeat) { return; }
      if (approveArmed && document.activeElement === approve) { approve.click(); return; }
      approveArmed = true;
      approve.focus();
      approve.scrollIntoView({ block: "nearest" });
      var ask = document.getElementById("approve-ask");
      if (ask) { ask.hidden = false; }
      return;
    }
    if (key === "r") {
      // Returning needs a comment: focus it first; the second press sends the form.
      var comment = document.getElementById("comment");
      var send = document.querySelector('[data-shortcut="r"]');
      if (comment && !comment.value.trim()) { event.preventDefault(); comment.focus(); return; }
      if (send) { event.preventDefault(); send.click(); }
    }
  });
})();
