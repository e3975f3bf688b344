// Draws the charts of a dashboard page with uPlot: each .chart element carries its data in data-chart as
// {"days": ["2026-11-01", ...], "series": {"name": ["0.12", ...]}} (US dollars per UTC day, exact decimals as text).
(function () {
  "use strict";
  var colours = ["#0b5cad", "#d4a72c", "#1a7f37", "#b42318", "#8250df", "#57606a", "#bf3989", "#0a7b83"];

  function draw(element) {
    var data = JSON.parse(element.getAttribute("data-chart"));
    var xs = data.days.map(function (d) { return Date.parse(d + "T00:00:00Z") / 1000; });
    var names = Object.keys(data.series);
    var columns = [xs];
    var series = [{}];
    names.forEach(function (name, i) {
      columns.push(data.series[name].map(Number));
      series.push({
        label: name,
        stroke: colours[i % colours.length],
        width: 2,
        fill: element.getAttribute("data-kind") === "bars" ? colours[i % colours.length] + "55" : undefined,
        paths: element.getAttribute("data-kind") === "bars" && uPlot.paths.bars ? uPlot.paths.bars({ size: [0.7] }) : undefined,
        value: function (u, v) { return v == null ? "–" : "$" + v.toFixed(6); }
      });
    });
    var options = {
      width: Math.max(320, element.clientWidth - 16),
      height: 240,
      tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"); },
      series: series,
      axes: [{}, { values: function (u, ticks) { return ticks.map(function (t) { return "$" + t; }); }, size: 70 }],
      scales: { x: { time: true } }
    };
    element.setAttribute("data-drawn", String(names.length));
    new uPlot(options, columns, element);
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (typeof uPlot === "undefined") {
      return;
    }
    document.querySelectorAll(".chart[data-chart]").forEach(draw);
  });
})();
