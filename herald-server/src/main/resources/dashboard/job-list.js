// The job list: server-side filters (status, type, project), a text filter over what is loaded, live counts per
// status, paging through older jobs, and a virtualized list (only the rows in sight exist in the DOM) kept live
// by herald.js (ListWatches: the newest unfinished jobs and the rows in sight); a project filter watches the
// whole project.
import { $, el, setText, setStatus, stageBar, setBar, percentOf, formatPercent, stageText, countText, etaText,
  elapsedText, perFrame, flags, setFlags, TERMINAL } from './format.js';
import { StatusCounts } from './status-counts.js';
import { ListWatches } from './list-watches.js';

const PAGE_SIZE = 200;
const ROW_HEIGHT = 122; // px, as .job-row in app.css: rows of one height make the list virtual
const OVERSCAN = 6;
const REFRESH_MS = 5000;

export class JobList {
  constructor(herald, api, open) {
    this.herald = herald;
    this.api = api;
    this.open = open;
    this.jobs = new Map();
    this.order = [];
    this.visible = [];
    this.rows = new Map();
    this.watches = new ListWatches(herald, (job, event) => this.live(job, event));
    this.projectWatch = null;
    this.cursor = null;
    this.generation = 0;
    this.filters = { status: '', type: '', project: '', text: '', children: false };
    this.render = perFrame(() => this.paint());
    this.counts = new StatusCounts(api, (error) => this.failed(error));
    this.viewport = $('job-list');
    this.spacer = $('job-list-spacer');
    this.loading = false;
    this.aborter = new AbortController(); // its listeners go with it (a new token makes a new list)
    const on = (node, type, listener) => node.addEventListener(type, listener, { signal: this.aborter.signal });
    on(this.viewport, 'scroll', () => { this.render(); this.nearEnd(); });
    on(this.viewport, 'keydown', (event) => this.key(event));
    for (const id of ['filter-status', 'filter-children']) on($(id), 'change', () => this.apply());
    for (const id of ['filter-type', 'filter-project', 'filter-text']) on($(id), 'input', debounce(() => this.apply(), 300));
    on($('load-more'), 'click', () => this.more());
    this.refreshTimer = setInterval(() => this.refresh(), REFRESH_MS);
    this.reload();
  }

  apply() {
    const text = (id) => $(id).value.trim();
    const next = { status: $('filter-status').value, type: text('filter-type'), project: text('filter-project'),
      text: text('filter-text').toLowerCase(), children: $('filter-children').checked };
    const serverSide = ['status', 'type', 'project', 'children'].some((key) => next[key] !== this.filters[key]);
    this.filters = next;
    if (serverSide) this.reload();
    else this.layout();
  }

  path(cursor) {
    const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
    for (const key of ['status', 'type', 'project']) if (this.filters[key]) query.set(key, this.filters[key]);
    if (cursor) query.set('cursor', cursor);
    return `/jobs?${query}`;
  }

  async reload() {
    const generation = ++this.generation;
    try {
      const page = await this.api(this.path(null));
      if (generation !== this.generation) return;
      this.watches.clear();
      this.projectWatch?.close();
      this.projectWatch = this.filters.project
        ? this.herald.watchProject(this.filters.project, (job, event) => this.live(job, event)) : null;
      this.jobs.clear();
      this.order = [];
      this.add(page);
      this.viewport.scrollTop = 0;
      this.counts.ask(this.filters);
    } catch (error) {
      this.failed(error);
    }
  }

  async more() {
    if (!this.cursor || this.loading) return;
    const generation = this.generation;
    this.loading = true;
    try {
      const page = await this.api(this.path(this.cursor));
      if (generation === this.generation) this.add(page);
    } catch (error) {
      this.failed(error);
    } finally {
      this.loading = false;
    }
  }

  /** New jobs since the last look (a project watch brings them live; a plain list looks every few seconds). */
  async refresh() {
    if (document.hidden) return;
    this.counts.soon(this.filters);
    if (this.projectWatch) return;
    const generation = this.generation;
    try {
      const page = await this.api(this.path(null));
      if (generation !== this.generation) return;
      const fresh = page.items.filter((job) => !this.jobs.has(job.id));
      if (fresh.length) this.add({ items: fresh, nextCursor: this.cursor }, true);
    } catch (error) {
      this.failed(error);
    }
  }

  add(page, atTop = false) {
    const ids = [];
    for (const job of page.items) {
      if (this.jobs.has(job.id)) continue;
      this.jobs.set(job.id, job);
      ids.push(job.id);
      this.watch(job);
    }
    this.order = atTop ? ids.concat(this.order) : this.order.concat(ids);
    if (!atTop) this.cursor = page.nextCursor || null;
    $('load-more').hidden = !this.cursor;
    $('list-error').hidden = true;
    this.layout();
  }

  watch(job) {
    if (this.projectWatch) return;
    if (!this.filters.children && job.parentId != null) return; // not listed: nothing to keep live
    this.watches.add(job);
  }

  live(job, event) {
    if (event.type === 'deleted') {
      this.jobs.delete(event.jobId);
      this.order = this.order.filter((id) => id !== event.jobId);
      this.watches.end(event.jobId);
      this.layout();
      this.counts.soon(this.filters);
      return;
    }
    const before = this.jobs.get(job.id);
    if (!before) {
      if (!this.matches(job)) return;
      this.order.unshift(job.id); // new in a watched project
    }
    this.jobs.set(job.id, job);
    if (TERMINAL.has(job.status)) this.watches.end(job.id);
    // Only a new row or a new status changes what is listed and the counts; progress repaints its row.
    const listed = !before || before.status !== job.status;
    if (listed) this.counts.soon(this.filters);
    if (listed) this.layout();
    else this.render();
  }

  matches(job) {
    return (!this.filters.status || job.status === this.filters.status) && (!this.filters.type || job.type === this.filters.type);
  }

  listed(job) {
    if (!this.filters.children && job.parentId != null) return false;
    const text = this.filters.text;
    return !text || [job.name, job.type, job.id].some((value) => value && value.toLowerCase().includes(text));
  }

  /** Recomputes what is listed, then paints on the next frame. */
  layout() {
    this.dirty = true;
    this.render();
  }

  paint() {
    if (this.viewport.offsetParent === null) return; // hidden (a job's page is open): painted when shown
    if (this.dirty) {
      this.dirty = false;
      this.visible = this.order.filter((id) => this.listed(this.jobs.get(id)));
      this.spacer.style.height = `${this.visible.length * ROW_HEIGHT}px`;
      $('empty').hidden = this.visible.length > 0;
    }
    const first = Math.max(0, Math.floor(this.viewport.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(this.visible.length, Math.ceil((this.viewport.scrollTop + this.viewport.clientHeight) / ROW_HEIGHT) + OVERSCAN);
    const wanted = new Set(this.visible.slice(first, last));
    const moved = this.rows.size !== wanted.size || [...wanted].some((id) => !this.rows.has(id));
    for (const [id, row] of this.rows) {
      if (!wanted.has(id)) {
        row.el.remove();
        this.rows.delete(id);
      }
    }
    for (let i = first; i < last; i++) {
      const id = this.visible[i];
      const row = this.rows.get(id) || this.createRow(id);
      row.el.style.transform = `translateY(${i * ROW_HEIGHT}px)`;
      row.el.setAttribute('aria-posinset', String(i + 1));
      row.el.setAttribute('aria-setsize', String(this.visible.length));
      if (row.job !== this.jobs.get(id)) this.updateRow(row, this.jobs.get(id));
    }
    if (moved && !this.projectWatch) this.watches.moved(() => [...this.rows.keys()].map((id) => this.jobs.get(id)));
  }

  createRow(id) {
    const span = (testid) => el('span', { 'data-testid': testid });
    const row = {
      name: el('a', { class: 'job-name', 'data-testid': 'job-name', href: `#/jobs/${encodeURIComponent(id)}`, tabindex: '-1' }),
      type: el('span', { class: 'job-type' }),
      status: el('span', { class: 'badge', 'data-testid': 'job-status' }),
      bar: stageBar('job-bar'),
      percent: el('span', { class: 'percent', 'data-testid': 'job-percent' }),
      stage: span('job-stage'), count: span('job-count'), eta: span('job-eta'),
      children: span('job-children'), elapsed: span('job-elapsed'),
      message: el('p', { class: 'job-message', 'data-testid': 'job-message' }),
      error: el('p', { class: 'job-error', 'data-testid': 'job-error' }),
      flags: flags('job'),
      job: null,
    };
    row.el = el('li', { class: 'job-row', 'data-testid': 'job-row', 'data-job-id': id, role: 'option', tabindex: '-1' },
      el('div', { class: 'row-head' }, row.name, row.status, row.flags.stalled, row.flags.overdue, row.type, el('code', { class: 'job-id', text: id })),
      el('div', { class: 'row-progress' }, row.bar, row.percent),
      el('div', { class: 'row-facts' }, row.stage, row.count, row.eta, row.children, row.elapsed),
      row.message, row.error);
    row.el.addEventListener('click', () => this.open(id));
    this.spacer.append(row.el);
    this.rows.set(id, row);
    return row;
  }

  updateRow(row, job) {
    const progress = job.progress || {};
    row.job = job;
    row.el.dataset.status = job.status;
    row.name.textContent = job.name || job.type;
    row.type.textContent = job.type;
    setStatus(row.status, job.status);
    setFlags(row.flags, job);
    setBar(row.bar, job);
    row.percent.textContent = formatPercent(percentOf(job));
    setText(row.stage, stageText(job));
    setText(row.count, countText(progress));
    setText(row.eta, etaText(job));
    setText(row.children, job.children?.text);
    setText(row.elapsed, elapsedText(job));
    setText(row.message, progress.message);
    setText(row.error, job.status === 'failed' ? job.error?.message : '');
  }

  /** Arrow keys move between rows (scrolling the virtual list), Enter opens the focused job. */
  key(event) {
    const current = document.activeElement?.closest?.('.job-row');
    const index = current ? this.visible.indexOf(current.dataset.jobId) : -1;
    const moves = { ArrowDown: 1, ArrowUp: -1, PageDown: 8, PageUp: -8, Home: -Infinity, End: Infinity };
    if (event.key === 'Enter' && current) {
      this.open(current.dataset.jobId);
    } else if (event.key in moves && this.visible.length) {
      event.preventDefault();
      const next = Math.min(this.visible.length - 1, Math.max(0, index + moves[event.key]));
      this.focusRow(next);
    }
  }

  focusRow(index) {
    const top = index * ROW_HEIGHT;
    if (top < this.viewport.scrollTop) this.viewport.scrollTop = top;
    else if (top + ROW_HEIGHT > this.viewport.scrollTop + this.viewport.clientHeight) {
      this.viewport.scrollTop = top + ROW_HEIGHT - this.viewport.clientHeight;
    }
    this.paint();
    this.rows.get(this.visible[index])?.el.focus();
  }

  nearEnd() {
    if (this.viewport.scrollTop + this.viewport.clientHeight > this.visible.length * ROW_HEIGHT - 10 * ROW_HEIGHT) this.more();
  }

  failed(error) {
    if (error.status !== 401) setText($('list-error'), `Could not load jobs: ${error.message}`);
  }

  close() {
    this.aborter.abort();
    this.counts.close();
    this.watches.clear();
    clearInterval(this.refreshTimer);
    this.generation++;
    for (const row of this.rows.values()) row.el.remove();
  }

  /** Ticks the age of running jobs in sight. */
  tick() {
    for (const row of this.rows.values()) if (row.job && !TERMINAL.has(row.job.status)) setText(row.elapsed, elapsedText(row.job));
  }
}

function debounce(fn, ms) {
  let timer = 0;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(fn, ms);
  };
}
