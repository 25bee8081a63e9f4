/*
 * ML Design Registry: small progressive enhancements, no dependencies.
 *
 * Loaded with `defer` under a CSP of `script-src 'self'`: no eval, no inline handlers.
 * Every page works without this file; it only adds comfort. The data-attribute API:
 *
 *   <form data-warn-unsaved>            warn before leaving with unsaved changes; cleared on
 *                                        submit. data-warn-unsaved="dirty" starts it as
 *                                        unsaved (e.g. a conflict page holding the user's text).
 *   <template data-row-template="NAME">  one row of an editable table, with inputs named
 *                                        NAME-__index__-field (Django formset convention)
 *   <tbody data-rows="NAME">             the rows; a child with data-rows-empty is shown
 *                                        only while there are no rows
 *   <button data-add-row="NAME">         append a row from the template
 *   <button data-remove-row>             remove its row (or, if the row has a NAME-N-DELETE
 *                                        checkbox, tick it and hide the row)
 *   <button data-move-row="up|down">     move its row
 *   <span data-row-number>               filled with the row's 1-based position
 *     After every change rows are re-indexed NAME-0-…, NAME-1-…, NAME-TOTAL_FORMS is
 *     updated, any NAME-N-ORDER input renumbered, and a `rows-changed` event bubbles from
 *     the tbody (usable as an hx-trigger).
 *   data-confirm="Message"               on a form, submit button, link or button: ask first
 *   <input type="checkbox" data-compare> at most two checked per form; buttons with
 *                                        data-compare-submit are enabled at exactly two
 */
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  /* ------------------------------------------------------------ announcements */

  var liveRegion = null;

  function announce(text) {
    if (!liveRegion) {
      liveRegion = document.createElement("div");
      liveRegion.className = "visually-hidden";
      liveRegion.setAttribute("role", "status");
      liveRegion.setAttribute("aria-live", "polite");
      document.body.appendChild(liveRegion);
    }
    liveRegion.textContent = "";
    // Set after a tick so that the same message twice is announced twice.
    window.setTimeout(function () {
      liveRegion.textContent = text;
    }, 50);
  }

  function attrSelector(attr, value) {
    return "[" + attr + '="' + CSS.escape(value) + '"]';
  }

  /* ------------------------------------------------------------ (a) unsaved changes */

  var snapshots = new WeakMap();
  var submitting = new WeakSet();

  function serialize(form) {
    var parts = [];
    new FormData(form).forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken") return;
      parts.push(name + "=" + (typeof value === "string" ? value : value.name + ":" + value.size));
    });
    return parts.join("&");
  }

  // A null snapshot means "unsaved from the start".
  function watch(form, force) {
    if (snapshots.has(form) && !force) return;
    snapshots.set(form, form.getAttribute("data-warn-unsaved") === "dirty" ? null : serialize(form));
  }

  function isDirty(form) {
    if (!snapshots.has(form) || submitting.has(form)) return false;
    var snapshot = snapshots.get(form);
    return snapshot === null || snapshot !== serialize(form);
  }

  window.addEventListener("beforeunload", function (event) {
    var forms = document.querySelectorAll("form[data-warn-unsaved]");
    for (var i = 0; i < forms.length; i++) {
      if (isDirty(forms[i])) {
        event.preventDefault();
        event.returnValue = ""; // Older browsers need it set to show the prompt.
        return;
      }
    }
  });

  // Bubble phase: runs only if no data-confirm refused the submission (see below).
  document.addEventListener("submit", function (event) {
    if (event.target.matches("form[data-warn-unsaved]")) submitting.add(event.target);
  });

  // A form submitted by htmx does not unload the page: once its own request is answered,
  // watch it again (clean after a success, unless the server marked it "dirty").
  document.addEventListener("htmx:afterRequest", function (event) {
    var detail = event.detail || {};
    var elt = detail.elt;
    if (!elt) return;
    var form = elt.tagName === "FORM" ? elt : elt.form;
    if (!form || !snapshots.has(form)) return;
    var trigger = detail.requestConfig && detail.requestConfig.triggeringEvent;
    // Requests from inside the form (a live preview, say) are not saves.
    if (elt !== form && !(trigger && trigger.type === "submit")) return;
    submitting.delete(form);
    if (detail.successful) watch(form, true);
  });

  // htmx swaps no 4xx answer by default; a 429 (a rate limit, say the live preview's)
  // carries a message meant for its target, so show it there.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail && event.detail.xhr;
    if (xhr && xhr.status === 429) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // Back/forward cache: the page is shown again, nothing is being submitted any more.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) submitting = new WeakSet();
  });

  /* ------------------------------------------------------------ (d) confirmation */

  function confirmed(element) {
    var message = element && element.getAttribute("data-confirm");
    return !message || window.confirm(message);
  }

  // Capture phase, so that a refusal stops htmx and every other listener too.
  document.addEventListener(
    "submit",
    function (event) {
      var submitter = event.submitter;
      var source = submitter && submitter.hasAttribute("data-confirm") ? submitter : event.target;
      if (!confirmed(source)) {
        event.preventDefault();
        event.stopPropagation();
      }
    },
    true
  );

  document.addEventListener(
    "click",
    function (event) {
      var element = event.target.closest("a[data-confirm], button[data-confirm]");
      if (!element) return;
      // Submit buttons are asked on the form's submit event (which Enter also fires).
      if (element.tagName === "BUTTON" && element.type === "submit" && element.form) return;
      if (!confirmed(element)) {
        event.preventDefault();
        event.stopPropagation();
      }
    },
    true
  );

  /* ------------------------------------------------------------ (b) editable rows */

  function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  var INDEXED_ATTRIBUTES = ["name", "id", "for", "aria-describedby", "aria-labelledby", "aria-controls"];

  function scopeOf(element) {
    return element.closest("form") || document;
  }

  function rowsOf(container) {
    return Array.prototype.filter.call(container.children, function (child) {
      return child.tagName !== "TEMPLATE" && !child.hasAttribute("data-rows-empty");
    });
  }

  function isDeleted(row) {
    return row.hasAttribute("data-row-deleted");
  }

  function visibleRowsOf(container) {
    return rowsOf(container).filter(function (row) {
      return !isDeleted(row);
    });
  }

  function rowOf(element, container) {
    var row = element;
    while (row && row.parentElement !== container) row = row.parentElement;
    return row;
  }

  function managementInput(scope, name, key) {
    return (
      scope.querySelector(attrSelector("name", name + "-" + key)) ||
      document.querySelector(attrSelector("name", name + "-" + key))
    );
  }

  function findTemplate(scope, name) {
    var selector = "template" + attrSelector("data-row-template", name);
    return scope.querySelector(selector) || document.querySelector(selector);
  }

  function reindex(container) {
    var name = container.getAttribute("data-rows");
    var pattern = new RegExp(escapeRegExp(name) + "-(?:\\d+|__index__)-", "g");
    var rows = rowsOf(container);
    rows.forEach(function (row, index) {
      var replacement = name + "-" + index + "-";
      var elements = [row].concat(Array.prototype.slice.call(row.querySelectorAll("*")));
      elements.forEach(function (element) {
        INDEXED_ATTRIBUTES.forEach(function (attribute) {
          var value = element.getAttribute(attribute);
          if (value && value.indexOf(name + "-") !== -1) {
            element.setAttribute(attribute, value.replace(pattern, replacement));
          }
        });
      });
    });

    var visible = visibleRowsOf(container);
    visible.forEach(function (row, position) {
      row.querySelectorAll("[data-row-number]").forEach(function (element) {
        element.textContent = String(position + 1);
      });
      var order = row.querySelector('input[name$="-ORDER"]');
      if (order) order.value = String(position + 1);
      var up = row.querySelector('[data-move-row="up"]');
      var down = row.querySelector('[data-move-row="down"]');
      if (up) up.disabled = position === 0;
      if (down) down.disabled = position === visible.length - 1;
    });

    var total = managementInput(scopeOf(container), name, "TOTAL_FORMS");
    if (total) total.value = String(rows.length);

    container.querySelectorAll("[data-rows-empty]").forEach(function (element) {
      element.hidden = visible.length > 0;
    });

    var max = managementInput(scopeOf(container), name, "MAX_NUM_FORMS");
    var limit = max ? parseInt(max.value, 10) : NaN;
    scopeOf(container)
      .querySelectorAll("button" + attrSelector("data-add-row", name))
      .forEach(function (button) {
        button.disabled = !isNaN(limit) && rows.length >= limit;
      });
  }

  function rowsChanged(container) {
    reindex(container);
    container.dispatchEvent(
      new CustomEvent("rows-changed", { bubbles: true, detail: { name: container.getAttribute("data-rows") } })
    );
  }

  function focusFirstField(row) {
    var field = row.querySelector("input:not([type=hidden]):not([disabled]), select, textarea");
    if (field) field.focus();
  }

  function addRow(button) {
    var name = button.getAttribute("data-add-row");
    var scope = scopeOf(button);
    var container =
      scope.querySelector(attrSelector("data-rows", name)) || document.querySelector(attrSelector("data-rows", name));
    var template = findTemplate(scope, name);
    if (!container || !template || !template.content.firstElementChild) return;
    var row = template.content.firstElementChild.cloneNode(true);
    container.appendChild(row);
    rowsChanged(container);
    if (window.htmx) window.htmx.process(row);
    focusFirstField(row);
    announce("Row " + visibleRowsOf(container).length + " added.");
  }

  function removeRow(button) {
    var container = button.closest("[data-rows]");
    if (!container) return;
    var row = rowOf(button, container);
    var before = visibleRowsOf(container);
    var position = before.indexOf(row);
    var deleteBox = row.querySelector('input[type="checkbox"][name$="-DELETE"]');
    if (deleteBox) {
      // A row the server already holds: Django deletes it when DELETE is ticked.
      deleteBox.checked = true;
      row.setAttribute("data-row-deleted", "");
      row.hidden = true;
    } else {
      row.remove();
    }
    rowsChanged(container);

    var after = visibleRowsOf(container);
    var next = after[Math.min(position, after.length - 1)];
    var target = next && next.querySelector("[data-remove-row]");
    if (!target) {
      target = scopeOf(container).querySelector(attrSelector("data-add-row", container.getAttribute("data-rows")));
    }
    if (target) target.focus();
    announce("Row " + (position + 1) + " removed. " + after.length + " left.");
  }

  function moveRow(button) {
    var direction = button.getAttribute("data-move-row");
    var container = button.closest("[data-rows]");
    if (!container) return;
    var row = rowOf(button, container);
    var rows = visibleRowsOf(container);
    var index = rows.indexOf(row);
    var other = direction === "up" ? rows[index - 1] : rows[index + 1];
    if (!other) return;
    container.insertBefore(row, direction === "up" ? other : other.nextSibling);
    rowsChanged(container);
    // The pressed button may now be disabled (first or last row): keep focus in the row.
    var focus = button.disabled ? row.querySelector('[data-move-row]:not([disabled])') : button;
    if (focus) focus.focus();
    var newIndex = visibleRowsOf(container).indexOf(row);
    announce("Row moved to position " + (newIndex + 1) + " of " + rows.length + ".");
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-add-row], [data-remove-row], [data-move-row]");
    if (!button || button.disabled) return;
    event.preventDefault();
    if (button.hasAttribute("data-add-row")) addRow(button);
    else if (button.hasAttribute("data-remove-row")) removeRow(button);
    else moveRow(button);
  });

  /* ------------------------------------------------------------ (e) revision compare */

  var COMPARE = 'input[type="checkbox"][data-compare]';

  function updateCompare(scope) {
    var boxes = Array.prototype.slice.call(scope.querySelectorAll(COMPARE));
    var checked = boxes.filter(function (box) {
      return box.checked;
    }).length;
    boxes.forEach(function (box) {
      if (!box.checked) box.disabled = checked >= 2;
    });
    scope.querySelectorAll("[data-compare-submit]").forEach(function (button) {
      button.disabled = checked !== 2;
    });
    return checked;
  }

  document.addEventListener("change", function (event) {
    if (!event.target.matches(COMPARE)) return;
    if (updateCompare(scopeOf(event.target)) === 2) {
      announce("Two revisions selected. Compare them, or clear one to pick another.");
    }
  });

  /* ------------------------------------------------------------ start (and after htmx swaps) */

  function init(root) {
    if (!root || !root.querySelectorAll) return;
    var containers = Array.prototype.slice.call(root.querySelectorAll("[data-rows]"));
    if (root.matches && root.matches("[data-rows]")) containers.push(root);
    containers.forEach(reindex);

    var scopes = new Set();
    root.querySelectorAll(COMPARE).forEach(function (box) {
      scopes.add(scopeOf(box));
    });
    scopes.forEach(updateCompare);

    var forms = Array.prototype.slice.call(root.querySelectorAll("form[data-warn-unsaved]"));
    if (root.matches && root.matches("form[data-warn-unsaved]")) forms.push(root);
    forms.forEach(function (form) {
      watch(form, false);
    });
  }

  // A risk row's level and score, as the server renders them, follow its likelihood and
  // impact selects. The matrix (not symmetric) comes from the page: data-risk-matrix on
  // the rows' wrapper, {"likelihood,impact": [level value, level label]}.
  function updateRiskLevel(row, matrix) {
    var output = row.querySelector("[data-risk-level]");
    var likelihood = row.querySelector("select[name$='-likelihood']");
    var impact = row.querySelector("select[name$='-impact']");
    if (!output || !likelihood || !impact) return;
    var level = matrix[likelihood.value + "," + impact.value];
    output.className = "badge " + (level ? "badge--risk-" + level[0] : "badge--neutral");
    output.textContent = level
      ? level[1] + " · " + Number(likelihood.value) * Number(impact.value)
      : "Choose likelihood and impact";
  }

  document.addEventListener("change", function (event) {
    var wrapper = event.target.closest && event.target.closest("[data-risk-matrix]");
    var row = event.target.closest && event.target.closest("tr");
    if (!wrapper || !row) return;
    updateRiskLevel(row, JSON.parse(wrapper.getAttribute("data-risk-matrix")));
  });

  init(document);
  document.addEventListener("htmx:load", function (event) {
    init(event.target);
  });
})();
