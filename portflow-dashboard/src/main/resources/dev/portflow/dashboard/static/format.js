// Number formatting for humans: 1.2k/s, 350 ms, 3.1 s, 99%. Missing values show as an en dash.

export const NONE = '–';

const missing = (v) => v == null || !Number.isFinite(v);

// One decimal below 10, none above: "2.5", "12", "1.2k", "34k", "1.5M".
export function count(v) {
  if (missing(v)) return NONE;
  const a = Math.abs(v);
  const scaled = (div, unit) => {
    const x = v / div;
    return (Math.abs(x) < 9.95 ? x.toFixed(1).replace(/\.0$/, '') : String(Math.round(x))) + unit;
  };
  if (a >= 999_500_000) return scaled(1e9, 'G');
  if (a >= 999_500) return scaled(1e6, 'M');
  if (a >= 999.5) return scaled(1e3, 'k');
  if (a === 0 || a >= 9.95) return String(Math.round(v));
  if (a < 0.05) return '<0.1';
  return v.toFixed(1).replace(/\.0$/, '');
}

export const rate = (v) => (missing(v) ? NONE : `${count(v)}/s`);

export function ms(v) {
  if (missing(v)) return NONE;
  if (v === 0) return '0 ms';
  if (v < 1) return '<1 ms';
  if (v < 999.5) return `${Math.round(v)} ms`;
  if (v < 9_950) return `${(v / 1000).toFixed(1)} s`;
  if (v < 59_500) return `${Math.round(v / 1000)} s`;
  return `${(v / 60_000).toFixed(1).replace(/\.0$/, '')} min`;
}

export const pct = (share) => (missing(share) ? NONE : `${Math.round(share * 100)}%`);

// Rounded down, so that the text agrees with the colour (79.7 % is amber: "79%", not "80%")
// and "100%" means full.
export const fillPct = (fill) => (missing(fill) ? NONE : `${Math.floor(fill * 100 + 1e-9)}%`);

export const seconds = (v) => (missing(v) ? NONE : `${v} s`);

export const clock = (epochMs) => new Date(epochMs).toLocaleTimeString();

// The fill thresholds of docs/dashboard.md: green < 50 %, amber 50-80 %, red from 80 %.
export function level(fill) {
  if (missing(fill)) return 'ok';
  return fill >= 0.8 ? 'high' : fill >= 0.5 ? 'warn' : 'ok';
}

// "drop_oldest" -> "drop oldest"
export const reason = (key) => key.replace(/_/g, ' ');

// Non-zero drop reasons, largest first: [["timeout", 12], ...]
export function dropReasons(totals) {
  return Object.entries(totals ?? {})
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1]);
}
