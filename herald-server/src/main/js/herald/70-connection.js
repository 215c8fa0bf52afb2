// The leader's connection: one stream per key of streamsFor(needs), each reconnecting on its own with its last
// cursor and full-jitter backoff; long polling instead where streams do not get through, with a new try of the
// streams every minute. Its state is what herald.state shows.
const FAILED_CONNECTS_BEFORE_POLLING = 3;

class Connection {
  constructor(client, { transport, keepAliveMs, streamRetryMs }) {
    this.client = client;
    this.transport = transport;
    this.deadMs = 2 * keepAliveMs;
    this.streamRetryMs = streamRetryMs;
    this.entries = new Map(); // key -> { url, stream, open, attempt, failures, timer }
    this.wanted = new Map();
    this.needs = [];
    this.poller = new Poller(client);
    this.polling = transport === 'poll';
    this.probing = false; // polling, with the streams tried again meanwhile
    this.probeTimer = 0;
    this.paused = false;
  }

  /** The streams of these needs; with from (cursors by stream key), every stream starts again, from there where
   *  given: a tab that was away gets what it missed, the others drop what they already have. */
  update(needs, from) {
    this.needs = needs;
    this.wanted = streamsFor(needs);
    if (from && !this.polling) {
      for (const key of [...this.entries.keys()]) this.drop(key);
      for (const key of this.wanted.keys()) if (from[key]) this.client.cursors.set(key, from[key]);
    }
    if (this.polling) this.poller.start(needs);
    if (!this.polling || this.probing) this.sync();
    this.report();
  }

  sync() {
    for (const [key, entry] of this.entries) {
      if (this.wanted.get(key) !== entry.url) this.drop(key);
    }
    for (const [key, url] of this.wanted) {
      if (!this.entries.has(key)) {
        this.entries.set(key, { url, stream: null, open: false, attempt: 0, failures: 0, timer: 0 });
        this.connect(key);
      }
    }
  }

  async connect(key) {
    const entry = this.entries.get(key);
    if (!entry || this.paused) return;
    let token;
    try {
      token = await this.client.token();
    } catch (error) {
      this.retry(key, entry, 'network');
      return;
    }
    if (this.entries.get(key) !== entry || this.paused) return;
    // WebSocket has no project subscriptions: a project's stream stays on SSE
    const Stream = this.transport === 'websocket' && !key.startsWith('project:') ? WsStream : SseStream;
    entry.stream = new Stream({
      url: this.client.url + entry.url, token, cursor: this.client.cursors.get(key), deadMs: this.deadMs,
      since: (jobs) => Object.fromEntries(jobs.filter((id) => this.client.registry.versions.has(id))
        .map((id) => [id, this.client.registry.versions.get(id)])),
      onOpen: () => this.opened(key, entry),
      onEvent: (frame) => this.client.frame(frame, key),
      onEnd: (reason) => this.ended(key, entry, reason),
    });
  }

  opened(key, entry) {
    Object.assign(entry, { open: true, attempt: 0, failures: 0 });
    if (this.probing && [...this.entries.values()].every((e) => e.open)) this.stopPolling();
    this.report();
  }

  async ended(key, entry, reason) {
    entry.open = false;
    entry.stream = null;
    if (this.entries.get(key) !== entry || this.paused) return;
    if (reason === 401) {
      this.client.tokenRefused();
      entry.attempt++;
      if (entry.attempt === 1) this.connect(key);
      else this.retry(key, entry, reason);
    } else if (reason === 400 && this.client.cursors.get(key)) {
      this.client.cursors.drop(key);
      this.connect(key);
    } else if (reason === 404 || reason === 403) {
      this.drop(key);
      this.client.refused(key, this.wanted.get(key));
    } else if (this.probing || (this.transport === 'auto' && (reason === 'stalled' || await this.blocked(entry, reason)))) {
      this.startPolling();
    } else {
      this.retry(key, entry, reason);
    }
    this.report();
  }

  /** Three failed connects while plain requests get through: something on the way refuses streams. */
  async blocked(entry, reason) {
    if (reason === 'ended' && entry.failures === 0) return false; // a stream that ran and ended: reconnect
    if (++entry.failures < FAILED_CONNECTS_BEFORE_POLLING) return false;
    try {
      return (await fetch(this.client.url + '/health/live', { cache: 'no-store' })).ok;
    } catch {
      return false; // the server is away, not blocked: keep reconnecting
    }
  }

  retry(key, entry, reason) {
    clearTimeout(entry.timer);
    const wait = reason === 'ended' && entry.attempt === 0 ? backoffMs(0) : backoffMs(entry.attempt);
    entry.attempt++;
    entry.timer = setTimeout(() => this.connect(key), wait);
  }

  drop(key) {
    const entry = this.entries.get(key);
    if (!entry) return;
    clearTimeout(entry.timer);
    entry.stream?.close();
    this.entries.delete(key);
  }

  startPolling() {
    for (const key of [...this.entries.keys()]) this.drop(key);
    this.probing = false;
    this.polling = true;
    this.poller.start(this.needs);
    clearTimeout(this.probeTimer);
    this.probeTimer = setTimeout(() => this.probe(), this.streamRetryMs);
  }

  /** Tries the streams again while the polls go on; the polls stop once every stream is open. */
  probe() {
    if (this.paused) return;
    this.probing = true;
    this.sync();
  }

  stopPolling() {
    this.poller.stop();
    this.polling = false;
    this.probing = false;
  }

  /** Offline, a page leaving, or close(): everything stops until resume(). */
  pause() {
    this.paused = true;
    for (const key of [...this.entries.keys()]) this.drop(key);
    clearTimeout(this.probeTimer);
    this.poller.stop();
    this.report();
  }

  /** Back online or shown again: reconnects at once, streams first unless told to poll. */
  resume() {
    this.unpause();
    this.update(this.needs);
  }

  /** Ready to connect again, on the next update. */
  unpause() {
    this.paused = false;
    this.polling = this.transport === 'poll';
    this.probing = false;
  }

  state() {
    if (this.paused) return globalThis.navigator?.onLine === false ? 'offline' : 'connecting';
    if (this.polling) return 'polling';
    const entries = [...this.entries.values()];
    if (entries.every((e) => e.open)) return 'live';
    return entries.some((e) => e.attempt > 0) ? 'reconnecting' : 'connecting';
  }

  report() {
    this.client.connectionState(this.state());
  }
}
