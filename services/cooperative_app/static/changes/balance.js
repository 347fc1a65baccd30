/* The transformation form's live mass-balance preview: what the inputs give, what the outputs
   take, what remains, and a warning before the server refuses. Progressive enhancement only:
   without this script the form posts the same, and the server's mass balance decides. */
(function () {
  "use strict";
  var form = document.getElementById("transform-form");
  var box = document.getElementById("balance");
  if (!form || !box) return;
  var KG = { kg: 1, t: 1000 };
  var lang = document.documentElement.lang === "en" ? "en-GB" : "vi-VN";

  function number(text) {
    // Vietnamese: dots group digits, a comma is the point (as the server reads it).
    var s = String(text || "").replace(/\s/g, "");
    if (s.indexOf(",") >= 0) s = s.replace(/\./g, "").replace(",", ".");
    else if ((s.match(/\./g) || []).length > 1) s = s.replace(/\./g, "");
    var n = Number(s);
    return s === "" || !isFinite(n) ? null : n;
  }
  function value(name) {
    var el = form.elements.namedItem(name);
    return el ? el.value : "";
  }
  function family(unit) { return unit in KG ? "kg" : unit; }
  function inBase(amount, unit) { return amount * (KG[unit] || 1); }
  function shown(amount, unit) {
    return amount.toLocaleString(lang, { maximumFractionDigits: 3 }) + " " + unit;
  }

  function rows(kind) {
    var out = [];
    for (var i = 0; i < 10; i += 1) {
      var at = kind + "." + i;
      if (!form.elements.namedItem(at + ".quantity.amount")) break;
      var amount = number(value(at + ".quantity.amount"));
      if (amount !== null) out.push({ at: at, amount: amount, unit: value(at + ".quantity.unit") });
    }
    return out;
  }
  function total(list) {
    var units = {};
    var sum = 0;
    list.forEach(function (r) { units[family(r.unit)] = true; sum += inBase(r.amount, r.unit); });
    var names = Object.keys(units);
    return names.length === 1 ? { amount: sum, unit: names[0] } : names.length ? null : { amount: 0, unit: "" };
  }
  function overTaken(list) {
    // A row that takes more than its batch holds (the pick list says how much that is).
    return list.some(function (r) {
      var select = form.elements.namedItem(r.at + ".batch");
      var option = select && select.selectedOptions && select.selectedOptions[0];
      if (!option || !option.dataset.amount) return false;
      var held = Number(option.dataset.amount);
      var heldUnit = option.dataset.unit;
      if (family(heldUnit) !== family(r.unit)) return true;
      return inBase(r.amount, r.unit) > inBase(held, heldUnit) + 1e-9;
    });
  }

  function update() {
    var inputs = rows("inputs");
    var outputs = rows("outputs");
    var tin = total(inputs);
    var tout = total(outputs);
    var warning = "";
    var left = "–";
    if (!tin || !tout) {
      warning = box.dataset.warnUnits;
    } else {
      var available = tin;
      var factor = number(value("conversion.factor"));
      if (tout.unit && tin.unit && tout.unit !== tin.unit) {
        var from = family(value("conversion.from_unit"));
        var to = family(value("conversion.to_unit"));
        if (factor !== null && factor > 0 && from === tin.unit && to === tout.unit) {
          var perFrom = KG[value("conversion.from_unit")] || 1;
          var perTo = KG[value("conversion.to_unit")] || 1;
          available = { amount: (tin.amount / perFrom) * factor * perTo, unit: tout.unit };
        } else {
          available = null;
          warning = box.dataset.warnUnits;
        }
      }
      if (available) {
        var rest = available.amount - tout.amount;
        left = shown(rest, available.unit || tout.unit);
        if (rest < -1e-9) warning = box.dataset.warnOver;
      }
    }
    if (!warning && overTaken(inputs)) warning = box.dataset.warnTaken;
    document.getElementById("balance-in").textContent = tin ? shown(tin.amount, tin.unit) : "–";
    document.getElementById("balance-out").textContent = tout ? shown(tout.amount, tout.unit) : "–";
    document.getElementById("balance-left").textContent = left;
    var warn = document.getElementById("balance-warning");
    warn.textContent = warning;
    warn.hidden = !warning;
  }

  // Picking an input batch offers its unit (a person then types only the amount).
  form.addEventListener("change", function (event) {
    var target = event.target;
    if (target && /^inputs\.\d+\.batch$/.test(target.name)) {
      var option = target.selectedOptions && target.selectedOptions[0];
      var unit = form.elements.namedItem(target.name.replace(".batch", ".quantity.unit"));
      if (option && option.dataset.unit && unit) unit.value = option.dataset.unit;
    }
    update();
  });
  form.addEventListener("input", update);

  // Rows left empty keep their unit's default: those, and the conversion's units without a
  // factor, are disabled for the moment of the submit, so neither the form's POST nor the
  // offline outbox (which skips disabled fields) sends a row that is not one. Capture phase:
  // this runs before any other submit listener.
  function emptyRow(at, key) {
    return !value(at + "." + key) && !value(at + ".quantity.amount");
  }
  document.addEventListener("submit", function (event) {
    if (event.target !== form) return;
    var off = [];
    ["inputs", "outputs"].forEach(function (kind) {
      for (var i = 0; i < 10; i += 1) {
        var at = kind + "." + i;
        var unit = form.elements.namedItem(at + ".quantity.unit");
        if (!unit) break;
        if (emptyRow(at, kind === "inputs" ? "batch" : "commodity")) off.push(unit);
      }
    });
    if (!value("conversion.factor")) {
      off.push(form.elements.namedItem("conversion.from_unit"));
      off.push(form.elements.namedItem("conversion.to_unit"));
    }
    off.forEach(function (el) { if (el) el.disabled = true; });
    setTimeout(function () { off.forEach(function (el) { if (el) el.disabled = false; }); }, 0);
  }, true);
  box.hidden = false;
  update();
})();
