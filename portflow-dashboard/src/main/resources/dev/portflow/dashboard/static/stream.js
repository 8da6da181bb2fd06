// The SSE stream of frames. EventSource retries network errors by itself (the server sends
// "retry: 2000"), but gives up for good on an HTTP error such as the 503 sent when too many
// streams are open, or a 404 while a server restarts: then we open a new one after 2 s.

const REOPEN_MS = 2000;

export function openStream(url, { onFrame, onOpen, onError }) {
  let source = null;
  let timer = 0;

  function open() {
    source = new EventSource(url);
    source.addEventListener('open', () => onOpen());
    source.addEventListener('frame', (event) => {
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return; // a torn or foreign message; the next frame comes within one interval
      }
      onFrame(frame);
    });
    source.addEventListener('error', () => {
      onError();
      if (source.readyState === EventSource.CLOSED) {
        clearTimeout(timer);
        timer = setTimeout(open, REOPEN_MS);
      }
    });
  }

  open();
  return {
    close() {
      clearTimeout(timer);
      source?.close();
    },
  };
}
