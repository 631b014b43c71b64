/* Prism UI behaviours: small, framework-free, each bound by a data- attribute. */
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  /* --- unsaved changes ------------------------------------------------- */
  var dirtyForms = new Set();

  function markDirty(form) {
    if (!form || !form.hasAttribute("data-warn-unsaved")) return;
    dirtyForms.add(form);
    var note = form.querySelector("[data-unsaved-note]");
    if (note) note.hidden = false;
  }

  document.addEventListener("input", function (event) {
    markDirty(event.target.form || event.target.closest("form"));
  });
  document.addEventListener("change", function (event) {
    markDirty(event.target.form || event.target.closest("form"));
  });
  document.addEventListener("submit", function (event) {
    dirtyForms.delete(event.target);
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirtyForms.size === 0) return;
    event.preventDefault();
    event.returnValue = "";
  });

  /* --- rich text toolbar ----------------------------------------------- */
  function wrapSelection(textarea, tag, list) {
    var start = textarea.selectionStart, end = textarea.selectionEnd;
    var text = textarea.value, chosen = text.slice(start, end) || "text";
    var wrapped = "<" + tag + ">" + chosen + "</" + tag + ">";
    if (list) wrapped = "<" + list + ">" + wrapped + "</" + list + ">";
    textarea.setRangeText(wrapped, start, end, "select");
    textarea.focus();
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-rte] [data-wrap]");
    if (!button) return;
    var textarea = button.closest("[data-rte]").querySelector("textarea");
    wrapSelection(textarea, button.dataset.wrap, button.dataset.list);
  });

  /* --- asset lists: drag, move, remove, pick --------------------------- */
  function initSortables(root) {
    if (!window.Sortable) return;
    root.querySelectorAll("[data-sortable]").forEach(function (list) {
      if (list.dataset.sortableReady) return;
      list.dataset.sortableReady = "1";
      window.Sortable.create(list, {
        animation: 120,
        onEnd: function () { markDirty(list.closest("form")); }
      });
    });
  }

  document.addEventListener("click", function (event) {
    var remove = event.target.closest(".asset-list [data-remove]");
    if (remove) {
      var item = remove.closest("li"), form = item.closest("form");
      item.remove();
      markDirty(form);
      return;
    }
    var move = event.target.closest(".asset-list [data-move]");
    if (move) {
      var li = move.closest("li"), step = parseInt(move.dataset.move, 10);
      var sibling = step < 0 ? li.previousElementSibling : li.nextElementSibling;
      if (sibling) {
        if (step < 0) sibling.before(li); else sibling.after(li);
        move.focus();
        markDirty(li.closest("form"));
      }
      return;
    }
    var pick = event.target.closest("[data-pick-asset]");
    if (pick) {
      if (addAsset(pick.dataset.list, pick.dataset.name, pick.dataset.code, pick.dataset.thumb)) {
        pick.setAttribute("aria-pressed", "true");
      }
    }
  });

  function button(text, label, data) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = text;
    b.setAttribute("aria-label", label);
    b.style.position = "static";
    Object.keys(data).forEach(function (key) { b.dataset[key] = data[key]; });
    return b;
  }

  /* Add an asset to an editor's asset list (the same markup as _asset_item.html). */
  function addAsset(listId, name, code, thumb) {
    var list = document.getElementById(listId);
    if (!list || !code) return false;
    var exists = Array.from(list.querySelectorAll("li")).some(function (li) {
      return li.dataset.code === code;
    });
    if (exists) return false;
    var li = document.createElement("li");
    li.dataset.code = code;
    var input = document.createElement("input");
    input.type = "hidden"; input.name = name; input.value = code;
    li.appendChild(input);
    if (thumb) {
      var img = document.createElement("img");
      img.src = thumb; img.alt = ""; img.dataset.thumb = "";
      li.appendChild(img);
    }
    var text = document.createElement("span");
    text.textContent = code;
    li.appendChild(text);
    var actions = document.createElement("span");
    actions.className = "row";
    actions.style.justifyContent = "center";
    actions.append(button("◀", "Move " + code + " earlier", { move: "-1" }),
                   button("▶", "Move " + code + " later", { move: "1" }),
                   button("×", "Remove " + code, { remove: "" }));
    li.appendChild(actions);
    list.appendChild(li);
    markDirty(list.closest("form"));
    return true;
  }

  document.addEventListener("prism:uploaded", function (event) {
    var zone = event.target.closest("[data-pick-into]");
    if (zone) addAsset(zone.dataset.pickInto, zone.dataset.name, event.detail.code, event.detail.thumbnail);
  });

  /* a search box inside the editor form must not submit the form */
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.closest("[data-no-submit]")) {
      event.preventDefault();
      htmx.trigger(event.target, "search");
    }
  });

  /* thumbnails of files that have none (a PDF) give way to a placeholder */
  document.addEventListener("error", function (event) {
    var img = event.target;
    if (img.tagName === "IMG" && img.hasAttribute("data-thumb")) {
      var empty = document.createElement("span");
      empty.className = "thumb-empty";
      empty.setAttribute("aria-hidden", "true");
      img.replaceWith(empty);
    }
  }, true);

  /* --- grid selection -------------------------------------------------- */
  function updateSelection(root) {
    var form = root.querySelector ? root.querySelector("#bulk-form") : null;
    form = form || document.getElementById("bulk-form");
    if (!form) return;
    var count = form.querySelectorAll("[data-select-row]:checked").length;
    var label = form.querySelector("[data-selected-count]");
    if (label) label.textContent = String(count);
  }

  document.addEventListener("change", function (event) {
    var all = event.target.closest("[data-select-all]");
    if (all) {
      all.closest("table").querySelectorAll("[data-select-row]").forEach(function (box) {
        box.checked = all.checked;
      });
    }
    if (event.target.closest("[data-select-row], [data-select-all]")) updateSelection(document);
  });

  /* --- file uploads with progress per file ----------------------------- */
  function uploadOne(zone, file, list) {
    var row = document.createElement("li");
    var name = document.createElement("span");
    name.textContent = file.name;
    var bar = document.createElement("progress");
    bar.max = 100; bar.value = 0;
    bar.setAttribute("aria-label", "Upload of " + file.name);
    var status = document.createElement("span");
    status.textContent = "waiting";
    status.setAttribute("role", "status");
    row.append(name, bar, status);
    list.appendChild(row);
    var data = new FormData();
    data.append("file", file, file.name);
    (zone.querySelectorAll("[data-upload-extra]") || []).forEach(function (input) {
      if (input.name && input.value) data.append(input.name, input.value);
    });
    var xhr = new XMLHttpRequest();
    xhr.open("POST", zone.dataset.uploadUrl);
    xhr.setRequestHeader("X-CSRFToken", csrfToken());
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) {
        bar.value = Math.round(100 * e.loaded / e.total);
        status.textContent = bar.value + "%";
      }
    });
    xhr.addEventListener("load", function () {
      var reply = {};
      try { reply = JSON.parse(xhr.responseText); } catch (err) { reply = {}; }
      if (xhr.status >= 200 && xhr.status < 300) {
        bar.value = 100;
        var linked = (reply.linked || []).length ? " (linked to " + reply.linked.join(", ") + ")" : "";
        status.textContent = "done: " + (reply.code || "") + linked;
        row.dataset.code = reply.code || "";
        row.classList.add("uploaded");
        zone.dispatchEvent(new CustomEvent("prism:uploaded", { bubbles: true, detail: reply }));
      } else {
        status.textContent = "refused: " + (reply.message || xhr.statusText);
        row.classList.add("failed");
      }
    });
    xhr.addEventListener("error", function () { status.textContent = "failed: network error"; });
    xhr.send(data);
  }

  function uploadList(zone) {
    var list = zone.querySelector(".uploads") || zone.appendChild(document.createElement("ul"));
    list.classList.add("uploads");
    return list;
  }

  /* files chosen in a drop zone's file input: listened to on the document, so a zone
     just swapped in by htmx takes them before its own set-up has run */
  document.addEventListener("change", function (event) {
    var input = event.target;
    var zone = input.matches && input.matches("input[type=file]") &&
      input.closest("[data-upload-url]");
    if (!zone) return;
    var list = uploadList(zone);
    Array.from(input.files).forEach(function (file) { uploadOne(zone, file, list); });
    input.value = "";
  });

  function initDropzones(root) {
    root.querySelectorAll("[data-upload-url]").forEach(function (zone) {
      if (zone.dataset.dropReady) return;
      zone.dataset.dropReady = "1";
      var list = uploadList(zone);
      ["dragenter", "dragover"].forEach(function (name) {
        zone.addEventListener(name, function (e) { e.preventDefault(); zone.classList.add("over"); });
      });
      ["dragleave", "drop"].forEach(function (name) {
        zone.addEventListener(name, function (e) { e.preventDefault(); zone.classList.remove("over"); });
      });
      zone.addEventListener("drop", function (e) {
        Array.from(e.dataTransfer.files).forEach(function (file) { uploadOne(zone, file, list); });
      });
    });
  }

  /* --- focal point: click on the image --------------------------------- */
  document.addEventListener("click", function (event) {
    var image = event.target.closest("[data-focal] img");
    if (!image) return;
    var box = image.closest("[data-focal]"), rect = image.getBoundingClientRect();
    var x = (event.clientX - rect.left) / rect.width, y = (event.clientY - rect.top) / rect.height;
    x = Math.min(1, Math.max(0, x)); y = Math.min(1, Math.max(0, y));
    var form = document.getElementById(box.dataset.focal);
    form.querySelector("[name=focal_x]").value = x.toFixed(4);
    form.querySelector("[name=focal_y]").value = y.toFixed(4);
    var dot = box.querySelector(".dot");
    if (dot) { dot.style.left = (100 * x) + "%"; dot.style.top = (100 * y) + "%"; dot.hidden = false; }
  });

  /* --- start-up, and again after each htmx swap ------------------------- */
  function init(root) {
    initSortables(root);
    initDropzones(root);
    updateSelection(root);
  }

  document.addEventListener("DOMContentLoaded", function () {
    init(document);
    var summary = document.getElementById("error-summary");
    if (summary) summary.focus();
  });
  document.addEventListener("htmx:load", function (event) { init(event.target); });
})();
