// Supervision dashboard charts (Apache ECharts, vendored; no build step).
//
// Reads the JSON data island <script type="application/json" id="dashboard-data">:
//   {
//     "map":   {"label": "...", "rows": [{"code": "440000", "name": "广东省", "value": 12, "url": "/..."}]},
//     "bar":   {"label": "...", "rows": [same row shape]},
//     "trend": {"label": "..." (optional), "months": ["2026-01", ...],
//               "series": [{"name": "Received", "values": [3, ...],
//                           "labels": ["3", ...] (optional: the tooltip's text of each
//                           point, e.g. "<5" where the value is null, a gap)}, ...]},
//     "trends": {"name": {same shape as "trend"}, ...},
//     "geojson_url": "/supervision/map.json"
//   }
// map / bar / trend may each be absent or null. The map is the operator's approved
// map of China (QINGQIAN_MAP_GEOJSON); without one the page shows the tile grid in
// HTML and sends no map. Charts are drawn into #dashboard-map, #dashboard-bar and
// #dashboard-trend when those elements exist, and each of "trends" into the element
// whose data-trend attribute names it. Each container gets role="img" and an
// aria-label saying what it shows (its data-label) with the top figures (the same
// data is in a table on the page), and data-rendered="true" once ECharts reports
// the chart "finished". The map and the bar chart take the keyboard: Tab to the
// chart, arrow keys choose a region (announced), Enter opens it. On failure the
// container shows its data-error-text and gets data-error="true"; nothing is thrown.
(function () {
  "use strict";

  var PALETTE = ["#b3261e", "#1e7b34", "#0b5cad", "#c77700", "#4a5cc7", "#5b6773"];
  var INK = "#1d2733";
  var MUTED = "#5b6773";
  var LINE = "#d5dbe1";
  var charts = [];

  function reducedMotion() {
    return !!(window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches);
  }

  function escapeHtml(text) {
    return String(text == null ? "" : text)
      .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
  }

  function formatNumber(value) {
    if (value == null || isNaN(value)) { return "–"; }
    try { return Number(value).toLocaleString(); } catch (e) { return String(value); }
  }

  function readData() {
    var island = document.getElementById("dashboard-data");
    if (!island) { return null; }
    try {
      var data = JSON.parse(island.textContent || "null");
      return data && typeof data === "object" ? data : null;
    } catch (e) {
      return null;
    }
  }

  // Rows with numeric values, keeping code/name/url; bad rows are dropped.
  function cleanRows(rows) {
    var out = [];
    if (!rows || !rows.length) { return out; }
    for (var i = 0; i < rows.length; i++) {
      var row = rows[i];
      if (!row || typeof row !== "object") { continue; }
      var value = Number(row.value);
      out.push({
        code: row.code == null ? "" : String(row.code),
        name: row.name == null ? String(row.code == null ? "" : row.code) : String(row.name),
        value: isNaN(value) ? 0 : value,
        url: row.url ? String(row.url) : ""
      });
    }
    return out;
  }

  function sortedDesc(rows) {
    var copy = rows.slice();
    copy.sort(function (a, b) { return b.value - a.value; });
    return copy;
  }

  function summary(label, rows) {
    var top = sortedDesc(rows).filter(function (row) { return row.value > 0; }).slice(0, 3);
    var parts = [];
    for (var i = 0; i < top.length; i++) {
      parts.push(top[i].name + " " + formatNumber(top[i].value));
    }
    return (label || "") + (parts.length ? ": " + parts.join("; ") : "");
  }

  function trendSummary(trend, label) {
    var months = trend.months || [];
    var series = trend.series || [];
    var parts = [];
    for (var i = 0; i < series.length; i++) {
      var values = (series[i] && series[i].values) || [];
      var total = 0;
      for (var k = 0; k < values.length; k++) {
        var v = Number(values[k]);
        if (!isNaN(v)) { total += v; }
      }
      parts.push((series[i] && series[i].name) + " " + formatNumber(total));
    }
    var span = months.length ? months[0] + (months.length > 1 ? " – " + months[months.length - 1] : "") : "";
    return (label || "") + (span ? " (" + span + ")" : "") + (parts.length ? ": " + parts.join("; ") : "");
  }

  function fail(el, chart) {
    try { if (chart) { chart.dispose(); } } catch (e) { /* ignore */ }
    try {
      var echarts = window.echarts;
      if (echarts && echarts.getInstanceByDom && echarts.getInstanceByDom(el)) {
        echarts.getInstanceByDom(el).dispose();
      }
    } catch (e2) { /* ignore */ }
    el.removeAttribute("role");
    el.removeAttribute("aria-label");
    el.removeAttribute("tabindex");
    el.removeAttribute("data-rendered");
    el.setAttribute("data-error", "true");
    el.textContent = el.getAttribute("data-error-text") || "";
  }

  function label(el, text) {
    el.setAttribute("role", "img");
    el.setAttribute("aria-label", text);
  }

  // Keyboard drill-down on a chart whose series 0 holds `rows` at the same indexes:
  // the chart is one tab stop; arrow keys move the highlight (announced in a live
  // region, as a mouse hover would show its tooltip); Enter opens the row's link.
  function keyboardDrill(el, chart, rows) {
    if (!rows.length) { return; }
    var current = -1;
    var live = document.createElement("p");
    live.className = "visually-hidden";
    live.setAttribute("aria-live", "polite");
    el.parentNode.insertBefore(live, el.nextSibling);
    var hint = el.getAttribute("data-keyboard-hint");
    if (hint) { el.setAttribute("aria-label", el.getAttribute("aria-label") + ". " + hint); }
    el.setAttribute("tabindex", "0");
    function show(index) {
      current = (index + rows.length) % rows.length;
      chart.dispatchAction({ type: "downplay", seriesIndex: 0 });
      chart.dispatchAction({ type: "highlight", seriesIndex: 0, dataIndex: current });
      chart.dispatchAction({ type: "showTip", seriesIndex: 0, dataIndex: current });
      el.setAttribute("data-current", rows[current].code);
      live.textContent = rows[current].name + ": " + formatNumber(rows[current].value);
    }
    el.addEventListener("focus", function () { show(current < 0 ? 0 : current); });
    el.addEventListener("blur", function () {
      chart.dispatchAction({ type: "downplay", seriesIndex: 0 });
      chart.dispatchAction({ type: "hideTip" });
    });
    el.addEventListener("keydown", function (event) {
      var key = event.key;
      if (key === "ArrowDown" || key === "ArrowRight") { show(current + 1); }
      else if (key === "ArrowUp" || key === "ArrowLeft") { show(current - 1); }
      else if (key === "Home") { show(0); }
      else if (key === "End") { show(rows.length - 1); }
      else if (key === "Enter" && current >= 0 && rows[current].url) { window.location.href = rows[current].url; }
      else { return; }
      event.preventDefault();
    });
  }

  function makeChart(el) {
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.on("finished", function () { el.setAttribute("data-rendered", "true"); });
    chart.on("click", function (params) {
      var row = params && params.data && params.data.row;
      if (row && row.url) { window.location.href = row.url; }
    });
    charts.push(chart);
    return chart;
  }

  function baseOption() {
    return {
      animation: !reducedMotion(),
      color: PALETTE,
      textStyle: { fontFamily: "\"Noto Sans CJK SC\", \"PingFang SC\", \"Microsoft YaHei\", system-ui, sans-serif", color: INK }
    };
  }

  function getJSON(url, done, failed) {
    var xhr = new XMLHttpRequest();
    xhr.open("GET", url, true);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.onreadystatechange = function () {
      if (xhr.readyState !== 4) { return; }
      if (xhr.status < 200 || xhr.status >= 300) { failed(); return; }
      var json;
      try { json = JSON.parse(xhr.responseText); } catch (e) { failed(); return; }
      done(json);
    };
    try { xhr.send(); } catch (e) { failed(); }
  }

  // ---- map ----------------------------------------------------------------

  var mapRegistered = false;
  var regionNames = {};   // code -> Chinese name, from the GeoJSON

  // Registered under a name of our own, not "china": ECharts would add its own
  // South China Sea inset to a map of that name, and an approved map is shown
  // as it was approved, with nothing added.
  function registerApprovedMap(geojson) {
    if (!geojson || !geojson.features || !geojson.features.length) { throw new Error("empty GeoJSON"); }
    for (var i = 0; i < geojson.features.length; i++) {
      var props = geojson.features[i].properties || {};
      if (props.code) {
        regionNames[String(props.code)] = props.short_name || props.name || String(props.code);
      }
    }
    if (!mapRegistered) {
      window.echarts.registerMap("approved-china", geojson);
      mapRegistered = true;
    }
  }

  // Taiwan, Hong Kong and Macao have no SME authority in the programme: the map
  // still draws them (it is a map of the country), white with a dashed outline
  // and labelled "not applicable", never as a region without data (grey). The codes and the text
  // come from the container (data-not-applicable, data-not-applicable-text).
  var NOT_APPLICABLE_STYLE = {
    areaColor: "#ffffff", borderColor: MUTED, borderType: "dashed", borderWidth: 1
  };

  function notApplicable(el) {
    var codes = (el.getAttribute("data-not-applicable") || "").split(/\s+/);
    var set = {};
    for (var i = 0; i < codes.length; i++) { if (codes[i]) { set[codes[i]] = true; } }
    return { codes: set, text: el.getAttribute("data-not-applicable-text") || "" };
  }

  function notApplicableItem(code) {
    return {
      name: code, value: "-", notApplicable: true,
      itemStyle: NOT_APPLICABLE_STYLE, emphasis: { itemStyle: NOT_APPLICABLE_STYLE }
    };
  }

  function drawMap(el, block, geojsonUrl) {
    var excluded = notApplicable(el);
    var rows = cleanRows(block.rows).filter(function (row) { return !excluded.codes[row.code]; });
    label(el, summary(el.getAttribute("data-label") || block.label, rows));
    if (!geojsonUrl) { fail(el); return; }
    getJSON(geojsonUrl, function (geojson) {
      var chart = null;
      try {
        registerApprovedMap(geojson);
        var max = 0;
        var data = [];
        for (var i = 0; i < rows.length; i++) {
          if (rows[i].value > max) { max = rows[i].value; }
          data.push({ name: rows[i].code, value: rows[i].value, row: rows[i] });
        }
        for (var code in excluded.codes) {
          if (Object.prototype.hasOwnProperty.call(excluded.codes, code)) { data.push(notApplicableItem(code)); }
        }
        var option = baseOption();
        option.tooltip = {
          confine: true,  // also keeps ECharts from drawing its arrow with an inline style (CSP)
          trigger: "item",
          formatter: function (params) {
            var row = params.data && params.data.row;
            var name = row ? row.name : (regionNames[params.name] || params.name);
            if (params.data && params.data.notApplicable) {
              return escapeHtml(name) + "<br>" + escapeHtml(excluded.text);
            }
            var value = row ? formatNumber(row.value) : "–";
            return escapeHtml(name) + "<br>" + escapeHtml(block.label || "") + ": <b>" + escapeHtml(value) + "</b>";
          }
        };
        option.visualMap = {
          type: "continuous",
          min: 0,
          max: Math.max(max, 1),
          calculable: true,
          left: 8,
          bottom: 8,
          itemHeight: 110,
          textStyle: { color: MUTED },
          inRange: { color: ["#fdeceb", "#f29a8e", "#d9534a", "#b3261e", "#6e130e"] }
        };
        option.series = [{
          type: "map",
          map: "approved-china",
          nameProperty: "code",
          name: block.label || "",
          roam: false,
          selectedMode: false,
          itemStyle: { areaColor: "#eef1f4", borderColor: "#8a96a3", borderWidth: 0.6 },
          emphasis: {
            label: {
              show: true,
              color: INK,
              formatter: function (params) {
                return regionNames[params.name] || params.name;
              }
            },
            itemStyle: { areaColor: "#ffbf47", borderColor: INK }
          },
          label: { show: false },
          data: data
        }];
        chart = makeChart(el);
        chart.setOption(option);
        keyboardDrill(el, chart, rows);
      } catch (e) {
        fail(el, chart);
      }
    }, function () { fail(el); });
  }

  // ---- bar ----------------------------------------------------------------

  function drawBar(el, block) {
    var rows = sortedDesc(cleanRows(block.rows));
    label(el, summary(el.getAttribute("data-label") || block.label, rows));
    // Give every bar at least ~20px: grow the container for long lists.
    var needed = rows.length * 20 + 60;
    if (el.clientHeight && needed > el.clientHeight) { el.style.height = needed + "px"; }
    var names = [];
    var data = [];
    for (var i = 0; i < rows.length; i++) {
      names.push(rows[i].name);
      data.push({ value: rows[i].value, row: rows[i] });
    }
    var option = baseOption();
    option.tooltip = {
      confine: true,  // also keeps ECharts from drawing its arrow with an inline style (CSP)
      trigger: "item",
      formatter: function (params) {
        var row = params.data && params.data.row;
        return escapeHtml(row ? row.name : params.name) + "<br>" + escapeHtml(block.label || "") +
          ": <b>" + escapeHtml(formatNumber(row ? row.value : params.value)) + "</b>";
      }
    };
    option.grid = { left: 8, right: 48, top: 8, bottom: 24, containLabel: true };
    option.xAxis = {
      type: "value",
      minInterval: 1,
      axisLabel: { color: MUTED },
      splitLine: { lineStyle: { color: LINE } }
    };
    option.yAxis = {
      type: "category",
      inverse: true,
      data: names,
      axisTick: { show: false },
      axisLine: { lineStyle: { color: LINE } },
      axisLabel: { color: INK, interval: 0 }
    };
    option.series = [{
      type: "bar",
      name: block.label || "",
      data: data,
      barMaxWidth: 22,
      label: { show: true, position: "right", color: INK },
      itemStyle: { color: PALETTE[0] },
      emphasis: { itemStyle: { color: "#6e130e" } }
    }];
    var chart = null;
    try {
      chart = makeChart(el);
      chart.setOption(option);
      keyboardDrill(el, chart, rows);
    } catch (e) {
      fail(el, chart);
    }
  }

  // ---- trend --------------------------------------------------------------

  function drawTrend(el, trend) {
    var months = [];
    var i;
    for (i = 0; trend.months && i < trend.months.length; i++) { months.push(String(trend.months[i])); }
    var textLabel = trend.label || el.getAttribute("data-label") || "";
    label(el, trendSummary(trend, textLabel));
    var series = [];
    var names = [];
    var labels = [];
    for (i = 0; trend.series && i < trend.series.length; i++) {
      var s = trend.series[i] || {};
      var values = [];
      for (var k = 0; s.values && k < s.values.length; k++) {
        var v = s.values[k];
        values.push(v == null || isNaN(Number(v)) ? null : Number(v));
      }
      var name = s.name == null ? "" : String(s.name);
      names.push(name);
      labels.push(s.labels && s.labels.length ? s.labels : null);
      series.push({ type: "line", name: name, data: values, symbolSize: 6, connectNulls: false });
    }
    var option = baseOption();
    option.tooltip = {
      trigger: "axis",
      confine: true,
      formatter: function (params) {
        var list = params && params.length ? params : [params];
        var lines = [escapeHtml(list[0] ? list[0].axisValue : "")];
        for (var p = 0; p < list.length; p++) {
          var item = list[p];
          var own = labels[item.seriesIndex];
          var text = own && own[item.dataIndex] != null ? own[item.dataIndex] : formatNumber(item.value);
          // No item.marker: it is a span with an inline style, which the CSP refuses.
          lines.push(escapeHtml(item.seriesName) + ": <b>" + escapeHtml(text) + "</b>");
        }
        return lines.join("<br>");
      }
    };
    // On a phone the legend scrolls on one line rather than wrapping over the chart.
    option.legend = { top: 0, data: names, textStyle: { color: INK }, type: el.clientWidth && el.clientWidth < 480 ? "scroll" : "plain" };
    option.grid = { left: 8, right: 24, top: 40, bottom: 24, containLabel: true };
    option.xAxis = {
      type: "category",
      data: months,
      boundaryGap: false,
      axisLine: { lineStyle: { color: LINE } },
      axisLabel: { color: MUTED }
    };
    option.yAxis = {
      type: "value",
      minInterval: 1,
      axisLabel: { color: MUTED },
      splitLine: { lineStyle: { color: LINE } }
    };
    option.series = series;
    var chart = null;
    try {
      chart = makeChart(el);
      chart.setOption(option);
    } catch (e) {
      fail(el, chart);
    }
  }

  // ---- wiring -------------------------------------------------------------

  function onResize() {
    var pending = false;
    window.addEventListener("resize", function () {
      if (pending) { return; }
      pending = true;
      window.setTimeout(function () {
        pending = false;
        for (var i = 0; i < charts.length; i++) {
          try { if (!charts[i].isDisposed()) { charts[i].resize(); } } catch (e) { /* ignore */ }
        }
      }, 150);
    });
  }

  function start() {
    var data = readData() || {};
    var targets = [
      { el: document.getElementById("dashboard-map"), block: data.map, draw: function (el, block) {
        drawMap(el, block, data.geojson_url || el.getAttribute("data-geojson-url"));
      } },
      { el: document.getElementById("dashboard-bar"), block: data.bar, draw: drawBar },
      { el: document.getElementById("dashboard-trend"), block: data.trend, draw: drawTrend }
    ];
    var named = document.querySelectorAll("[data-trend]");
    for (var n = 0; n < named.length; n++) {
      var key = named[n].getAttribute("data-trend");
      targets.push({ el: named[n], block: data.trends && data.trends[key], draw: drawTrend });
    }
    var haveEcharts = !!(window.echarts && window.echarts.init);
    for (var i = 0; i < targets.length; i++) {
      var t = targets[i];
      if (!t.el || !t.block) { continue; }
      if (!haveEcharts) { fail(t.el); continue; }
      try {
        t.draw(t.el, t.block);
      } catch (e) {
        fail(t.el);
      }
    }
    onResize();
  }

  try {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", function () {
        try { start(); } catch (e) { /* fail soft */ }
      });
    } else {
      start();
    }
  } catch (e) { /* fail soft */ }
})();
