// Patient timeline: the diazepam-equivalent dose as a step line over the whole taper
// (its own axis, on the right), and each finalized interview as a point at its date
// (craving and anxiety shares, left axis). An insufficient formulation has no mix: it
// is marked on the time axis, never plotted as a share. Dates are placed on a linear
// axis in days (Chart.js's time axis needs a date adapter we do not ship).
// Data comes from a json_script tag (CSP-safe); the table under the chart says the same.
(function () {
  "use strict";
  var canvas = document.getElementById("timeline-chart");
  var source = document.getElementById("timeline-data");
  if (!canvas || !source || typeof Chart === "undefined") return;
  var data = JSON.parse(source.textContent);
  var DAY = 86400000;
  function day(iso) { return Math.round(Date.parse(iso + "T00:00:00Z") / DAY); }
  function iso(n) { return new Date(n * DAY).toISOString().slice(0, 10); }

  var dose = data.dose.map(function (s) { return { x: day(s.date), y: s.mg }; });
  var points = data.points;
  var plotted = points.filter(function (p) { return p.craving_share !== null; });
  var thin = points.filter(function (p) { return p.craving_share === null; });
  var days = dose.map(function (p) { return p.x; }).concat(points.map(function (p) { return day(p.date); }));
  var first = Math.min.apply(null, days), last = Math.max.apply(null, days);
  var pad = Math.max(2, Math.round((last - first) * 0.03));
  var top = Math.max.apply(null, [0].concat(dose.map(function (p) { return p.y; })));

  window.zeusTimeline = new Chart(canvas, {
    type: "line",
    data: {
      datasets: [
        { label: canvas.dataset.labelDose, data: dose, yAxisID: "dose", stepped: "before",
          borderColor: "#495057", backgroundColor: "#495057", borderWidth: 2, pointRadius: 3 },
        { label: canvas.dataset.labelCraving, yAxisID: "share", showLine: false, pointRadius: 6,
          pointStyle: "circle", borderColor: "#6f42c1", backgroundColor: "#6f42c1",
          data: plotted.map(function (p) { return { x: day(p.date), y: p.craving_share }; }) },
        { label: canvas.dataset.labelAnxiety, yAxisID: "share", showLine: false, pointRadius: 6,
          pointStyle: "rectRot", borderColor: "#0a58ca", backgroundColor: "#0a58ca",
          data: plotted.map(function (p) { return { x: day(p.date), y: p.anxiety_share }; }) },
        { label: canvas.dataset.labelInsufficient, yAxisID: "share", showLine: false, pointRadius: 7,
          pointStyle: "crossRot", borderColor: "#6c757d", borderWidth: 2,
          data: thin.map(function (p) { return { x: day(p.date), y: 0 }; }) }
      ]
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      parsing: false,
      scales: {
        x: { type: "linear", min: first - pad, max: last + pad,
          ticks: { maxTicksLimit: 8, callback: function (value) { return iso(value); } } },
        share: { type: "linear", position: "left", min: 0, max: 100,
          title: { display: true, text: canvas.dataset.labelShareAxis } },
        // Room above the highest dose, rounded to a readable step.
        dose: { type: "linear", position: "right", min: 0, max: Math.max(5, Math.ceil(top * 1.25 / 5) * 5),
          grid: { drawOnChartArea: false }, title: { display: true, text: canvas.dataset.labelDose } }
      },
      plugins: {
        tooltip: { callbacks: { title: function (items) { return items.length ? iso(items[0].parsed.x) : ""; } } }
      }
    }
  });
  canvas.dataset.points = String(points.length);
})();
