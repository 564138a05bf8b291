/*
 * The admin pages' charts (issue 26): every element with class "chart" and a data-series attribute
 * (JSON from ChartBean: t in epoch seconds, and one array per series) is drawn with uPlot, the
 * series named by data-metric: cps (calls per second), live (concurrent calls) or asr (% answered).
 * Redrawn after each Ajax update of the page (the live calls page refreshes every few seconds).
 */
(function () {
  'use strict';
  var LABELS = { cps: 'Calls per second', live: 'Concurrent calls', asr: 'ASR %' };
  var COLOURS = { cps: '#2f6fdb', live: '#1b6e2d', asr: '#b3261e' };

  function draw(element) {
    if (element.chart) {
      element.chart.destroy();
      element.chart = null;
    }
    var data = JSON.parse(element.getAttribute('data-series'));
    var metric = element.getAttribute('data-metric');
    var width = parseInt(element.getAttribute('data-width') || '420', 10);
    var height = parseInt(element.getAttribute('data-height') || '160', 10);
    var full = height >= 120; // small ones are sparklines in a table cell: no axes, no legend
    var options = {
      width: width,
      height: height,
      legend: { show: full },
      scales: { x: { time: true }, y: metric === 'asr' ? { range: [0, 100] } : { range: function (u, min, max) { return [0, Math.max(metric === 'cps' ? 0.1 : 1, max)]; } } },
      axes: [{ show: full }, { show: full, size: 40 }],
      // ASR has no value in a minute without attempts: its points are drawn, as lines need two in a row
      series: [{}, { label: LABELS[metric], stroke: COLOURS[metric], width: 2, spanGaps: false,
        points: { show: metric === 'asr', size: full ? 5 : 4, fill: COLOURS[metric] } }]
    };
    element.chart = new uPlot(options, [data.t, data[metric]], element);
    element.setAttribute('data-drawn', String(data[metric].length));
  }

  function drawAll() {
    var charts = document.querySelectorAll('.chart[data-series]');
    for (var i = 0; i < charts.length; i++) {
      draw(charts[i]);
    }
  }

  document.addEventListener('DOMContentLoaded', drawAll);
  if (window.jsf && jsf.ajax) {
    jsf.ajax.addOnEvent(function (event) {
      if (event.status === 'success') {
        drawAll();
      }
    });
  }
  window.openTrunkCharts = { drawAll: drawAll };
}());
