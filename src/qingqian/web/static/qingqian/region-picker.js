// Progressive enhancement of the region picker: the one list grouped by
// province (which works without scripts) becomes three lists that narrow each
// other: province, then city, then county. The original list stays in the form,
// hidden, and carries the most specific choice, so the server sees one code.
(function () {
  "use strict";

  function shortName(option) {
    var parts = option.textContent.split(" · ");
    return parts[parts.length - 1];
  }

  function fill(select, options, emptyText, chosen) {
    select.replaceChildren(new Option(emptyText, ""));
    options.forEach(function (option) {
      select.add(new Option(shortName(option), option.value, false, option.value === chosen));
    });
    select.disabled = options.length === 0;
  }

  function labelled(picker, id, text) {
    var wrap = document.createElement("span");
    wrap.className = "region-level";
    var label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = text;
    var select = document.createElement("select");
    select.id = id;
    wrap.append(label, select);
    picker.append(wrap);
    return select;
  }

  function enhance(original) {
    var groups = Array.prototype.slice.call(original.querySelectorAll("optgroup"));
    var empty = original.querySelector("option[value='']");
    var emptyText = empty ? empty.textContent : "—";
    var picker = document.createElement("span");
    picker.className = "region-picker";
    // The province list takes the field's id, so the field's own label and the
    // error summary's link lead to it; the hidden original keeps the name.
    var base = original.id;
    original.id = base + "-code";
    var province = labelled(picker, base, original.dataset.labelProvince);
    var city = labelled(picker, base + "-city", original.dataset.labelCity);
    var county = labelled(picker, base + "-county", original.dataset.labelCounty);
    original.after(picker);
    original.hidden = true;

    function groupOf(code) {
      return groups.find(function (group) { return group.querySelector("option").value === code; });
    }
    function cities(code) {
      var group = groupOf(code);
      if (!group) { return []; }
      var options = Array.prototype.slice.call(group.querySelectorAll("option")).slice(1);
      var codes = options.map(function (option) { return option.value; });
      return options.filter(function (option) {
        var prefecture = option.value.slice(0, 4) + "00";
        return option.value === prefecture || codes.indexOf(prefecture) === -1;
      });
    }
    function counties(provinceCode, cityCode) {
      var group = groupOf(provinceCode);
      if (!group || !cityCode || cityCode.slice(4) !== "00") { return []; }
      return Array.prototype.slice.call(group.querySelectorAll("option")).filter(function (option) {
        return option.value !== cityCode && option.value.slice(0, 4) === cityCode.slice(0, 4);
      });
    }
    function choose() {
      original.value = county.value || city.value || province.value;
      original.dispatchEvent(new Event("change", { bubbles: true }));
    }

    var current = original.value;
    var provinceCode = current ? current.slice(0, 2) + "0000" : "";
    var cityOptions = cities(provinceCode);
    var cityCode = cityOptions.map(function (o) { return o.value; }).find(function (code) {
      return current && current !== provinceCode && current.slice(0, 4) === code.slice(0, 4);
    }) || "";
    fill(province, groups.map(function (group) { return group.querySelector("option"); }), emptyText, provinceCode);
    fill(city, cityOptions, emptyText, cityCode);
    fill(county, counties(provinceCode, cityCode), emptyText, current);

    province.addEventListener("change", function () {
      fill(city, cities(province.value), emptyText, "");
      fill(county, [], emptyText, "");
      choose();
    });
    city.addEventListener("change", function () {
      fill(county, counties(province.value, city.value), emptyText, "");
      choose();
    });
    county.addEventListener("change", choose);
  }

  document.querySelectorAll("select[data-region-picker]").forEach(enhance);
})();
