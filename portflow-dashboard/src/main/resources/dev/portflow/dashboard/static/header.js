// The header: pipeline name and page title, the status line (#status), the banner that
// explains a non-live state, and the bottleneck sentence (#bottleneck).

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
  let announced; // the bottleneck component last announced to screen readers
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
      bottleneck.dataset.active = String(Boolean(frame.bottleneck));
      setText(bottleneck, reason ?? 'No bottleneck right now: no busy component has an input buffer 80% full or more.');
      const component = frame.bottleneck?.component ?? null;
      if (component !== announced) {
        announced = component;
        announcement.textContent = component ? `Bottleneck: ${component}` : 'No bottleneck';
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
