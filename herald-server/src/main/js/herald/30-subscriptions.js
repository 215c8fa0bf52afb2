// The subscription registry: every watch of this page, and the one place events are accepted. An event is
// taken once, in version order (log lines in seq order), whichever way it came: stream, replay, poll or another
// tab. Older or repeated versions are dropped here, so no listener ever sees one twice.
class Subscription {
  constructor(registry, kind, target, options, callback) {
    this.registry = registry;
    this.kind = kind; // 'job' | 'tree' | 'project'
    this.target = target;
    this.options = options;
    this.callback = callback;
    this.job = null;
    this.jobs = new Map();
    this.logListeners = [];
    this.closed = false;
  }

  get need() {
    return `${this.kind}:${this.target}`;
  }

  covers(job) {
    if (this.kind === 'project') return job.project === this.target;
    if (job.id === this.target) return true;
    if (this.kind !== 'tree') return false;
    for (let up = this.registry.jobs.get(job.parentId); up; up = this.registry.jobs.get(up.parentId)) {
      if (up.id === this.target) return true;
    }
    return job.parentId === this.target;
  }

  onLog(listener) {
    this.logListeners.push(listener);
    return this;
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    this.registry.remove(this);
  }

  deliver(job, event) {
    if (event.type === 'deleted') this.jobs.delete(event.jobId);
    else this.jobs.set(job.id, job);
    if (event.jobId === this.target) this.job = job;
    safely(this.callback, job, event);
  }

  log(line, job) {
    for (const listener of this.logListeners) safely(listener, line, job);
  }
}

/** A listener's exception is reported, and never stops the others or the connection. */
function safely(listener, ...args) {
  try {
    listener(...args);
  } catch (error) {
    setTimeout(() => { throw error; });
  }
}

class Registry {
  constructor(onNeedsChange) {
    this.subs = new Set();
    this.byJob = new Map(); // job id -> the watches of that one job: found without looking at every watch
    this.wide = new Set(); // tree and project watches, asked one by one
    this.jobs = new Map(); // id -> newest state
    this.versions = new Map(); // id -> newest version taken
    this.seqs = new Map(); // id -> newest log seq taken
    this.onNeedsChange = onNeedsChange;
  }

  add(sub) {
    this.subs.add(sub);
    if (sub.kind === 'job') {
      if (!this.byJob.has(sub.target)) this.byJob.set(sub.target, new Set());
      this.byJob.get(sub.target).add(sub);
    } else {
      this.wide.add(sub);
    }
    // What this page already has is given at once: the stream will not send it again.
    const known = sub.kind === 'job' ? [this.jobs.get(sub.target)].filter(Boolean) : this.jobs.values();
    for (const job of known) {
      if (sub.covers(job)) sub.deliver(job, { type: 'snapshot', jobId: job.id, version: job.version, job });
    }
    this.onNeedsChange();
    return sub;
  }

  remove(sub) {
    this.subs.delete(sub);
    this.wide.delete(sub);
    const same = this.byJob.get(sub.target);
    if (sub.kind === 'job' && same?.delete(sub) && !same.size) {
      this.byJob.delete(sub.target);
      this.forget(sub.target);
    }
    this.onNeedsChange();
  }

  forget(id) {
    this.jobs.delete(id);
    this.versions.delete(id);
    this.seqs.delete(id);
  }

  needs() {
    return [...new Set([...this.subs].map((sub) => sub.need))];
  }

  /** The watches a job's events go to. */
  watchersOf(id, job) {
    const found = [...(this.byJob.get(id) || [])];
    if (job) for (const sub of this.wide) if (sub.covers(job)) found.push(sub);
    return found;
  }

  /** Takes an event of the API (§3); false when it is one this page already has. */
  accept(event) {
    const id = event.jobId;
    if (event.type === 'log') {
      if (!(event.log?.seq > (this.seqs.get(id) ?? -1))) return false;
      this.seqs.set(id, event.log.seq);
      const job = this.jobs.get(id) || null;
      for (const sub of this.watchersOf(id, job)) sub.log(event.log, job);
      return true;
    }
    if (event.type === 'deleted') {
      const job = this.jobs.get(id);
      if (!job) return false;
      for (const sub of this.watchersOf(id, job)) sub.deliver(null, event);
      this.forget(id);
      return true;
    }
    if (!STATE_EVENTS.has(event.type) || !event.job || !(event.version > (this.versions.get(id) ?? -1))) return false;
    this.versions.set(id, event.version);
    this.jobs.set(id, event.job);
    for (const sub of this.watchersOf(id, event.job)) sub.deliver(event.job, event);
    return true;
  }
}
