// Places the topology on a plane: nodes in a grid by column/row, one label box per edge in the
// gap before its receiver's column. Units are CSS pixels at scale 1.

export const SIZE = {
  nodeW: 188,
  nodeH: 72,
  labelW: 144,
  labelH: 46,
  dropsH: 18, // a line under the label box, for drops
  gapW: 180, // between two node columns; holds the edge labels
  rowPitch: 104,
  pad: 14,
  top: 34, // room for the "bottleneck" tag above a node in the first row
};

const SLOT = SIZE.labelH + SIZE.dropsH + 6;

export function layout(topology) {
  const S = SIZE;
  const pitchX = S.nodeW + S.gapW;

  // Columns with fewer nodes are centred vertically, so fan-outs and fan-ins look symmetric.
  const rowsOf = new Map();
  for (const n of topology.nodes) rowsOf.set(n.column, Math.max(rowsOf.get(n.column) ?? 0, n.row + 1));
  const maxRows = Math.max(1, ...rowsOf.values());

  const nodes = new Map();
  for (const n of topology.nodes) {
    const shift = ((maxRows - rowsOf.get(n.column)) * S.rowPitch) / 2;
    nodes.set(n.name, { ...n, x: S.pad + n.column * pitchX, y: S.top + shift + n.row * S.rowPitch });
  }

  // Each port gets its own point on the node's side, in the order the topology lists them.
  const portY = (node, ports, port) => {
    const i = Math.max(0, ports.indexOf(port));
    return node.y + (S.nodeH * (i + 1)) / (ports.length + 1);
  };

  // An edge that skips columns runs underneath them, one lane per such edge, so it does not
  // cross the nodes in between.
  const bottoms = new Map();
  for (const n of nodes.values()) bottoms.set(n.column, Math.max(bottoms.get(n.column) ?? 0, n.y + S.nodeH));
  const lanes = new Map();
  const under = (column) => {
    const k = lanes.get(column) ?? 0;
    lanes.set(column, k + 1);
    return bottoms.get(column) + 18 + k * 12;
  };

  const gaps = new Map();
  const edges = [];
  for (const e of topology.edges) {
    const a = nodes.get(e.from);
    const b = nodes.get(e.to);
    if (!a || !b) continue;
    const x1 = a.x + S.nodeW;
    const y1 = portY(a, a.outputs ?? [], e.from_port);
    const x2 = b.x;
    const y2 = portY(b, b.inputs ?? [], e.to_port);
    const gap = b.column > a.column ? b.column - 1 : a.column;
    const via = [];
    for (let c = a.column + 1; c < b.column; c++) {
      const y = under(c);
      const x = S.pad + c * pitchX;
      via.push([x - 10, y], [x + S.nodeW + 10, y]);
    }
    const item = {
      edge: e, x1, y1, x2, y2, gap, via,
      lx: S.pad + gap * pitchX + S.nodeW + (S.gapW - S.labelW) / 2,
      want: ((via.at(-1)?.[1] ?? y1) + y2) / 2 - S.labelH / 2,
    };
    edges.push(item);
    if (!gaps.has(gap)) gaps.set(gap, []);
    gaps.get(gap).push(item);
  }
  for (const items of gaps.values()) spread(items, SLOT, S.top);

  const columns = Math.max(1, ...[...nodes.values()].map((n) => n.column + 1));
  const bottom = Math.max(
    ...[...nodes.values()].map((n) => n.y + S.nodeH),
    ...edges.map((e) => e.ly + SLOT),
    ...edges.flatMap((e) => e.via.map(([, y]) => y + 8)),
    S.top,
  );
  return {
    nodes,
    edges,
    width: 2 * S.pad + columns * S.nodeW + (columns - 1) * S.gapW,
    height: bottom + S.pad,
  };
}

// Puts label boxes as near their wanted y as possible without overlapping: neighbours that
// collide are merged into a cluster centred on the mean of what its members want.
function spread(items, slot, minTop) {
  items.sort((p, q) => p.want - q.want);
  const clusters = [];
  for (const item of items) {
    let cluster = { items: [item], top: item.want };
    for (;;) {
      const prev = clusters.at(-1);
      if (!prev || prev.top + prev.items.length * slot <= cluster.top) break;
      clusters.pop();
      const merged = [...prev.items, ...cluster.items];
      const top = merged.reduce((sum, m, k) => sum + m.want - k * slot, 0) / merged.length;
      cluster = { items: merged, top };
    }
    cluster.top = Math.max(minTop, cluster.top);
    clusters.push(cluster);
  }
  for (const c of clusters) c.items.forEach((item, k) => (item.ly = c.top + k * slot));
}

// A left-to-right path through points, each step a cubic curve that is horizontal at both ends.
export function route(points) {
  let d = `M${points[0][0]},${points[0][1]}`;
  for (let i = 1; i < points.length; i++) {
    const [x1, y1] = points[i - 1];
    const [x2, y2] = points[i];
    const dx = Math.max(12, (x2 - x1) / 2);
    d += ` C${x1 + dx},${y1} ${x2 - dx},${y2} ${x2},${y2}`;
  }
  return d;
}
