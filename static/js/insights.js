/* Draws the insights charts from the JSON the page embeds (json_script); the numbers are in tables too. */
(function () {
  "use strict";
  var source = document.getElementById("insights-data");
  if (!source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var colours = ["#0b5cad", "#1a7f37", "#b42318", "#8a5a00", "#6639ba", "#0a7d8c", "#57606a", "#bf3989"];

  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (canvas) { new Chart(canvas, config); }
  }

  draw("chart-partners", {
    type: "line",
    data: { labels: data.days, datasets: [{ label: "Partners", data: data.partners, borderColor: colours[0], pointRadius: 0, spanGaps: false }] },
    options: { responsive: true, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true } } }
  });
  draw("chart-flow", {
    type: "bar",
    data: {
      labels: data.days,
      datasets: [
        { label: "Added", data: data.adds, backgroundColor: colours[1] },
        { label: "Ended", data: data.ends, backgroundColor: colours[2] }
      ]
    },
    options: { responsive: true, scales: { y: { beginAtZero: true } } }
  });
  draw("chart-reasons", {
    type: "doughnut",
    data: { labels: data.reasons.labels, datasets: [{ data: data.reasons.values, backgroundColor: colours }] },
    options: { responsive: true }
  });
  Object.keys(data.segments).forEach(function (dimension) {
    var segment = data.segments[dimension];
    draw("chart-segment-" + dimension, {
      type: "bar",
      data: { labels: segment.labels, datasets: [{ label: "Partners", data: segment.values, backgroundColor: colours[0] }] },
      options: { indexAxis: "y", responsive: true, plugins: { legend: { display: false } } }
    });
  });
})();
