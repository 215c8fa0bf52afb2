// One connection for all tabs of an origin and token: the tab holding a Web Lock leads and connects; the others
// send it what they watch and receive its events over a BroadcastChannel. The browser frees the lock when the
// leading tab closes or crashes, and the next tab in the lock's queue takes over at once. Without Web Locks or
// BroadcastChannel, every tab leads itself.
const TAB_HEARTBEAT_MS = 4000;
// Chrome runs a tab's timers once a minute after it has been hidden for five minutes: a hidden follower still
// beats at least that often, and must not be forgotten (it would miss transitions until its next beat).
const TAB_TIMEOUT_MS = 150000;

class TabGroup {
  constructor(name, { onLead, onMessage }) {
    this.name = name;
    this.onLead = onLead;
    this.onMessage = onMessage;
    this.id = Math.random().toString(36).slice(2);
    this.leader = false;
    this.channel = null;
    this.release = null;
  }

  join() {
    if (!globalThis.navigator?.locks || !globalThis.BroadcastChannel) {
      this.lead();
      return;
    }
    this.channel = new BroadcastChannel(this.name);
    this.channel.onmessage = (message) => this.onMessage(message.data);
    const held = new Promise((resolve) => { this.release = resolve; });
    const aborter = new AbortController();
    this.abortWait = () => aborter.abort();
    navigator.locks.request(this.name, { signal: aborter.signal }, () => {
      if (!this.channel) return undefined; // left while waiting
      this.lead();
      return held;
    }).catch(() => {}); // the wait was aborted: this tab left
  }

  lead() {
    this.leader = true;
    this.onLead();
  }

  post(message) {
    this.channel?.postMessage({ ...message, tab: this.id });
  }

  leave() {
    this.post({ t: 'bye' });
    this.channel?.close();
    this.channel = null;
    this.abortWait?.();
    this.release?.();
    this.leader = false;
  }
}

/** A tab's view of the others: what each watches, forgotten when a tab says bye or goes quiet. The leader
 *  connects for them and passes them its events; a follower keeps it for when it leads. */
class Followers {
  constructor() {
    this.tabs = new Map();
  }

  /** Notes a tab's needs; true when they changed. */
  heard(tab, needs) {
    const changed = String(this.tabs.get(tab)?.needs) !== String(needs);
    this.tabs.set(tab, { needs, seen: Date.now() });
    return changed;
  }

  gone(tab) {
    return this.tabs.delete(tab);
  }

  /** Drops tabs not heard of for a while (crashed or frozen); true when any went. */
  sweep() {
    let dropped = false;
    for (const [tab, { seen }] of this.tabs) {
      if (Date.now() - seen > TAB_TIMEOUT_MS) dropped = this.tabs.delete(tab);
    }
    return dropped;
  }

  needs() {
    return [...this.tabs.values()].flatMap((tab) => tab.needs);
  }

  get size() {
    return this.tabs.size;
  }
}
