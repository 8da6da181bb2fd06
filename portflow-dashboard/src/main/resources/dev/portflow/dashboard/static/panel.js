// The side panel (#detail-panel) for one edge or node: its current numbers, and uPlot charts
// of the last 5 minutes that grow with every frame; for an autoscaled node also its latest
// scaling decisions.

import { getDecisions, getHistory } from './api.js';
import { chartSpecs, createChart } from './charts.js';
import { count, dropReasons, fillPct, ms, pct, rate, reason } from './format.js';
import { configured, describe, isAutoscaled, isWidened, renderDecisions } from './workers.js';

export function createPanel(root, { topology, onClose }) {
  const $ = (selector) => root.querySelector(selector);
  const title = $('#detail-title');
  const subtitle = $('#detail-kind');
  const now = $('#detail-now');
  const message = $('#detail-message');
  const chartsBox = $('#detail-charts');
  const decisionsBox = $('#detail-decisions');
  const decisionsBody = $('#decisions-body');

  let key = null; // { type: 'edge' | 'node', id }
  let opener = null; // the graph element to give focus back to on close
  let loading = 0; // request token: an answer for an element no longer shown is ignored
  let store = null; // { time: [], series: { key: [] } }, shared by the charts' data
  let charts = []; // [{ plot, data }]
  let loadedAt = 0; // guards against reloading in a loop if the server's clock and ours disagree
  let decisionsOf; // frame's last_decision_ms the shown decisions are of (undefined: none loaded)
  let decisionsLoading = 0; // request token, as `loading`

  $('#detail-close').addEventListener('click', () => close());
  new ResizeObserver(() => {
    const width = chartsBox.clientWidth;
    for (const c of charts) if (width > 0) c.plot.setSize({ width, height: c.plot.height });
  }).observe(chartsBox);

  function info() {
    const t = topology();
    return key.type === 'edge' ? t.edges.find((e) => e.id === key.id) : t.nodes.find((n) => n.name === key.id);
  }

  // force: draw it again even if it is open, e.g. for a new topology that has the same name.
  function open(newKey, element, frame, force = false) {
    const same = key && key.type === newKey.type && key.id === newKey.id;
    opener = element ?? opener;
    if (!same || force) {
      key = newKey;
      const it = info();
      title.textContent = key.type === 'edge' ? `${it.from}.${it.from_port} → ${it.to}.${it.to_port}` : it.name;
      subtitle.textContent = key.type === 'edge'
        ? `Buffer · capacity ${count(it.capacity)} · overflow ${it.overflow ?? '–'}`
        : [`Component · ${it.kind}`, isWidened(it) ? describe(it, null) : '', it.ordered_by_key ? 'ordered by key' : '']
          .filter(Boolean).join(' · ');
      showNow(frame);
      root.hidden = false;
      load();
      decisionsOf = undefined;
      decisionsBody.replaceChildren(); // not the previous node's list while this one's loads
      showDecisions(frame);
    }
    if (!force) title.focus();
  }

  function close() {
    if (!key) return;
    key = null;
    loading++;
    decisionsLoading++;
    decisionsOf = undefined;
    decisionsBox.hidden = true;
    destroyCharts();
    root.hidden = true;
    onClose();
    if (opener?.isConnected) opener.focus();
    opener = null;
  }

  // (Re)fetches the history, e.g. after the server restarted and the old one is gone.
  async function load() {
    const token = ++loading;
    destroyCharts();
    message.textContent = 'Loading the last 5 minutes…';
    let history;
    try {
      history = await getHistory(key.type, key.id);
    } catch (error) {
      if (token !== loading) return;
      if (error.status === 404) {
        message.textContent = 'The server has no history for this element.';
      } else {
        message.textContent = 'Could not load the history; trying again in a few seconds.';
        setTimeout(() => token === loading && load(), 5000);
      }
      return;
    }
    if (token !== loading) return;
    loadedAt = Date.now();
    message.textContent = '';
    const specs = chartSpecs(key.type, info());
    const time = [...(history.time ?? [])];
    store = { time, series: {} };
    for (const spec of specs) {
      for (const s of spec.series) {
        const values = history.series?.[s.key];
        store.series[s.key] = values ? [...values] : time.map(() => null);
      }
    }
    const width = chartsBox.clientWidth;
    charts = specs.map((spec) => {
      const figure = document.createElement('figure');
      figure.className = 'chart';
      const caption = document.createElement('figcaption');
      caption.textContent = spec.title;
      const body = document.createElement('div');
      body.setAttribute('role', 'img');
      body.setAttribute('aria-label', `${spec.title}, last 5 minutes: ${spec.series.map((s) => s.label).join(', ')}`);
      figure.append(caption, body);
      chartsBox.append(figure);
      const data = [store.time, ...spec.series.map((s) => store.series[s.key])];
      return { plot: createChart(spec, data, body, width), data };
    });
  }

  function destroyCharts() {
    for (const c of charts) c.plot.destroy();
    charts = [];
    store = null;
    chartsBox.replaceChildren();
  }

  // Appends one frame to the charts; keeps at most history_size points, like the server.
  // After missed frames (a reconnection, a restarted server) it reloads the history instead.
  function append(frame, { history_size: historySize = 300, interval_ms: intervalMs = 1000 }) {
    if (!key) return;
    showNow(frame);
    showDecisions(frame);
    if (!store) return;
    const values = key.type === 'edge' ? frame.edges?.[key.id] : frame.nodes?.[key.id];
    const t = frame.time / 1000;
    const last = store.time.at(-1);
    if (!values || t <= last) return; // e.g. the latest frame, sent again on every connect
    if (t - last > (3 * intervalMs) / 1000 && Date.now() - loadedAt > 10_000) return void load();
    store.time.push(t);
    for (const [name, list] of Object.entries(store.series)) list.push(values[name] ?? null);
    const excess = store.time.length - historySize;
    if (excess > 0) for (const list of [store.time, ...Object.values(store.series)]) list.splice(0, excess);
    for (const c of charts) c.plot.setData(c.data);
  }

  // An autoscaled node's latest scaling decisions. Frames carry only the time of the newest
  // (last_decision_ms), so the list is fetched when the panel opens and when that time changes.
  function showDecisions(frame) {
    const it = key.type === 'node' ? info() : null;
    if (!isAutoscaled(it)) {
      decisionsBox.hidden = true;
      return;
    }
    decisionsBox.hidden = false;
    const latest = frame?.nodes?.[key.id]?.last_decision_ms ?? null;
    if (latest === decisionsOf) return;
    decisionsOf = latest;
    loadDecisions();
  }

  async function loadDecisions() {
    const token = ++decisionsLoading;
    let answer;
    try {
      answer = await getDecisions(key.id);
    } catch {
      if (token !== decisionsLoading) return;
      decisionsOf = undefined; // try again with the next frame
      decisionsBody.textContent = 'Could not load the scaling decisions.';
      return;
    }
    if (token === decisionsLoading) renderDecisions(decisionsBody, answer.decisions);
  }

  function showNow(frame) {
    const v = key.type === 'edge' ? frame?.edges?.[key.id] : frame?.nodes?.[key.id];
    const rows = !v ? [['Now', 'no data yet']] : key.type === 'edge' ? [
      ['Depth', `${count(v.depth)} / ${count(v.capacity)} (${fillPct(v.fill)})`],
      ['In / out', `${rate(v.in_per_s)} / ${rate(v.out_per_s)}`],
      ['Age p50 / p99', `${ms(v.age_p50_ms)} / ${ms(v.age_p99_ms)}`],
      ['Oldest', ms(v.oldest_age_ms)],
      ['Sender blocked', v.blocked_ms_per_s == null ? '–' : `${Math.round(v.blocked_ms_per_s)} ms/s`],
      ['Drops', `${rate(v.drops_per_s)}${dropReasons(v.drops_total).map(([r, n]) => ` · ${reason(r)} ${count(n)}`).join('')}`],
    ] : [
      ...(isWidened(info()) ? [['Workers', workersNow(v, frame)]] : []),
      ['Busy', pct(v.busy)],
      ['Idle', pct(v.idle)],
      ['Backpressured', pct(v.backpressured)],
      ['In / out', `${rate(v.in_per_s)} / ${rate(v.out_per_s)}`],
      ['Errors', `${rate(v.errors_per_s)} (${count(v.errors_total)} in all)`],
    ];
    now.replaceChildren(...rows.flatMap(([label, value]) => {
      const dt = document.createElement('dt');
      const dd = document.createElement('dd');
      dt.textContent = label;
      dd.textContent = value;
      return [dt, dd];
    }));
  }

  function workersNow(v, frame) {
    const widening = (frame?.scaling ?? []).some((w) => w.component === key.id);
    return `${configured(info(), v)}${widening ? ' · widening' : ''}`;
  }

  return {
    open,
    close,
    append,
    current: () => key,
  };
}
