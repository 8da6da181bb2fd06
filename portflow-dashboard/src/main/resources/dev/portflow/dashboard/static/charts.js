// What the detail panel plots, and how: one uPlot per chart, x = epoch seconds.
// Series keys are the names used by both the history endpoint and the frame.

import uPlot from '/dashboard/vendor/uPlot.esm.js';
import { count, ms, pct, rate } from './format.js';
import { isWidened } from './workers.js';

const COLORS = { a: '#1d4ed8', b: '#c2410c', c: '#7e22ce', d: '#b91c1c', e: '#15803d' };
const HEIGHT = 130;

const perSecond = (v) => `${count(v)}/s`;
const msPerSecond = (v) => (v == null ? '–' : `${Math.round(v)} ms/s`); // "1.0 s/s" would read oddly
const hhmm = (t) => new Date(t * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
const hhmmss = (t) => new Date(t * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

// y from 0 to a little above the largest value, so flat zero lines sit at the bottom.
const fromZero = (floor) => (u, min, max) => [0, Math.max(floor, (max ?? 0) * 1.1)];

export function chartSpecs(kind, element) {
  if (kind === 'edge') {
    return [
      {
        title: 'Buffer depth',
        series: [{ key: 'depth', label: 'depth', color: COLORS.a, format: count }],
        axis: count,
        range: () => [0, element.capacity ?? 1],
      },
      {
        title: 'Throughput',
        series: [
          { key: 'in_per_s', label: 'in', color: COLORS.a, format: rate },
          { key: 'out_per_s', label: 'out', color: COLORS.b, format: rate, dash: [5, 3] },
        ],
        axis: perSecond,
        range: fromZero(1),
      },
      {
        title: 'Message age',
        series: [
          { key: 'age_p50_ms', label: 'p50', color: COLORS.a, format: ms },
          { key: 'age_p99_ms', label: 'p99', color: COLORS.c, format: ms },
        ],
        axis: ms,
        range: fromZero(10),
      },
      {
        title: 'Sender blocked (ms per second) and drops',
        series: [
          { key: 'blocked_ms_per_s', label: 'blocked', color: COLORS.b, format: msPerSecond },
          { key: 'drops_per_s', label: 'drops', color: COLORS.d, format: rate, scale: 'drops', dash: [5, 3] },
        ],
        axis: msPerSecond,
        axisSize: 72,
        range: () => [0, 1000],
        right: { scale: 'drops', format: perSecond, range: fromZero(1) },
      },
    ];
  }
  const specs = [
    {
      title: isWidened(element) ? 'Worker time busy, idle and backpressured' : 'Time busy, idle and backpressured',
      series: [
        { key: 'busy', label: 'busy', color: COLORS.a, format: pct },
        { key: 'idle', label: 'idle', color: COLORS.e, format: pct, dash: [2, 3] },
        { key: 'backpressured', label: 'backpressured', color: COLORS.c, format: pct, dash: [6, 3] },
      ],
      axis: pct,
      range: () => [0, 1],
    },
    {
      title: 'Throughput and errors',
      series: [
        { key: 'in_per_s', label: 'in', color: COLORS.a, format: rate },
        { key: 'out_per_s', label: 'out', color: COLORS.b, format: rate, dash: [5, 3] },
        { key: 'errors_per_s', label: 'errors', color: COLORS.d, format: rate },
      ],
      axis: perSecond,
      range: fromZero(1),
    },
  ];
  if (isWidened(element)) {
    specs.push({
      title: 'Workers',
      series: [{ key: 'workers', label: 'workers', color: COLORS.e, format: count, stepped: true }],
      axis: count,
      range: () => [0, element.workers_max],
    });
  }
  return specs;
}

const axisStyle = { stroke: '#334155', grid: { stroke: '#e2e8f0', width: 1 }, ticks: { stroke: '#cbd5e1', width: 1 }, font: '11px system-ui, sans-serif' };

// data is [time, ...one array per spec series]; the arrays are shared with the caller,
// which appends to them and calls chart.setData(data).
export function createChart(spec, data, target, width) {
  const scales = { x: { time: true }, y: { range: spec.range } };
  const axes = [
    // Seconds matter in a 5-minute window; beyond 10 minutes hours and minutes are enough.
    { ...axisStyle, space: 64, values: (u, ticks) => ticks.map((u.scales.x.max - u.scales.x.min) > 600 ? hhmm : hhmmss) },
    { ...axisStyle, scale: 'y', size: spec.axisSize ?? 58, values: (u, ticks) => ticks.map(spec.axis) },
  ];
  if (spec.right) {
    scales[spec.right.scale] = { range: spec.right.range };
    axes.push({ ...axisStyle, scale: spec.right.scale, side: 1, size: 46, grid: { show: false },
      values: (u, ticks) => ticks.map(spec.right.format) });
  }
  return new uPlot({
    width,
    height: HEIGHT,
    scales,
    axes,
    cursor: { drag: { x: false, y: false, setScale: false } }, // new frames would undo a zoom anyway
    legend: { live: true },
    series: [
      { label: 'time', value: (u, v, i, idx) => (idx == null ? 'latest' : hhmmss(v)) },
      ...spec.series.map((s) => ({
        label: s.label,
        scale: s.scale ?? 'y',
        stroke: s.color,
        width: 1.75,
        dash: s.dash,
        points: { show: false },
        // a count that changes in steps (workers) is drawn as steps, not as slopes between them
        paths: s.stepped ? uPlot.paths.stepped({ align: 1 }) : undefined,
        // Away from the cursor, the legend shows the latest value instead of a blank.
        value: (u, v, i, idx) => s.format(idx == null ? u.data[i].at(-1) : v),
      })),
    ],
  }, data, target);
}
