/* Draws the insights charts from the JSON the page embeds (json_script); the numbers are in tables too. */
(function () {
  "use strict";
  var source = document.getElementById("insights-data");
  if (!source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  // The words come from the JavaScript catalogue (/jsi18n/, loaded before this file) in the page's language;
  // without it the English ones are shown.
  var gettext = window.gettext || function (text) { return text; };
  var interpolate = window.interpolate || function (format, values) {
    return format.replace(/%\(([a-z_]+)\)s/g, function (match, name) { return values[name]; });
  };
  var colours = ["#0b5cad", "#1a7f37", "#b42318", "#8a5a00", "#6639ba", "#0a7d8c", "#57606a", "#bf3989"];

  // Each chart fills its box (.chart in site.css sets the height), so it stays readable on a phone instead of
  // keeping a wide screen's aspect ratio; a bar chart's box grows with its bars.
  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (!canvas) { return; }
    var box = canvas.parentNode;
    var bars = Number(box.getAttribute("data-bars"));
    if (bars) { box.style.height = Math.max(10, 4 + bars * 2) + "rem"; }
    config.options.maintainAspectRatio = false;
    new Chart(canvas, config);
  }

  // Counts of consumers arrive rounded down to a multiple of `rounded_to` (K): a tooltip shows the range a
  // point stands for, never a figure more exact than the page's tables.
  var step = data.rounded_to || 1;
  function range(value) {
    if (value === null || value === undefined) { return interpolate(gettext("fewer than %(k)s"), { k: step }, true); }
    return step > 1 ? value + "–" + (value + step - 1) : String(value);
  }
  // Counts of people: whole-number ticks only (no 0.5 partner), in steps of K where totals are rounded to K.
  var countAxis = { beginAtZero: true, ticks: { precision: 0, stepSize: step > 1 ? step : undefined } };
  var rangeTooltip = { callbacks: { label: function (context) { return context.dataset.label + ": " + range(context.raw); } } };

  // Partners from zero: an axis starting near the line's lowest point makes a change of one step look like a fall.
  draw("chart-partners", {
    type: "line",
    data: { labels: data.days, datasets: [{ label: gettext("Partners"), data: data.partners, borderColor: colours[0], backgroundColor: colours[0], pointRadius: 2, spanGaps: false }] },
    options: { responsive: true, plugins: { legend: { display: false }, tooltip: rangeTooltip }, scales: { y: countAxis } }
  });
  draw("chart-flow", {
    type: "bar",
    data: {
      labels: data.days,
      datasets: [
        { label: gettext("Added"), data: data.adds, backgroundColor: colours[1] },
        { label: gettext("Ended"), data: data.ends, backgroundColor: colours[2] }
      ]
    },
    options: { responsive: true, scales: { y: countAxis } }
  });
  draw("chart-reasons", {
    type: "doughnut",
    data: { labels: data.reasons.labels, datasets: [{ label: gettext("Ended"), data: data.reasons.values, backgroundColor: colours }] },
    options: { responsive: true, plugins: { tooltip: rangeTooltip } }
  });
  Object.keys(data.segments).forEach(function (dimension) {
    var segment = data.segments[dimension];
    draw("chart-segment-" + dimension, {
      type: "bar",
      data: { labels: segment.labels, datasets: [{ label: gettext("Partners"), data: segment.values, backgroundColor: colours[0] }] },
      options: { indexAxis: "y", responsive: true, plugins: { legend: { display: false }, tooltip: rangeTooltip }, scales: { x: countAxis } }
    });
  });
})();
