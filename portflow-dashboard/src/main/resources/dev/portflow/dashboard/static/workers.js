// Workers of a component (docs/dashboard.md, "Workers"): the "×N" badge on a node, the words
// screen readers and the panel use, and the panel's list of the runtime's scaling decisions.
// node is a topology node (workers_min, workers_max), data its frame figures (workers now).

import { clock } from './format.js';

// Runs, or may run, on more than one worker: only then is the count worth showing.
export const isWidened = (node) => (node?.workers_max ?? 1) > 1;

// The runtime sizes it within a range.
export const isAutoscaled = (node) => (node?.workers_min ?? 1) < (node?.workers_max ?? 1);

// Workers now; 0 before start and once it has ended, null before the first frame.
const now = (data) => (data?.workers > 0 ? data.workers : null);

// "×4" (fixed), "×3 of 16" (autoscaled), "×1–16" (autoscaled, not running); '' for one worker.
export function badge(node, data) {
  if (!isWidened(node)) return '';
  const n = now(data);
  if (!isAutoscaled(node)) return `×${n ?? node.workers_max}`;
  return n == null ? `×${node.workers_min}–${node.workers_max}` : `×${n} of ${node.workers_max}`;
}

// "4 workers", "3 of 16 workers", "1 to 16 workers"; '' for one worker.
export function describe(node, data) {
  if (!isWidened(node)) return '';
  const n = now(data);
  if (!isAutoscaled(node)) return `${n ?? node.workers_max} workers`;
  return n == null ? `${node.workers_min} to ${node.workers_max} workers` : `${n} of ${node.workers_max} workers`;
}

// The panel's "Workers" line: what runs now and what was configured.
export function configured(node, data) {
  const n = now(data);
  if (!isAutoscaled(node)) return `${n ?? 0} (fixed at ${node.workers_max})`;
  return `${n ?? 0} (autoscaled, ${node.workers_min}–${node.workers_max})`;
}

// Fills target with the decisions (oldest first, as served), newest on top.
export function renderDecisions(target, decisions) {
  if (!decisions?.length) {
    const none = document.createElement('p');
    none.className = 'none';
    none.textContent = 'No scaling decisions yet.';
    target.replaceChildren(none);
    return;
  }
  const table = document.createElement('table');
  const head = table.createTHead().insertRow();
  for (const label of ['Time', 'Workers', 'Reason']) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = label;
    head.append(th);
  }
  const body = table.createTBody();
  for (const d of [...decisions].reverse()) {
    const row = body.insertRow();
    row.dataset.decision = `${d.from}->${d.to}`;
    const cells = [clock(d.time), `${d.from} → ${d.to}`, d.reason ?? ''];
    cells.forEach((value, i) => {
      const cell = row.insertCell();
      cell.textContent = value;
      if (i === 1) cell.className = d.to > d.from ? 'up' : 'down';
    });
  }
  target.replaceChildren(table);
}
