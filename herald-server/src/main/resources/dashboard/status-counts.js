// The list's counts per status: the server's (GET /stats/statuses) for the type and project filters, not the
// loaded rows'. The page sees the events of the jobs it watches only, so it cannot keep a total by itself; it
// asks again when a status it sees changes, at most every COUNT_EVERY_MS however many change in between, and
// with each look for new jobs (which catches the changes of jobs it does not watch).
import { $, STATUSES } from './format.js';

const COUNT_EVERY_MS = 1000;

export class StatusCounts {
  constructor(api, failed) {
    this.api = api;
    this.failed = failed;
    this.timer = 0;
    this.asked = 0; // the newest request: an older answer coming later is not shown
  }

  /** Asks COUNT_EVERY_MS after the first of any number of calls: a burst of status changes costs one request. */
  soon(filters) {
    this.filters = filters;
    if (!this.timer) this.timer = setTimeout(() => { this.timer = 0; this.ask(this.filters); }, COUNT_EVERY_MS);
  }

  async ask(filters) {
    const asked = ++this.asked;
    const query = new URLSearchParams();
    for (const key of ['type', 'project']) if (filters[key]) query.set(key, filters[key]);
    try {
      const body = await this.api(`/stats/statuses?${query}`);
      if (asked !== this.asked) return;
      for (const status of STATUSES) $(`count-${status}`).textContent = String(body.counts[status] ?? 0);
    } catch (error) {
      if (asked === this.asked) this.failed(error);
    }
  }

  close() {
    clearTimeout(this.timer);
    this.asked++;
  }
}
