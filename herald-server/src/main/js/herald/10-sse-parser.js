// Server-Sent Events framing (the WHATWG rules Herald's server needs): fields per line, a blank line ends an
// event, ':' lines are comments (keep-alives). Fed with text chunks as they arrive, split anywhere.
class SseParser {
  constructor(onEvent) {
    this.onEvent = onEvent;
    this.buffer = '';
    this.clear();
  }

  clear() {
    this.id = '';
    this.type = '';
    this.data = [];
  }

  push(chunk) {
    this.buffer += chunk;
    let start = 0;
    for (let end; (end = this.buffer.indexOf('\n', start)) >= 0; start = end + 1) {
      const line = this.buffer.slice(start, this.buffer[end - 1] === '\r' ? end - 1 : end);
      this.line(line);
    }
    this.buffer = this.buffer.slice(start);
  }

  line(line) {
    if (line === '') {
      if (this.data.length) this.onEvent({ id: this.id, type: this.type || 'message', data: this.data.join('\n') });
      this.clear();
      return;
    }
    if (line[0] === ':') return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value[0] === ' ') value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.type = value;
    else if (field === 'id') this.id = value;
  }
}
