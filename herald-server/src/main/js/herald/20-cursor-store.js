// The cursor of each stream (its last event id), kept in sessionStorage so that a reloaded page resumes where
// it stopped and the transitions of the reload arrive as events. Written at most once a second and on pagehide.
class CursorStore {
  constructor(name) {
    this.key = `herald.cursors:${name}`;
    this.timer = 0;
    try {
      this.cursors = JSON.parse(sessionStorage.getItem(this.key)) || {};
    } catch {
      this.cursors = {}; // storage blocked or unreadable: this page starts fresh
    }
  }

  get(stream) {
    return this.cursors[stream] || '';
  }

  set(stream, cursor) {
    if (!cursor || this.cursors[stream] === cursor) return;
    this.cursors[stream] = cursor;
    if (!this.timer) this.timer = setTimeout(() => this.save(), 1000);
  }

  /** A cursor the server no longer understands (a wiped store): the stream starts from its snapshot. */
  drop(stream) {
    delete this.cursors[stream];
    this.save();
  }

  save() {
    clearTimeout(this.timer);
    this.timer = 0;
    try {
      sessionStorage.setItem(this.key, JSON.stringify(this.cursors));
    } catch {
      // storage full or blocked: resuming after a reload is lost, the live connection is not
    }
  }
}
