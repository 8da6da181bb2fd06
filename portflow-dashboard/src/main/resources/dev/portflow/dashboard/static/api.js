// The dashboard's JSON endpoints (docs/dashboard.md, "Endpoints").

async function getJSON(url) {
  const response = await fetch(url, { cache: 'no-store', headers: { Accept: 'application/json' } });
  if (!response.ok) {
    const error = new Error(`${url}: HTTP ${response.status}`);
    error.status = response.status;
    throw error;
  }
  return response.json();
}

export const getTopology = () => getJSON('/dashboard/api/topology');
export const getFrame = () => getJSON('/dashboard/api/frame');

// kind is "edge" or "node"; ids contain "." and "->", so they are URL-encoded.
export const getHistory = (kind, id) => getJSON(`/dashboard/api/history?${kind}=${encodeURIComponent(id)}`);

// A node's latest scaling decisions (oldest first) and its bounds.
export const getDecisions = (node) => getJSON(`/dashboard/api/decisions?node=${encodeURIComponent(node)}`);

// The slowest traced messages of the last 5 minutes, slowest first ({ tracing, traces }).
export const getTraces = (limit) => getJSON(`/dashboard/api/traces?limit=${limit}`);

export const EVENTS_URL = '/dashboard/events';
