/* The inquiry basket: the products a buyer collects before sending one inquiry, kept in
   this browser only (localStorage "caravan-basket"; no cookie, nothing on the server), so
   public pages stay the same file for everyone. Lines are known by the product's
   translation key, so the basket survives a switch of language: the inquiry page picks
   the same products in the page's language.
   Without this script every "Add to inquiry" is a link to the inquiry page with that
   product's row filled in. */
(function () {
  "use strict";
  var KEY = "caravan-basket";
  var ROW = /items-(\d+|__prefix__)-/g;
  var status = document.querySelector("[data-basket-status]");
  var text = status ? status.dataset : {};

  function load() {
    try {
      var data = JSON.parse(localStorage.getItem(KEY) || "null");
      if (data && data.v === 1 && Array.isArray(data.lines)) {
        return data.lines.filter(function (line) { return line && line.key; });
      }
    } catch (e) { /* unreadable or blocked storage: an empty basket */ }
    return [];
  }

  function indexOf(lines, key) {
    for (var i = 0; i < lines.length; i++) if (lines[i].key === key) return i;
    return -1;
  }

  function show(lines) {
    document.querySelectorAll("[data-basket-link]").forEach(function (link) {
      link.hidden = !lines.length;
      link.querySelector("[data-basket-count]").textContent = lines.length;
    });
    document.querySelectorAll("button[data-basket-add]").forEach(function (button) {
      button.setAttribute("aria-pressed", indexOf(lines, button.dataset.productKey) >= 0);
    });
  }

  function save(lines, announce) {
    try {
      localStorage.setItem(KEY, JSON.stringify({ v: 1, lines: lines }));
    } catch (e) { /* storage full or blocked: the page still shows the change */ }
    show(lines);
    if (announce && status) status.textContent = text.label + " " + lines.length;
  }

  /* "Add to inquiry": a link without this script, a toggle button with it. */
  function enhance(link) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = link.className;
    Object.keys(link.dataset).forEach(function (name) { button.dataset[name] = link.dataset[name]; });
    while (link.firstChild) button.appendChild(link.firstChild);
    link.replaceWith(button);
  }

  function toggle(button) {
    var lines = load();
    var data = button.dataset;
    var at = indexOf(lines, data.productKey);
    if (at >= 0) {
      lines.splice(at, 1);
    } else {
      lines.push({
        key: data.productKey, id: Number(data.productId), lang: document.documentElement.lang,
        title: data.productTitle, url: data.productUrl, quantity: 1, unit: "piece", note: ""
      });
    }
    save(lines, true);
  }

  /* The inquiry page is the basket page: its formset rows (prefix "items") show the
     basket's lines, and every edit there is written back to the basket. */
  function field(row, name) { return row.querySelector("[name$='-" + name + "']"); }

  function lineOf(row, previous) {
    var select = field(row, "product");
    var option = select && select.options[select.selectedIndex];
    if (!option || !option.value || !option.dataset.key) return null;
    var before = previous[indexOf(previous, option.dataset.key)] || {};
    var quantity = field(row, "quantity"), unit = field(row, "unit"), note = field(row, "note");
    var amount = quantity ? quantity.value.trim() : "";
    return {
      key: option.dataset.key, id: Number(option.value), lang: document.documentElement.lang,
      title: option.textContent.trim(), url: before.url || "",
      quantity: amount !== "" && isFinite(amount) ? Number(amount) : amount,
      unit: unit ? unit.value : "piece", note: note ? note.value : ""
    };
  }

  function fill(row, line) {
    var select = field(row, "product");
    var option = select.querySelector("option[data-key='" + CSS.escape(line.key) + "']");
    if (!option) {
      /* Not published in this language: keep the line as the buyer chose it. */
      option = new Option(line.title, line.id);
      option.dataset.key = line.key;
      select.add(option);
    }
    select.value = option.value;
    var quantity = field(row, "quantity"), unit = field(row, "unit"), note = field(row, "note");
    if (quantity) quantity.value = line.quantity === undefined ? 1 : line.quantity;
    if (unit && line.unit && unit.querySelector("option[value='" + CSS.escape(line.unit) + "']")) unit.value = line.unit;
    if (note) note.value = line.note || "";
  }

  function basketPage(form) {
    var box = document.getElementById("inquiry-items");
    var template = document.getElementById("inquiry-item-template");
    var total = form.querySelector("[name='items-TOTAL_FORMS']");
    var most = form.querySelector("[name='items-MAX_NUM_FORMS']");
    if (!box || !template || !total) return;
    var more = document.createElement("button");
    more.type = "button";
    more.className = "button button--secondary basket-more";
    more.textContent = text.moreLabel;
    box.after(more);

    function rows() { return Array.prototype.slice.call(box.querySelectorAll(".inquiry-item")); }

    function renumber() {
      rows().forEach(function (row, index) {
        row.querySelectorAll("[name],[id],[for],[aria-describedby]").forEach(function (el) {
          ["name", "id", "for", "aria-describedby"].forEach(function (attr) {
            var value = el.getAttribute(attr);
            if (value) el.setAttribute(attr, value.replace(ROW, "items-" + index + "-"));
          });
        });
      });
      total.value = rows().length;
      more.hidden = most && rows().length >= Number(most.value);
    }

    function removable(row) {
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "basket-remove";
      remove.textContent = text.removeLabel;
      remove.addEventListener("click", function () {
        var next = row.nextElementSibling || more;
        row.remove();
        renumber();
        sync();
        next.focus();
      });
      row.appendChild(remove);
    }

    function addRow(line) {
      var holder = document.createElement("div");
      holder.innerHTML = template.innerHTML.replace(ROW, "items-" + rows().length + "-");
      var row = holder.querySelector(".inquiry-item") || holder.firstElementChild;
      box.appendChild(row);
      if (line) fill(row, line);
      removable(row);
      renumber();
      return row;
    }

    function sync() {
      var previous = load();
      save(rows().map(function (row) { return lineOf(row, previous); }).filter(Boolean), true);
    }

    /* Products the page arrived with (a product page's link, a form sent back with a
       mistake) join the basket; the basket's lines become the rows unless they are all
       there already. */
    var lines = load();
    var shown = rows().map(function (row) { return lineOf(row, lines); }).filter(Boolean);
    shown.forEach(function (line) { if (indexOf(lines, line.key) < 0) lines.push(line); });
    if (lines.some(function (line) { return indexOf(shown, line.key) < 0; })) {
      rows().forEach(function (row) { row.remove(); });
      lines.forEach(addRow);
    } else {
      rows().forEach(removable);
      renumber();
    }
    save(lines, false);

    more.addEventListener("click", function () {
      var select = field(addRow(null), "product");
      if (select) select.focus();
    });
    box.addEventListener("change", sync);
    box.addEventListener("input", sync);
  }

  function start() {
    document.querySelectorAll("a[data-basket-add]").forEach(enhance);
    document.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-basket-add]");
      if (button) toggle(button);
    });
    window.addEventListener("storage", function (event) { if (event.key === KEY) show(load()); });
    if (document.body.classList.contains("inquiry-page") && document.querySelector(".inquiry-done")) {
      save([], false); /* sent: the basket has done its job */
    }
    var form = document.querySelector("form[data-inquiry-form='page']");
    if (form) basketPage(form);
    show(load());
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
