// One event stream, read with fetch rather than EventSource: it sends the token in a header and Last-Event-ID
// as we choose, sees the status of a refusal (401, 404) and lets a dead timer notice a stream that a proxy
// holds back. Ends once, telling why: 'ended', 'stalled', 'network' or the HTTP status.
class SseStream {
  constructor({ url, token, cursor, deadMs, onOpen, onEvent, onEnd }) {
    this.deadMs = deadMs;
    this.onEnd = onEnd;
    this.aborter = new AbortController();
    this.done = false;
    this.stalled = false;
    this.timer = 0;
    this.read(url, token, cursor, onOpen, onEvent);
  }

  async read(url, token, cursor, onOpen, onEvent) {
    const headers = { Accept: 'text/event-stream' };
    if (token) headers.Authorization = `Bearer ${token}`;
    if (cursor) headers['Last-Event-ID'] = cursor;
    let reason = 'network';
    this.arm();
    try {
      const response = await fetch(url, { headers, cache: 'no-store', signal: this.aborter.signal });
      if (!response.ok) {
        reason = response.status;
        response.body?.cancel().catch(() => {});
      } else {
        const parser = new SseParser(onEvent);
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        for (let first = true; ; first = false) {
          const { value, done } = await reader.read();
          if (done || this.done) break;
          this.arm();
          if (first) onOpen(); // the server speaks first ("retry:"), so bytes mean the stream gets through
          parser.push(value);
        }
        reason = 'ended';
      }
    } catch {
      if (this.stalled) reason = 'stalled';
    }
    this.finish(reason);
  }

  /** Restarts the dead timer: silence longer than two keep-alives means something holds the stream back. */
  arm() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.stalled = true;
      this.aborter.abort();
    }, this.deadMs);
  }

  finish(reason) {
    clearTimeout(this.timer);
    if (this.done) return;
    this.done = true;
    this.onEnd(reason);
  }

  close() {
    clearTimeout(this.timer);
    this.done = true;
    this.aborter.abort();
  }
}
