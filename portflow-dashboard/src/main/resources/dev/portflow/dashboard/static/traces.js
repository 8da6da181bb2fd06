// The side panel's list of the slowest traced messages (#traces; docs/dashboard.md, "Slowest traced
// messages"). Frames carry nothing of it: it is fetched from /dashboard/api/traces when the
// topology loads and then, as frames arrive, at most every REFRESH_MS. One row per trace: its total
// time, why it was traced, its trace id (shortened; the button copies the whole), and per stage its
// wait in the buffer and its handling, in words and as a bar placed on the trace's own time line.

import { getTraces } from './api.js';
import { clock, ms } from './format.js';

const REFRESH_MS = 3000;
const LIMIT = 10;
const WHY = new Set(['sampled', 'slow', 'error']);

export function createTraces(root) {
  const body = root.querySelector('#traces-body');
  let fetchedAt = -Infinity; // Date.now() of the latest request
  let requests = 0; // request token: only the answer to the latest request is shown
  let shown = null; // what is shown, as JSON: an unchanged answer redraws nothing (focus stays put)
  const expanded = new Set(); // ids shown in full, because copying them was not allowed

  async function refresh() {
    const token = ++requests;
    fetchedAt = Date.now();
    let answer;
    try {
      answer = await getTraces(LIMIT);
    } catch {
      // keep what is shown; the next frames ask again
      if (token === requests && shown === null) {
        show({ tracing: null }, paragraph('none', 'Could not load the traced messages; trying again.'));
      }
      return;
    }
    if (token !== requests) return;
    if (!answer.tracing) show(answer, off());
    else if (!answer.traces?.length) show(answer, paragraph('none', `No traced message in the last ${minutes(answer.window_s)}.`));
    else show(answer, intro(answer), list(answer.traces));
  }

  function show(answer, ...content) {
    const key = JSON.stringify([answer.tracing, answer.traces, [...expanded]]);
    if (key === shown) return;
    shown = key;
    // a redraw would drop the focus of a keyboard user on a trace's button: give it back
    const focused = root.contains(document.activeElement)
      ? document.activeElement.closest('[data-trace-id]')?.dataset.traceId
      : undefined;
    root.dataset.tracing = String(answer.tracing === true);
    root.hidden = false;
    body.replaceChildren(...content);
    if (focused) root.querySelector(`[data-trace-id="${CSS.escape(focused)}"] .trace-id`)?.focus();
  }

  function list(traces) {
    const ol = element('ol', 'trace-list');
    ol.append(...traces.map(row));
    return ol;
  }

  function row(t) {
    const li = element('li', 'trace');
    li.dataset.traceId = t.trace_id;
    li.dataset.why = t.why;
    li.dataset.totalMs = String(t.total_ms);
    const head = element('div', 'trace-head');
    const ended = element('time', 'trace-ended', clock(Date.parse(t.ended_at)));
    ended.dateTime = t.ended_at;
    head.append(
      element('span', 'trace-total', ms(t.total_ms)),
      element('span', `why why-${WHY.has(t.why) ? t.why : 'other'}`, t.why),
      idButton(t.trace_id),
      ended,
    );
    const stages = element('ol', 'stages');
    stages.setAttribute('aria-label', `Stages of trace ${short(t.trace_id)}`);
    const total = t.total_ms;
    // a sampled message's entry is its send into the first buffer: shown when it took a while
    if (t.before_ms > 0) stages.append(leadRow(`before tracing (${t.why})`, t.before_ms, total));
    else if (t.entry_ms >= 1) stages.append(leadRow('entry (send)', t.entry_ms, total));
    stages.append(...t.stages.map((s) => stageRow(s, total)));
    li.append(head, stages);
    return li;
  }

  // The trace id, shortened; a click copies the whole id, or shows it selected where copying is not allowed.
  function idButton(id) {
    const wrap = element('span', 'trace-id-wrap');
    const button = element('button', 'trace-id');
    button.type = 'button';
    button.title = `Trace id ${id}: click to copy`;
    button.append(element('span', 'short', short(id)), element('span', 'visually-hidden', ', copy trace id'));
    wrap.append(button);
    if (expanded.has(id)) wrap.append(element('code', 'trace-id-full', id));
    button.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(id);
        button.dataset.copied = 'true';
        setTimeout(() => delete button.dataset.copied, 1500);
      } catch {
        expanded.add(id);
        let full = wrap.querySelector('.trace-id-full');
        if (!full) wrap.append((full = element('code', 'trace-id-full', id)));
        getSelection()?.selectAllChildren(full);
      }
    });
    return wrap;
  }

  return {
    refresh,
    // Called with every frame: asks again when the last answer is REFRESH_MS old.
    frame() {
      if (Date.now() - fetchedAt >= REFRESH_MS) refresh();
    },
  };
}

function stageRow(s, total) {
  const li = element('li', 'stage');
  li.dataset.stage = s.component;
  li.dataset.failed = String(Boolean(s.failed));
  const name = element('span', 'stage-name', s.component);
  name.title = `${s.component}.${s.port}`;
  if (s.failed) name.append(' ', element('span', 'failed-mark', '✕ failed'));
  const times = element('span', 'stage-times', `wait ${ms(s.wait_ms)} · handling ${ms(s.handling_ms)}`);
  const handling = s.failed ? 'handling failed' : 'handling';
  li.append(name, times, bar([['gap', s.at_ms], ['wait', s.wait_ms], [handling, s.handling_ms]], total));
  return li;
}

// The time before the first stage: a sampled message's entry, or a late-traced one's life before it.
function leadRow(label, value, total) {
  const li = element('li', 'stage lead');
  li.append(element('span', 'stage-name', label), element('span', 'stage-times', ms(value)), bar([['lead', value]], total));
  return li;
}

// Segments one after the other as shares of the trace's total time, the first ('gap') empty: where
// the stage's wait began. The words beside it say the same, so it is hidden from screen readers.
function bar(segments, total) {
  const track = element('span', 'stage-bar');
  track.setAttribute('aria-hidden', 'true');
  let left = 100;
  for (const [kind, value] of segments) {
    const width = total > 0 ? Math.min(left, (100 * value) / total) : 0;
    left -= width;
    const segment = element('span', `segment ${kind}`);
    segment.style.width = `${width}%`;
    track.append(segment);
  }
  return track;
}

function intro(answer) {
  const p = paragraph('traces-intro', `Last ${minutes(answer.window_s)}, slowest first.`);
  // the key to the bars, which screen readers do not see either
  const key = element('span', 'traces-key');
  key.setAttribute('aria-hidden', 'true');
  key.append(element('span', 'key wait', 'wait in buffer'), element('span', 'key handling', 'handling'));
  p.append(key);
  return p;
}

function off() {
  const p = paragraph('none', 'Tracing is off. Turn it on with ');
  p.append(
    element('code', null, 'tracing: {}'),
    ' in the blueprint or by setting ',
    element('code', null, 'OTEL_EXPORTER_OTLP_ENDPOINT'),
    ' (in Java: ',
    element('code', null, 'PipelineBuilder.tracing'),
    ').',
  );
  return p;
}

const short = (id) => `${id.slice(0, 8)}…`;

// "5 minutes", "1 minute", "90 s"
function minutes(seconds) {
  if (seconds % 60 !== 0) return `${seconds} s`;
  return seconds === 60 ? '1 minute' : `${seconds / 60} minutes`;
}

function paragraph(className, text) {
  return element('p', className, text);
}

function element(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text != null) e.textContent = text;
  return e;
}
