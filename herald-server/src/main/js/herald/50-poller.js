// The fallback where streams do not get through: long polls (waitForVersion) of each watched job, at most six
// at a time and the rest round-robin, and a re-read of each watched project's newest jobs. What a poll finds
// is handed on as an event, so the registry orders and deduplicates it like any other.
const MAX_POLLS = 6;
const POLL_TIMEOUT_MS = 25000;
const PROJECT_POLL_MS = 2000;

class Poller {
  constructor(client) {
    this.client = client;
    this.needs = new Set();
    this.queue = [];
    this.running = 0;
    this.stopped = true;
  }

  start(needs) {
    this.stopped = false;
    this.update(needs);
  }

  update(needs) {
    const fresh = [...needs].filter((need) => !this.needs.has(need));
    this.needs = new Set(needs);
    this.queue.push(...fresh);
    this.pump();
  }

  stop() {
    this.stopped = true;
    this.needs = new Set();
    this.queue = [];
  }

  pump() {
    while (!this.stopped && this.running < MAX_POLLS && this.queue.length) {
      const need = this.queue.shift();
      if (!this.needs.has(need)) continue;
      this.running++;
      this.poll(need).catch((error) => this.client.pollFailed(error, need)).then((pause) => {
        setTimeout(() => {
          this.running--;
          if (this.needs.has(need)) this.queue.push(need);
          this.pump();
        }, pause);
      });
    }
  }

  /** One round for one need; resolves to how long to wait before its next round. */
  async poll(need) {
    const [kind, target] = splitNeed(need);
    if (kind === 'project') {
      const page = await this.client.rest(`/jobs?project=${enc(target)}&limit=100`);
      page.items.forEach((job) => this.found(job));
      return PROJECT_POLL_MS;
    }
    const known = this.client.registry.versions.get(target) ?? 0;
    const job = await this.client.rest(`/jobs/${enc(target)}?waitForVersion=${known}&timeoutMs=${POLL_TIMEOUT_MS}`);
    if (job.version <= known) return 0;
    if (kind === 'tree' && job.children) {
      const page = await this.client.rest(`/jobs/${enc(target)}/children?limit=500`);
      page.items.forEach((child) => this.found(child));
    }
    await this.logs(target);
    this.found(job);
    return 0;
  }

  async logs(id) {
    if (![...this.client.registry.subs].some((sub) => sub.options.logs)) return;
    const after = this.client.registry.seqs.get(id);
    const body = await this.client.rest(`/jobs/${enc(id)}/logs?limit=500${after == null ? '' : `&after=${after}`}`);
    for (const log of Array.isArray(body) ? body : body.items || []) {
      this.client.ingest({ type: 'log', jobId: id, log }, 'poll', '');
    }
  }

  found(job) {
    const before = this.client.registry.jobs.get(job.id);
    const moved = before && before.status !== job.status;
    const event = { type: before ? (moved ? 'status' : 'progress') : 'snapshot', jobId: job.id, version: job.version, job };
    if (moved) Object.assign(event, { from: before.status, to: job.status });
    this.client.ingest(event, 'poll', '');
  }
}
