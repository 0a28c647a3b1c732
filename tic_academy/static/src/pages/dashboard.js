// Dashboard charts. The figures come from <script type="application/json"> blocks
// rendered by the server (data, not code: allowed by the CSP); each chart has the
// same figures in a table beside it for screen readers and print.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from "chart.js";
import { points } from "../lib/dom.js";

Chart.register(BarController, BarElement, CategoryScale, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip);

// Colour-blind-safe palette (Okabe–Ito); the first series is the plan or the main figure.
const COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"];

function readData(id) {
  const block = document.getElementById(id);
  if (!block) return null;
  try {
    return JSON.parse(block.textContent);
  } catch {
    return null;
  }
}

function drawChart(canvas) {
  const spec = readData(canvas.dataset.chart);
  if (!spec) return;
  const isLine = spec.type === "line";
  const datasets = spec.datasets.map((dataset, n) => ({
    label: dataset.label,
    data: dataset.data,
    borderColor: COLOURS[n % COLOURS.length],
    backgroundColor: COLOURS[n % COLOURS.length],
    borderDash: isLine && n === 0 ? [6, 4] : [],
    tension: 0.2,
  }));
  const valueAxis = spec.horizontal ? "x" : "y";
  const categoryAxis = spec.horizontal ? "y" : "x";
  // The value axis: whole people for counts, a percent axis scaled to the data (spec.max,
  // from opd/charts.py) instead of 0-100 % when the figures are small; both axes titled.
  const scales = {
    [valueAxis]: {
      beginAtZero: true,
      ...(spec.max ? { max: spec.max } : {}),
      ticks: {
        ...(spec.integer ? { precision: 0 } : {}),
        callback: (value) => `${points(value)}${spec.unit || ""}`,
      },
      title: { display: Boolean(spec.value_title), text: spec.value_title || "" },
    },
    [categoryAxis]: {
      title: { display: Boolean(spec.category_title), text: spec.category_title || "" },
    },
  };
  canvas.parentElement.style.position = "relative";
  canvas.parentElement.style.height = spec.horizontal ? `${Math.max(220, spec.labels.length * 36)}px` : "300px";
  const chart = new Chart(canvas, {
    type: spec.type,
    data: { labels: spec.labels.map(String), datasets },
    options: {
      indexAxis: spec.horizontal ? "y" : "x",
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      locale: document.documentElement.lang || "id",  // tooltips write 7,5 in Indonesian
      scales,
      plugins: { legend: { display: datasets.length > 1 } },
    },
  });
  // The value axis as drawn (top and ticks), readable by the browser tests.
  const axis = chart.scales[valueAxis];
  if (axis) canvas.dataset.valueAxis = JSON.stringify({ max: axis.max, ticks: axis.ticks.map((tick) => tick.value) });
}

for (const canvas of document.querySelectorAll("canvas[data-chart]")) {
  drawChart(canvas);
}
