// Patient timeline: craving and anxiety shares per finalized interview, with the
// diazepam-equivalent dose on a second axis. Data comes from a json_script tag (CSP-safe).
(function () {
  "use strict";
  var canvas = document.getElementById("timeline-chart");
  var source = document.getElementById("timeline-data");
  if (!canvas || !source || typeof Chart === "undefined") return;
  var points = JSON.parse(source.textContent);
  var labels = points.map(function (p) { return p.date; });
  window.zeusTimeline = new Chart(canvas, {
    type: "line",
    data: {
      labels: labels,
      datasets: [
        { label: canvas.dataset.labelCraving, data: points.map(function (p) { return p.craving_share; }),
          borderColor: "#6f42c1", backgroundColor: "#6f42c1", yAxisID: "share", pointRadius: 5 },
        { label: canvas.dataset.labelAnxiety, data: points.map(function (p) { return p.anxiety_share; }),
          borderColor: "#0d6efd", backgroundColor: "#0d6efd", yAxisID: "share", pointRadius: 5 },
        { label: canvas.dataset.labelDose, data: points.map(function (p) { return p.diazepam_mg; }),
          borderColor: "#6c757d", backgroundColor: "#6c757d", borderDash: [6, 4], yAxisID: "dose", stepped: true }
      ]
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      scales: {
        share: { type: "linear", position: "left", min: 0, max: 100 },
        dose: { type: "linear", position: "right", min: 0, grid: { drawOnChartArea: false } }
      }
    }
  });
  canvas.dataset.points = String(points.length);
})();
