// The pipeline as an SVG graph: builds it from the topology, then updates its numbers in place
// on every frame (no re-render, so focus and hover survive). Nodes and edge labels are the
// focusable, clickable elements carrying the test hooks [data-node] and [data-edge].

import { SIZE as S, layout, route } from './layout.js';
import { count, dropReasons, fillPct, level, ms, pct, rate, reason } from './format.js';
import { badge as workersBadge, describe, isWidened } from './workers.js';

const NS = 'http://www.w3.org/2000/svg';
const MIN_SCALE = 0.8; // below this the small labels get hard to read; scroll instead
const SHARES = ['busy', 'idle', 'backpressured'];
const BAR_W = S.nodeW - 24;

function svg(name, attrs = {}, parent = null) {
  const element = document.createElementNS(NS, name);
  for (const [key, value] of Object.entries(attrs)) element.setAttribute(key, value);
  parent?.appendChild(element);
  return element;
}

function text(parent, attrs, content = '') {
  const t = svg('text', attrs, parent);
  t.textContent = content;
  return t;
}

// Shortens a text element with an ellipsis until it fits (the element must be in the document).
function fit(t, content, maxWidth) {
  t.textContent = content;
  if (t.getComputedTextLength() <= maxWidth) return;
  let n = content.length;
  do t.textContent = `${content.slice(0, --n)}…`;
  while (n > 1 && t.getComputedTextLength() > maxWidth);
}

const edgeName = (e) => `buffer ${e.from}.${e.from_port} to ${e.to}.${e.to_port}`;

export function createGraph(container, { onSelect }) {
  let root = null;
  let size = { width: 0, height: 0 };
  const nodeViews = new Map();
  const edgeViews = new Map();

  function render(topology) {
    const plan = layout(topology);
    size = plan;
    nodeViews.clear();
    edgeViews.clear();
    container.replaceChildren();
    root = svg('svg', {
      class: 'graph-svg',
      viewBox: `0 0 ${plan.width} ${plan.height}`,
      role: 'group',
      'aria-label': `Pipeline ${topology.pipeline}: ${plan.nodes.size} components, ${plan.edges.length} buffers`,
    }, container);
    const wires = svg('g', { class: 'wires', 'aria-hidden': 'true' }, root);
    const items = svg('g', { class: 'items' }, root);
    const overlay = svg('g', { class: 'overlay', 'aria-hidden': 'true' }, root);

    // Tab order follows the flow: a column's nodes, then the buffers that leave it.
    const nodes = [...plan.nodes.values()];
    const lastColumn = Math.max(0, ...nodes.map((n) => n.column));
    for (let col = 0; col <= lastColumn; col++) {
      nodes.filter((n) => n.column === col).sort((a, b) => a.row - b.row).forEach((n) => drawNode(items, n));
      plan.edges.filter((e) => e.gap === col).sort((a, b) => a.ly - b.ly).forEach((e) => drawEdge(wires, items, e));
    }
    drawBadge(overlay);
    fitToWidth();
  }

  function drawNode(parent, n) {
    const g = svg('g', {
      class: 'node',
      'data-node': n.name,
      role: 'button',
      tabindex: '0',
      'aria-controls': 'detail-panel',
      'aria-expanded': 'false',
      transform: `translate(${n.x},${n.y})`,
    }, parent);
    svg('rect', { class: 'focus-ring', x: -5, y: -5, width: S.nodeW + 10, height: S.nodeH + 10, rx: 11 }, g);
    svg('rect', { class: 'node-box', width: S.nodeW, height: S.nodeH, rx: 7 }, g);
    const name = text(g, { class: 'node-name', x: 12, y: 21 });
    const kind = text(g, { class: 'node-kind', x: S.nodeW - 12, y: 21, 'text-anchor': 'end' });
    const about = [n.kind, describe(n, null), n.ordered_by_key ? 'ordered by key' : ''].filter(Boolean).join(', ');
    svg('title', {}, g).textContent = `${n.name} (${about})`;
    const bar = svg('g', { class: 'shares', transform: `translate(12,32)` }, g);
    svg('rect', { class: 'share-track', width: BAR_W, height: 10, rx: 2 }, bar);
    const parts = Object.fromEntries(SHARES.map((s) => [s, svg('rect', { class: `share ${s}`, height: 10, width: 0 }, bar)]));
    // Busy at the left, backpressured at the right, idle centred between them.
    const shares = [
      text(g, { class: 'node-shares', x: 12, y: 61 }),
      text(g, { class: 'node-shares', y: 61, 'text-anchor': 'middle' }),
      text(g, { class: 'node-shares', x: S.nodeW - 12, y: 61, 'text-anchor': 'end' }),
    ];
    const drawPorts = (ports, x) => ports.forEach((port, i) => {
      const dot = svg('circle', { class: 'port', cx: x, cy: (S.nodeH * (i + 1)) / (ports.length + 1), r: 3.5 }, g);
      svg('title', {}, dot).textContent = port;
    });
    drawPorts(n.inputs ?? [], 0);
    drawPorts(n.outputs ?? [], S.nodeW);
    // "×4" on the top border, right: a tab that takes nothing from the name's room.
    const pill = isWidened(n) ? svg('g', { class: 'workers-pill', 'aria-hidden': 'true' }, g) : null;
    const pillBox = pill ? svg('rect', { y: -9, height: 18, rx: 9 }, pill) : null;
    const pillText = pill ? text(pill, { class: 'node-workers', y: 4, 'text-anchor': 'middle' }) : null;
    const view = { g, n, name, kind, parts, shares, pill, pillBox, pillText };
    setKind(view, n.kind, false);
    setWorkers(view, null, false);
    nodeViews.set(n.name, view);
  }

  function drawEdge(wireLayer, parent, item) {
    const e = item.edge;
    const cy = item.ly + S.labelH / 2;
    const paths = [
      route([[item.x1, item.y1], ...item.via, [item.lx, cy]]),
      route([[item.lx + S.labelW, cy], [item.x2, item.y2]]),
    ];
    const wires = paths.map((d) => {
      svg('path', { class: 'wire-hit', d, 'data-wire': e.id }, wireLayer);
      return svg('path', { class: 'wire', d }, wireLayer);
    });
    const g = svg('g', {
      class: 'edge',
      'data-edge': e.id,
      'data-fill': '0',
      role: 'button',
      tabindex: '0',
      'aria-controls': 'detail-panel',
      'aria-expanded': 'false',
      'aria-label': edgeName(e),
      transform: `translate(${item.lx},${item.ly})`,
    }, parent);
    // An invisible rect over the whole slot, so a click anywhere on the label hits the group.
    svg('rect', { class: 'edge-hit', x: -4, y: -4, width: S.labelW + 8, height: S.labelH + S.dropsH + 6 }, g);
    svg('rect', { class: 'focus-ring', x: -5, y: -5, width: S.labelW + 10, height: S.labelH + 10, rx: 9 }, g);
    svg('rect', { class: 'edge-box', width: S.labelW, height: S.labelH, rx: 6 }, g);
    svg('title', {}, g).textContent = `${e.from}.${e.from_port} → ${e.to}.${e.to_port} (${e.overflow ?? ''})`;
    const depth = text(g, { class: 'edge-depth', x: 10, y: 18 });
    const fillText = text(g, { class: 'edge-pct', x: S.labelW - 10, y: 18, 'text-anchor': 'end' });
    const flow = text(g, { class: 'edge-flow', x: 10, y: 34 });
    svg('rect', { class: 'fill-track', x: 10, y: 38, width: S.labelW - 20, height: 4, rx: 2 }, g);
    const bar = svg('rect', { class: 'fill-bar', x: 10, y: 38, width: 0, height: 4, rx: 2 }, g);
    const drops = text(g, { class: 'edge-drops', x: S.labelW / 2, y: S.labelH + 15, 'text-anchor': 'middle' });
    edgeViews.set(e.id, { g, e, wires, depth, fillText, flow, bar, drops });
  }

  let badge = null;
  function drawBadge(parent) {
    badge = svg('g', { class: 'bottleneck-tag', visibility: 'hidden' }, parent);
    svg('rect', { width: 96, height: 20, rx: 4 }, badge);
    text(badge, { x: 48, y: 14, 'text-anchor': 'middle' }, 'BOTTLENECK');
  }

  function update(frame) {
    const bottleneck = frame.bottleneck?.component ?? null;
    const scaling = new Set((frame.scaling ?? []).map((s) => s.component));
    for (const [name, v] of nodeViews) updateNode(v, frame.nodes?.[name], name === bottleneck, scaling.has(name));
    for (const [id, v] of edgeViews) updateEdge(v, frame.edges?.[id]);
    const target = nodeViews.get(bottleneck);
    badge?.setAttribute('visibility', target ? 'visible' : 'hidden');
    if (target) badge.setAttribute('transform', `translate(${target.n.x + 10},${target.n.y - 24})`);
  }

  function updateNode(v, data, isBottleneck, isScaling) {
    const shares = SHARES.map((s) => data?.[s] ?? 0);
    let x = 0;
    SHARES.forEach((s, i) => {
      const w = Math.max(0, Math.min(1, shares[i])) * BAR_W;
      v.parts[s].setAttribute('x', x);
      v.parts[s].setAttribute('width', w);
      x += w;
    });
    const [busy, idle, bp] = data ? shares.map(pct) : ['–', '–', '–'];
    [`busy ${busy}`, `idle ${idle}`, `bp ${bp}`].forEach((label, i) => (v.shares[i].textContent = label));
    const [left, middle, right] = v.shares;
    const from = 12 + left.getComputedTextLength();
    const to = S.nodeW - 12 - right.getComputedTextLength();
    middle.setAttribute('x', (from + to) / 2);
    const errors = data?.errors_per_s > 0;
    setKind(v, errors ? `⚠ ${rate(data.errors_per_s)} err` : v.n.kind, errors);
    if (isBottleneck) v.g.setAttribute('data-bottleneck', 'true');
    else v.g.removeAttribute('data-bottleneck');
    setWorkers(v, data, isScaling);
    v.g.setAttribute('aria-label', [
      `component ${v.n.name}, ${v.n.kind}`,
      describe(v.n, data) || null,
      `busy ${busy}, idle ${idle}, backpressured ${bp}`,
      errors ? `${rate(data.errors_per_s)} errors` : null,
      isBottleneck ? 'bottleneck' : null,
      isScaling ? 'widening: the runtime is adding workers' : null,
    ].filter(Boolean).join(', '));
  }

  // The workers badge, and the "scaling" state: an autoscaled stage that would be the
  // bottleneck but can still get more workers (frame.scaling).
  function setWorkers(v, data, isScaling) {
    if (data?.workers != null) v.g.dataset.workers = String(data.workers);
    if (isScaling) v.g.setAttribute('data-scaling', 'true');
    else v.g.removeAttribute('data-scaling');
    if (!v.pill) return;
    const label = workersBadge(v.n, data);
    v.pill.classList.toggle('scaling', isScaling);
    if (v.pillText.textContent === label) return;
    v.pillText.textContent = label;
    const width = Math.ceil(v.pillText.getComputedTextLength()) + 14;
    v.pillBox.setAttribute('width', width);
    v.pill.setAttribute('transform', `translate(${S.nodeW - 10 - width},0)`);
    v.pillText.setAttribute('x', width / 2);
  }

  // The top-right corner shows the kind, or errors when there are any; the name gets the rest.
  function setKind(v, label, error) {
    if (v.kind.textContent === label) return;
    v.kind.textContent = label;
    v.kind.classList.toggle('error', error);
    fit(v.name, v.n.name, S.nodeW - 32 - v.kind.getComputedTextLength());
  }

  function updateEdge(v, data) {
    const fill = data?.fill ?? 0;
    const lvl = level(fill);
    v.g.setAttribute('data-fill', String(fill));
    v.g.dataset.level = lvl;
    v.wires.forEach((w) => w.setAttribute('data-level', lvl));
    v.bar.setAttribute('width', Math.max(0, Math.min(1, fill)) * (S.labelW - 20));
    const capacity = data?.capacity ?? v.e.capacity;
    v.depth.textContent = `${count(data?.depth)} / ${count(capacity)}`;
    v.fillText.textContent = data ? fillPct(fill) : '–';
    v.flow.textContent = `${rate(data?.in_per_s)} · p99 ${ms(data?.age_p99_ms)}`;
    // Drops show while they happen (drop_rates holds only the reasons that dropped in the last
    // interval): the rate and the main reason on the graph; every reason's total since start in
    // the aria-label and the panel.
    const recent = dropReasons(data?.drop_rates);
    const dropping = recent.length > 0 || data?.drops_per_s > 0;
    const names = recent.map(([r]) => reason(r));
    const summary = `${names[0] ? `: ${names[0]}` : ''}${names.length > 1 ? ` +${names.length - 1}` : ''}`;
    fit(v.drops, dropping ? `⚠ drops ${rate(data.drops_per_s)}${summary}` : '', S.gapW - 8);
    const totals = dropReasons(data?.drops_total);
    const dropText = dropping || totals.length
      ? `drops ${rate(data.drops_per_s)}${totals.length ? `, since start: ${totals.map(([r, n]) => `${reason(r)} ${n}`).join(', ')}` : ''}`
      : '';
    v.g.setAttribute('aria-label', [
      edgeName(v.e),
      data ? `${data.depth} of ${capacity}, ${fillPct(fill)} full` : 'no data',
      data ? `${rate(data.in_per_s)} in, p99 age ${data.age_p99_ms == null ? 'none' : ms(data.age_p99_ms)}` : null,
      dropText || null,
    ].filter(Boolean).join(', '));
  }

  // Fit the graph to the container's width, but never below MIN_SCALE: then it scrolls.
  function fitToWidth() {
    if (!root) return;
    const available = container.clientWidth;
    const scale = Math.max(MIN_SCALE, Math.min(1, available / size.width));
    root.setAttribute('width', Math.floor(size.width * scale));
    root.setAttribute('height', Math.floor(size.height * scale));
  }
  new ResizeObserver(fitToWidth).observe(container);

  function target(event) {
    const hit = event.target.closest?.('[data-node], [data-edge], [data-wire]');
    if (!hit) return null;
    if (hit.dataset.node != null) return { key: { type: 'node', id: hit.dataset.node }, element: hit };
    const id = hit.dataset.edge ?? hit.dataset.wire;
    return { key: { type: 'edge', id }, element: edgeViews.get(id)?.g };
  }

  container.addEventListener('click', (event) => {
    const hit = target(event);
    if (hit) onSelect(hit.key, hit.element);
  });
  container.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' && event.key !== ' ') return;
    const hit = target(event);
    if (!hit || hit.element !== event.target) return;
    event.preventDefault(); // Space would scroll the page
    onSelect(hit.key, hit.element);
  });

  return {
    render,
    update,
    has: (key) => (key.type === 'node' ? nodeViews : edgeViews).has(key.id),
    element: (key) => (key.type === 'node' ? nodeViews : edgeViews).get(key.id)?.g ?? null,
    // Marks the element whose panel is open (aria-expanded for screen readers, a class for the eye).
    select(key) {
      for (const [map, type] of [[nodeViews, 'node'], [edgeViews, 'edge']]) {
        for (const [id, v] of map) {
          const on = key != null && key.type === type && key.id === id;
          v.g.setAttribute('aria-expanded', String(on));
          v.g.classList.toggle('selected', on);
        }
      }
    },
  };
}
