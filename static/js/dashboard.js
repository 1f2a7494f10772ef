// Supervisor dashboard: percent agreement per month for each pair (the table under
// the chart holds the same figures with n and intervals). Data from a json_script tag.
(function () {
  "use strict";
  var canvas = document.getElementById("agreement-chart");
  var source = document.getElementById("agreement-data");
  if (!canvas || !source || typeof Chart === "undefined") return;
  var data = JSON.parse(source.textContent);
  var colours = ["#6f42c1", "#0a58ca", "#495057"];
  var dashes = [[], [6, 4], [2, 3]];
  window.zeusAgreement = new Chart(canvas, {
    type: "line",
    data: {
      labels: data.labels,
      datasets: data.datasets.map(function (d, i) {
        return { label: d.label, data: d.data, borderColor: colours[i % 3], backgroundColor: colours[i % 3],
                 borderDash: dashes[i % 3], pointRadius: 4, spanGaps: false };
      })
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      scales: { y: { min: 0, max: 100, title: { display: true, text: "%" } } }
    }
  });
  canvas.dataset.points = String(data.datasets.reduce(function (n, d) {
    return n + d.data.filter(function (v) { return v !== null; }).length;
  }, 0));
})();
