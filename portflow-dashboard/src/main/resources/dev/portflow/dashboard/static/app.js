// Entry point: loads the topology, draws it, then keeps it live from the SSE stream.
// Startup order (docs/dashboard.md): topology -> graph -> first frame -> event stream.

import { EVENTS_URL, getFrame, getTopology } from './api.js';
import { createGraph } from './graph.js';
import { createHeader } from './header.js';
import { createIngress } from './ingress.js';
import { createPanel } from './panel.js';
import { openStream } from './stream.js';
import { createTraces } from './traces.js';

const RETRY_MS = 2000;

let topology = null;
let lastFrame = null;
let resyncNeeded = false;

const header = createHeader();
const ingress = createIngress(document.getElementById('ingress'));
const traces = createTraces(document.getElementById('traces'));
const panel = createPanel(document.getElementById('detail-panel'), {
  topology: () => topology,
  onClose: () => graph.select(null),
});
const graph = createGraph(document.getElementById('graph'), {
  onSelect(key, element) {
    graph.select(key);
    panel.open(key, element, lastFrame);
    // The opened panel narrows the graph; keep the chosen element in sight.
    requestAnimationFrame(() => element?.scrollIntoView({ block: 'nearest', inline: 'nearest' }));
  },
});

document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && panel.current()) panel.close();
});

// What decides whether the page must be redrawn after a reconnection.
function signature(t) {
  return JSON.stringify([
    t.pipeline,
    t.nodes.map((n) => [n.name, n.kind, n.column, n.row, n.inputs, n.outputs, n.workers_min, n.workers_max,
      n.ordered_by_key]).sort(),
    t.edges.map((e) => [e.id, e.capacity, e.overflow]).sort(),
    (t.ingress ?? []).map((i) => [i.component, i.path]).sort(),
  ]);
}

function render(t) {
  topology = t;
  header.pipeline(t.pipeline);
  graph.render(t);
  ingress.render(t);
  traces.refresh(); // a (possibly restarted) server: it may trace now, or no longer
  const open = panel.current();
  if (open && graph.has(open)) panel.open(open, graph.element(open), lastFrame, true);
  else if (open) panel.close();
  graph.select(panel.current());
  if (lastFrame) applyFrame(lastFrame);
}

function applyFrame(frame) {
  lastFrame = frame;
  graph.update(frame);
  ingress.update(frame);
  header.frame(frame);
  panel.append(frame, topology);
  traces.frame();
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function fetchTopology() {
  for (;;) {
    try {
      return await getTopology();
    } catch {
      header.reconnecting();
      await sleep(RETRY_MS);
    }
  }
}

// After a reconnection the server may have restarted with another pipeline: redraw if so.
// (The open panel notices a gap in the frames by itself and reloads its history.)
async function resync() {
  const fresh = await fetchTopology();
  if (signature(fresh) !== signature(topology)) render(fresh);
}

async function start() {
  header.connecting();
  render(await fetchTopology());
  try {
    applyFrame(await getFrame());
  } catch {
    // no frame yet; the stream sends the latest one as soon as it connects
  }
  openStream(EVENTS_URL, {
    onFrame: (frame) => topology && applyFrame(frame),
    onOpen() {
      if (!resyncNeeded) return;
      resyncNeeded = false;
      resync();
    },
    onError() {
      resyncNeeded = true;
      header.streamLost();
    },
  });
}

start();
