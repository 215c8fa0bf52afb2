// Herald.connect: the public face (BROWSER.md). It owns the registry of this page's watches, the cursors, and,
// when this tab leads, the connection; as a follower it forwards its needs to the leader and takes its events.
const DEFAULTS = { transport: 'auto', share: true, keepAliveMs: 15000, streamRetryMs: 60000 };
const TRANSPORTS = new Set(['auto', 'sse', 'websocket', 'poll']);

class Client {
  constructor(options = {}) {
    const settings = { ...DEFAULTS, ...options };
    if (!TRANSPORTS.has(settings.transport)) {
      throw new TypeError(`transport must be 'auto', 'sse', 'websocket' or 'poll', not '${settings.transport}'`);
    }
    if (settings.token == null && typeof settings.getToken !== 'function') {
      throw new TypeError('Herald.connect needs a token or a getToken function');
    }
    this.url = (settings.url || globalThis.location.origin).replace(/\/+$/, '');
    this.settings = settings;
    this.currentToken = settings.token ?? null;
    this.state = 'connecting';
    this.stateListeners = [];
    const name = `herald:${this.url}:${settings.getToken ? 'getToken' : tokenName(settings.token)}`;
    this.cursors = new CursorStore(name);
    this.behind = Object.keys(this.cursors.cursors).length > 0; // reloaded: what happened meanwhile is owed
    this.registry = new Registry(() => this.needsChanged());
    this.connection = new Connection(this, settings);
    this.followers = new Followers();
    this.tabs = new TabGroup(name, { onLead: () => this.lead(), onMessage: (m) => this.message(m) });
    this.updateTimer = 0;
    this.listeners = {
      online: () => this.tabs.leader && this.connection.resume(),
      offline: () => this.tabs.leader && this.connection.pause(),
      pagehide: () => this.hide(),
      pageshow: (event) => event.persisted && this.show(),
    };
    for (const [type, listener] of Object.entries(this.listeners)) globalThis.addEventListener?.(type, listener);
    this.heartbeat = setInterval(() => this.beat(), TAB_HEARTBEAT_MS);
    this.share = settings.share && globalThis.navigator?.locks && globalThis.BroadcastChannel;
    if (this.share) this.tabs.join();
    else this.tabs.lead();
  }

  get leader() {
    return this.tabs.leader;
  }

  onState(listener) {
    this.stateListeners.push(listener);
    return () => { this.stateListeners = this.stateListeners.filter((l) => l !== listener); };
  }

  watch(jobId, options, callback) {
    if (typeof options === 'function') [options, callback] = [{}, options];
    requireId(jobId, 'job id');
    return this.subscribe(options?.descendants ? 'tree' : 'job', jobId, options || {}, callback);
  }

  watchProject(project, options, callback) {
    if (typeof options === 'function') [options, callback] = [{}, options];
    requireId(project, 'project');
    return this.subscribe('project', project, options || {}, callback);
  }

  subscribe(kind, target, options, callback) {
    if (this.state === 'closed') throw new Error('this Herald connection is closed');
    return this.registry.add(new Subscription(this.registry, kind, target, options, callback || (() => {})));
  }

  /** A plain REST read of one job. */
  get(jobId) {
    requireId(jobId, 'job id');
    return this.rest(`/jobs/${enc(jobId)}`);
  }

  /** A REST call with the token; a 401 fetches a new token (getToken) and tries once more. */
  async rest(path, init = {}) {
    for (let attempt = 0; ; attempt++) {
      const token = this.currentToken ?? await this.token();
      const headers = { Accept: 'application/json', Authorization: `Bearer ${token}`, ...init.headers };
      const response = await fetch(this.url + API + path, { ...init, headers, cache: 'no-store' });
      if (response.status === 401 && attempt === 0 && this.settings.getToken) {
        this.tokenRefused();
        continue;
      }
      if (!response.ok) throw await HeraldError.of(response);
      return response.status === 204 ? null : response.json();
    }
  }

  /** Called before each connection: a fresh token from getToken, or the fixed one. */
  async token() {
    if (this.settings.getToken) this.currentToken = await this.settings.getToken();
    return this.currentToken;
  }

  tokenRefused() {
    if (this.settings.getToken) this.currentToken = null;
  }

  close() {
    if (this.state === 'closed') return;
    for (const sub of [...this.registry.subs]) sub.close();
    this.connection.pause();
    this.tabs.leave();
    this.cursors.save();
    clearInterval(this.heartbeat);
    for (const [type, listener] of Object.entries(this.listeners)) globalThis.removeEventListener?.(type, listener);
    this.setState('closed');
  }

  // ---------- events, from the connection or the leader ----------

  frame(frame, key) {
    let event;
    try {
      event = JSON.parse(frame.data);
    } catch {
      return; // not an event of the API: nothing to take
    }
    this.ingest(event, key, frame.id, frame.data);
  }

  ingest(event, key, cursor, data) {
    if (cursor) this.cursors.set(key, cursor);
    this.registry.accept(event);
    if (this.tabs.leader && this.followers.size) {
      this.tabs.post({ t: 'ev', key, cursor, data: data || JSON.stringify(event) });
    }
  }

  /** A stream was refused (404): its jobs are gone or unreadable, so their watchers are told and the rest go on. */
  refused(key, url) {
    const [kind, target] = splitNeed(key);
    const ids = kind === 'project' ? [] : subscriptionOf(url).jobs;
    for (const id of ids) {
      this.get(id).then((job) => this.ingest({ type: 'snapshot', jobId: id, version: job.version, job }, 'poll', ''),
        (error) => error.status === 404 && this.gone(id));
    }
  }

  gone(id) {
    this.refusedIds = (this.refusedIds || new Set()).add(id);
    for (const sub of this.registry.subs) {
      if (sub.target === id) sub.deliver(null, { type: 'deleted', jobId: id });
    }
    this.needsChanged();
  }

  /** A failed poll: a refused token is fetched anew, a job gone is told to its watchers; then a pause. */
  pollFailed(error, need) {
    const [kind, target] = splitNeed(need);
    if (error.status === 401) this.tokenRefused();
    if (error.status === 404 && kind !== 'project') this.gone(target);
    return 2000;
  }

  connectionState(state) {
    if (!this.tabs.leader) return;
    this.setState(state);
    if (this.followers.size) this.tabs.post({ t: 'state', state });
  }

  setState(state) {
    if (this.state === state || this.state === 'closed') return;
    this.state = state;
    for (const listener of this.stateListeners) safely(listener, state);
  }

  // ---------- tabs ----------

  lead() {
    this.behind = false; // a leader resumes from its own cursors
    this.tabs.post({ t: 'hello' }); // followers answer with their needs
    this.needsChanged();
  }

  /** Coalesces a burst (a page adding a thousand watches, followers answering hello) into one update. */
  needsChanged() {
    clearTimeout(this.updateTimer);
    this.updateTimer = setTimeout(() => {
      if (!this.tabs.leader) {
        // A tab back from the cache or a reload sends its cursors: the leader replays from them what it missed.
        const needs = this.registry.needs();
        this.tabs.post({ t: 'needs', needs, from: this.behind && needs.length ? this.cursors.cursors : undefined });
        if (needs.length) this.behind = false;
        return;
      }
      const refused = this.refusedIds || new Set();
      const needs = new Set([...this.registry.needs(), ...this.followers.needs()]);
      const from = this.rewind;
      this.rewind = null;
      this.connection.update([...needs].filter((need) => !refused.has(splitNeed(need)[1])), from);
    }, 30);
  }

  message(m) {
    // Every tab, not only the leader, keeps what the others watch: the tab that leads next knows them from its
    // first moment and passes the events of the handover on before they answer its hello, so none misses one.
    if (m.t === 'needs') {
      // A tab that is behind gets the events it missed from its own cursors (its snapshots would hide them);
      // only over live streams, which have every event up to now and so lose none by starting again.
      const rewind = this.tabs.leader && m.from && this.connection.state() === 'live';
      if (this.followers.heard(m.tab, m.needs) && this.tabs.leader) this.welcome(!rewind);
      if (rewind) this.rewind = { ...this.rewind, ...m.from };
      if (this.tabs.leader) this.needsChanged();
    } else if (m.t === 'bye') {
      if (this.followers.gone(m.tab) && this.tabs.leader) this.needsChanged();
    } else if (this.tabs.leader) {
      // events, states and hellos are for followers
    } else if (m.t === 'ev') {
      if (m.cursor) this.cursors.set(m.key, m.cursor);
      this.registry.accept(JSON.parse(m.data));
    } else if (m.t === 'state') {
      for (const [key, cursor] of Object.entries(m.cursors || {})) this.cursors.set(key, cursor);
      this.setState(m.state);
    } else if (m.t === 'hello') {
      this.needsChanged();
    }
  }

  /** What a tab that asked for something new needs at once: the state, and the jobs this tab knows (the stream
   *  sends no snapshot again when its jobs stay the same). The tab drops what it already has. */
  welcome(snapshots = true) {
    this.tabs.post({ t: 'state', state: this.state, cursors: this.cursors.cursors });
    if (snapshots) for (const job of this.registry.jobs.values()) {
      this.tabs.post({ t: 'ev', key: '', cursor: '', data: JSON.stringify({ type: 'snapshot', jobId: job.id, version: job.version, job }) });
    }
  }

  beat() {
    if (this.followers.sweep() || !this.tabs.leader) this.needsChanged();
  }

  /** Leaving (reload, close, or into the back/forward cache, which keeps no connection open): another tab leads. */
  hide() {
    this.cursors.save();
    this.connection.pause();
    this.tabs.leave();
  }

  show() {
    this.behind = true;
    this.tabs = new TabGroup(this.tabs.name, { onLead: () => this.lead(), onMessage: (m) => this.message(m) });
    this.connection.unpause(); // connects once this tab leads again
    if (this.share) this.tabs.join();
    else this.tabs.lead();
    if (!this.tabs.leader) this.needsChanged();
  }
}

function requireId(value, what) {
  if (typeof value !== 'string' || !value) throw new TypeError(`${what} must be a non-empty string`);
}

const Herald = {
  /** Opens a connection (BROWSER.md §1); with share (the default) one per origin and token across tabs. */
  connect: (options) => new Client(options),
};
