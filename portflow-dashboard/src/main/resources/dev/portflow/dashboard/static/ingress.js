// The ingress panel (#ingress): per HTTP endpoint, what it answered per second.

import { rate, seconds } from './format.js';

const COLUMNS = [
  ['accepted_per_s', 'Accepted', '202/s'],
  ['backpressured_per_s', 'Refused', '503/s'],
  ['client_errors_per_s', 'Client errors', '4xx/s'],
];

export function createIngress(root) {
  const body = root.querySelector('#ingress-body');
  let rows = new Map(); // "component path" -> cells

  function render(topology) {
    rows = new Map();
    const endpoints = topology.ingress ?? [];
    root.classList.toggle('empty', endpoints.length === 0);
    if (endpoints.length === 0) {
      const p = document.createElement('p');
      p.className = 'none';
      p.textContent = 'No HTTP ingress in this pipeline.';
      body.replaceChildren(p);
      return;
    }
    const table = document.createElement('table');
    const head = table.createTHead().insertRow();
    for (const label of ['Endpoint', ...COLUMNS.map(([, name, unit]) => `${name} (${unit})`), 'Retry-After']) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = label;
      head.append(th);
    }
    const tbody = table.createTBody();
    for (const endpoint of endpoints) {
      const tr = tbody.insertRow();
      const th = document.createElement('th');
      th.scope = 'row';
      const path = document.createElement('code');
      path.textContent = endpoint.path;
      const target = document.createElement('span');
      target.className = 'target';
      target.textContent = ` → ${endpoint.component}`;
      th.append(path, target);
      tr.append(th);
      const cells = [...COLUMNS, ['retry_after_s']].map(() => Object.assign(tr.insertCell(), { textContent: '–' }));
      rows.set(`${endpoint.component} ${endpoint.path}`, cells);
    }
    body.replaceChildren(table);
  }

  function update(frame) {
    for (const item of frame.ingress ?? []) {
      const cells = rows.get(`${item.component} ${item.path}`);
      if (!cells) continue;
      COLUMNS.forEach(([key], i) => {
        cells[i].textContent = rate(item[key]);
        // Refusals and client errors are worth a look; marked by weight and an icon, not colour alone.
        cells[i].classList.toggle('alert', i > 0 && item[key] > 0);
      });
      cells[3].textContent = seconds(item.retry_after_s);
    }
  }

  return { render, update };
}
