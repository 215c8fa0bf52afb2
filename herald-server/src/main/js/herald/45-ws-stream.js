// One stream over WebSocket (transport: 'websocket'), in SseStream's shape so the connection treats both alike:
// it subscribes to its jobs (or one job's subtree) with the versions this page has as `since`, so missed status
// and log events are replayed as with Last-Event-ID. Pings keep the server's 45 s idle limit away; the server's
// heartbeats feed the dead timer.
const WS_PING_MS = 20000;

class WsStream {
  constructor({ url, token, deadMs, since, onOpen, onEvent, onEnd }) {
    const { jobs, descendants } = subscriptionOf(url);
    const address = new URL(`${API}/ws`, url);
    address.protocol = address.protocol === 'https:' ? 'wss:' : 'ws:';
    if (token) address.searchParams.set('access_token', token);
    this.deadMs = deadMs;
    this.onEnd = onEnd;
    this.done = false;
    this.opened = false;
    this.socket = new WebSocket(address);
    this.socket.onopen = () => {
      this.socket.send(JSON.stringify({ type: 'subscribe', jobs, descendants, since: since(jobs) }));
      this.pinger = setInterval(() => this.socket.send('{"type":"ping","id":"herald.js"}'), WS_PING_MS);
    };
    this.socket.onmessage = (message) => {
      this.arm();
      const data = String(message.data);
      const type = /"type":"(\w+)"/.exec(data)?.[1];
      if (type === 'subscribed' && !this.opened) {
        this.opened = true;
        onOpen();
      } else if (type === 'error') {
        this.finish(/"code":"not_found"/.test(data) ? 404 : /"code":"unauthorized"/.test(data) ? 401 : 'network');
      } else if (type !== 'pong' && type !== 'heartbeat') {
        onEvent({ id: '', data });
      }
    };
    this.socket.onclose = () => this.finish(this.opened ? 'ended' : 'network');
    this.arm();
  }

  arm() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.finish('stalled'), this.deadMs);
  }

  finish(reason) {
    if (this.done) return;
    this.close();
    this.onEnd(reason);
  }

  close() {
    this.done = true;
    clearTimeout(this.timer);
    clearInterval(this.pinger);
    this.socket.onclose = null;
    this.socket.close();
  }
}
