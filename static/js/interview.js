// Interview page: conditional items, progress, and the saved/unsaved state around
// htmx autosave. No inline script anywhere (CSP); everything hangs off data-attributes.
(function () {
  "use strict";
  var form = document.getElementById("interview-form");
  if (!form) return;
  var status = document.getElementById("save-status");

  function valuesOf(name) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name === name && ((el.type !== "radio" && el.type !== "checkbox") || el.checked) && el.value !== "";
    }).map(function (el) { return el.value; });
  }

  function applyConditions() {
    form.querySelectorAll("[data-visible-item]").forEach(function (block) {
      var current = valuesOf(block.dataset.visibleItem);
      var listed = block.dataset.visibleValues.split(" ");
      var hit = current.some(function (v) { return listed.indexOf(v) !== -1; });
      var show = block.dataset.visibleMode === "in" ? hit : !hit;
      block.classList.toggle("is-hidden", !show);
      block.querySelectorAll("input, select, textarea").forEach(function (el) { el.disabled = !show; });
    });
  }

  function updateProgress() {
    var total = 0, answered = 0;
    form.querySelectorAll(".interview-section").forEach(function (section) {
      var t = 0, a = 0;
      section.querySelectorAll(".interview-item:not(.is-hidden)").forEach(function (item) {
        var names = {};
        item.querySelectorAll("input, textarea, select").forEach(function (el) { names[el.name] = true; });
        Object.keys(names).forEach(function (name) { t += 1; if (valuesOf(name).length) a += 1; });
      });
      total += t; answered += a;
      var badge = document.querySelector('[data-section-count="' + section.id + '"]');
      if (badge) badge.textContent = a + "/" + t;
    });
    var pct = total ? Math.round(100 * answered / total) : 0;
    var bar = document.getElementById("progress-bar");
    bar.style.width = pct + "%";
    bar.textContent = pct + "%";
    document.getElementById("progress").setAttribute("aria-valuenow", String(pct));
  }

  function setStatus(text, state) {
    status.textContent = text;
    status.dataset.state = state;
  }

  // Names of the items changed on this tab since it loaded: after a conflict, these
  // (and only these) are what the clinician can re-apply over the saved version.
  var dirty = {};
  form.addEventListener("input", function (event) {
    if (event.target.name) dirty[event.target.name] = true;
    setStatus(form.dataset.unsaved, "unsaved");
  });
  form.addEventListener("change", function (event) {
    if (event.target.name && event.target.name !== "finalize_incomplete") dirty[event.target.name] = true;
  });

  // Length counters for text answers; text over the limit is refused by the server
  // with a message, never cut silently (no maxlength attribute).
  function updateCounter(area) {
    var max = parseInt(area.dataset.maxLength, 10);
    var counter = document.getElementById("count-" + area.name);
    if (!counter || !max) return;
    var count = area.value.length;
    counter.textContent = form.dataset.countTemplate.replace("%(count)s", count).replace("%(max)s", max);
    counter.classList.toggle("text-danger", count > max);
    counter.classList.toggle("fw-semibold", count > max);
    var error = document.getElementById("err-" + area.name);
    if (error && count > max) {
      error.textContent = form.dataset.overTemplate.replace("%(over)s", count - max);
    } else if (error && error.dataset.fromCounter) {
      error.textContent = "";
    }
    if (error) error.dataset.fromCounter = count > max ? "1" : "";
  }
  form.querySelectorAll("textarea[data-max-length]").forEach(function (area) {
    updateCounter(area);
    area.addEventListener("input", function () { updateCounter(area); });
  });
  // "None" and the real options exclude each other within one checkbox group: the
  // form's own "None of these", or a question set's "none" option (cadi@2), which the
  // server refuses in company.
  function isNone(value) { return value === "__none_of_these__" || value === "none"; }
  form.addEventListener("change", function (event) {
    var box = event.target;
    if (box.type === "checkbox" && box.checked) {
      form.querySelectorAll('input[type="checkbox"][name="' + box.name + '"]').forEach(function (other) {
        if (other !== box && (isNone(box.value) || isNone(other.value))) other.checked = false;
      });
    }
    applyConditions();
    updateProgress();
  });
  form.addEventListener("htmx:beforeRequest", function () { setStatus(form.dataset.saving, "saving"); });
  // A lost connection keeps the answers on the page and retries on the next change.
  form.addEventListener("htmx:afterSwap", function () {
    var inner = status.querySelector("[data-state]");
    status.dataset.state = inner ? inner.dataset.state : "saved";
  });
  form.addEventListener("htmx:sendError", function () { setStatus(form.dataset.offline, "offline"); });
  form.addEventListener("htmx:configRequest", function (event) {
    // Hidden (conditional) items are disabled, so they are not sent.
    event.detail.parameters.lock_version = document.getElementById("lock-version").value;
    delete event.detail.parameters.password;
    delete event.detail.parameters.finalize_incomplete;
  });
  // Finalizing while an autosave is in flight would quote a stale lock version:
  // hold the submission until the save has answered.
  var held = false, heldSubmitter = null;
  form.addEventListener("submit", function (event) {
    if (form.classList.contains("htmx-request")) {
      event.preventDefault();
      held = true;
      heldSubmitter = event.submitter || null;
    }
  });
  form.addEventListener("htmx:afterRequest", function () {
    if (!held) return;
    held = false;
    // Let htmx finish swapping the new lock version in before submitting.
    window.setTimeout(function () { form.requestSubmit(heldSubmitter); }, 0);
  });
  window.addEventListener("online", function () {
    if (status.dataset.state === "offline" && window.htmx) window.htmx.trigger(form, "change");
  });
  window.addEventListener("beforeunload", function (event) {
    var state = status.dataset.state;
    if (state === "unsaved" || state === "offline" || state === "conflict" || state === "invalid") {
      event.preventDefault();
    }
  });

  // Two tabs: after a conflict the clinician chooses. "Re-apply" carries this tab's
  // changed answers across a reload (sessionStorage: this tab only, removed as soon as
  // they are applied) and saves them over the latest version; "discard" just reloads.
  var REAPPLY_KEY = "zeus-reapply:" + form.getAttribute("action");
  status.addEventListener("click", function (event) {
    var button = event.target.closest("[data-conflict]");
    if (!button) return;
    if (button.dataset.conflict === "reapply") {
      var mine = {};
      Object.keys(dirty).forEach(function (name) { mine[name] = valuesOf(name); });
      window.sessionStorage.setItem(REAPPLY_KEY, JSON.stringify(mine));
    }
    status.dataset.state = "reloading";
    window.location.reload();
  });

  function reapply() {
    var stored = window.sessionStorage.getItem(REAPPLY_KEY);
    if (!stored) return;
    window.sessionStorage.removeItem(REAPPLY_KEY);
    var mine = JSON.parse(stored);
    Object.keys(mine).forEach(function (name) {
      Array.prototype.forEach.call(form.elements, function (el) {
        if (el.name !== name) return;
        if (el.type === "radio" || el.type === "checkbox") {
          el.checked = mine[name].indexOf(el.value) !== -1;
        } else {
          el.value = mine[name].length ? mine[name][0] : "";
        }
      });
      dirty[name] = true;
    });
    applyConditions();
    updateProgress();
    form.querySelectorAll("textarea[data-max-length]").forEach(updateCounter);
    setStatus(form.dataset.reapplied, "unsaved");
    form.dispatchEvent(new Event("change", { bubbles: true }));
  }
  applyConditions();
  updateProgress();
  // After htmx has wired the form's triggers (it does so on DOMContentLoaded).
  window.addEventListener("load", reapply);
})();
