// Which jobs of the list herald.js keeps live: the first MAX_WATCHED unfinished jobs loaded (the newest, where
// the activity is) and, beyond those, the rows in sight wherever the list is scrolled. The rows in sight are
// taken once the scrolling settles, so the streams change once per stop, not once per frame.
import { TERMINAL } from './format.js';

const MAX_WATCHED = 1000;
const SETTLE_MS = 300;

export class ListWatches {
  constructor(herald, onEvent) {
    this.herald = herald;
    this.onEvent = onEvent;
    this.loaded = new Map(); // id -> watch, for the first MAX_WATCHED loaded
    this.sight = new Map(); // id -> watch, for rows in sight beyond those
    this.timer = 0;
  }

  /** A job just loaded into the list. */
  add(job) {
    if (TERMINAL.has(job.status) || this.loaded.size >= MAX_WATCHED || this.has(job.id)) return;
    this.loaded.set(job.id, this.open(job.id));
  }

  has(id) {
    return this.loaded.has(id) || this.sight.has(id);
  }

  open(id) {
    return this.herald.watch(id, (job, event) => this.onEvent(job, event));
  }

  /** The rows in sight changed: once they settle, inSight() (the jobs of those rows) are watched too. */
  moved(inSight) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.settle(inSight()), SETTLE_MS);
  }

  settle(jobs) {
    const wanted = new Set(jobs.filter((job) => job && !TERMINAL.has(job.status)).map((job) => job.id));
    for (const [id, watch] of this.sight) {
      if (!wanted.has(id)) {
        watch.close();
        this.sight.delete(id);
      }
    }
    for (const id of wanted) if (!this.has(id)) this.sight.set(id, this.open(id));
  }

  /** A job that ended or went away: nothing more to watch. */
  end(id) {
    for (const watches of [this.loaded, this.sight]) {
      watches.get(id)?.close();
      watches.delete(id);
    }
  }

  clear() {
    clearTimeout(this.timer);
    for (const watches of [this.loaded, this.sight]) {
      for (const watch of watches.values()) watch.close();
      watches.clear();
    }
  }
}
