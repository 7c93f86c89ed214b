/* Charts of the performance dashboard (Chart.js, served by the app itself).
   The data comes from the JSON block #performance-charts written by the server; each bar
   links to the drill-down of the figure it shows. No inline script or event handler. */
(function () {
  "use strict";
  var source = document.getElementById("performance-charts");
  if (!source || typeof window.Chart === "undefined") {
    return;
  }
  var COLOURS = ["#337ab7", "#5cb85c", "#f0ad4e", "#d9534f", "#5bc0de", "#777777"];
  var specs = JSON.parse(source.textContent);

  function decimal(value) {
    return typeof value === "number" ? value.toLocaleString("id-ID", {maximumFractionDigits: 1}) : value;
  }

  specs.forEach(function (spec) {
    var canvas = document.getElementById(spec.id);
    if (!canvas) {
      return;
    }
    var datasets = spec.datasets.map(function (dataset, index) {
      return {
        label: dataset.label,
        data: dataset.data,
        backgroundColor: COLOURS[(spec.percent ? 1 : index) % COLOURS.length],
      };
    });
    var valueAxis = {beginAtZero: true, ticks: {callback: function (value) {
      return decimal(value) + (spec.percent ? "%" : "");
    }}};
    if (spec.percent) {
      valueAxis.max = 100;
    }
    var scales = spec.horizontal ? {x: valueAxis} : {y: valueAxis};
    canvas.chartLinks = spec.links;
    new window.Chart(canvas, {
      type: spec.type,
      data: {labels: spec.labels, datasets: datasets},
      options: {
        indexAxis: spec.horizontal ? "y" : "x",
        maintainAspectRatio: false,
        animation: false,
        scales: scales,
        plugins: {
          legend: {display: spec.datasets.length > 1},
          tooltip: {callbacks: {label: function (item) {
            return item.dataset.label + ": " + decimal(item.raw) + (spec.percent ? "%" : "");
          }}},
        },
        onHover: function (event, elements) {
          event.native.target.style.cursor = elements.length ? "pointer" : "default";
        },
        onClick: function (event, elements) {
          if (!elements.length) {
            return;
          }
          var hit = elements[0];
          var link = spec.links[hit.datasetIndex] && spec.links[hit.datasetIndex][hit.index];
          if (link) {
            window.location.assign(link);
          }
        },
      },
    });
  });
}());
