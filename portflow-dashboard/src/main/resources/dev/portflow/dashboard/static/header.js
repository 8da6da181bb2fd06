// The header: pipeline name and page title, the status line (#status), the banner that
// explains a non-live state, the bottleneck sentence (#bottleneck) and those of the autoscaled
// stages still widening (#scaling).

import { clock } from './format.js';

const LABELS = { connecting: 'Connecting…', live: 'Live', draining: 'Draining', stopped: 'Stopped', reconnecting: 'Reconnecting…' };

const BANNERS = {
  draining: 'Draining: the pipeline takes no new messages and is finishing the buffered ones.',
  stopped: 'The pipeline has stopped. This page reconnects by itself when the server is back.',
  failed: 'The pipeline has failed. This page reconnects by itself when the server is back.',
  reconnecting: 'The connection to the server is lost; retrying every 2 seconds. The numbers below are the last ones received.',
};

// data-state per pipeline state: STARTING counts as live, FAILED as stopped.
const BY_PIPELINE_STATE = { STARTING: 'live', RUNNING: 'live', DRAINING: 'draining', STOPPED: 'stopped', FAILED: 'stopped' };

export function createHeader() {
  const status = document.getElementById('status');
  const statusText = status.querySelector('.status-text');
  const banner = document.getElementById('state-banner');
  const bottleneck = document.getElementById('bottleneck');
  const announcement = document.getElementById('bottleneck-announcement');
  const scalingBar = document.querySelector('.scaling-bar');
  const scaling = document.getElementById('scaling');
  let announced; // the bottleneck and widening stages last announced to screen readers
  const updated = document.getElementById('updated');
  let pipelineState = null;

  function show(state, label = LABELS[state], explanation = BANNERS[state]) {
    status.dataset.state = state;
    status.dataset.pipeline = pipelineState ?? '';
    setText(statusText, label);
    banner.hidden = !explanation;
    banner.dataset.state = state;
    setText(banner, explanation ?? '');
  }

  // Only touched when the text changes, so nothing is redrawn or re-read for nothing.
  function setText(element, value) {
    if (element.textContent !== value) element.textContent = value;
  }

  return {
    pipeline(name) {
      document.getElementById('pipeline-name').textContent = name;
      document.title = `Portflow — ${name}`;
    },
    frame(frame) {
      pipelineState = frame.state;
      const state = BY_PIPELINE_STATE[frame.state] ?? 'live';
      const label = frame.state === 'STARTING' ? 'Starting' : frame.state === 'FAILED' ? 'Failed' : LABELS[state];
      show(state, label, frame.state === 'FAILED' ? BANNERS.failed : BANNERS[state]);
      const reason = frame.bottleneck?.reason;
      const widening = frame.scaling ?? [];
      bottleneck.dataset.active = String(Boolean(frame.bottleneck));
      setText(bottleneck, reason ?? (widening.length
        ? 'No bottleneck right now: the busy stages with a full input can still get more workers.'
        : 'No bottleneck right now: no busy component has an input buffer 80% full or more.'));
      scalingBar.hidden = widening.length === 0;
      setText(scaling, widening.map((w) => w.reason).join(' '));
      // Announced when the bottleneck or the set of widening stages changes, not their numbers.
      const component = frame.bottleneck?.component ?? null;
      const summary = [component ? `Bottleneck: ${component}` : 'No bottleneck',
        ...widening.map((w) => `${w.component} is widening`)].join('. ');
      if (summary !== announced) {
        announced = summary;
        announcement.textContent = summary;
      }
      updated.textContent = `Frame ${frame.seq} at ${clock(frame.time)}`;
    },
    connecting: () => show('connecting'),
    reconnecting: () => show('reconnecting'),
    // The stream broke. A stopped pipeline ends its stream on purpose, so that stays "stopped".
    streamLost() {
      if (pipelineState === 'STOPPED' || pipelineState === 'FAILED') return;
      show('reconnecting');
    },
  };
}
