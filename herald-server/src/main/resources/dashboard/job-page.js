// The job page (#/jobs/{id}): the job with its stages, metadata, result and error, a live log tail with a level
// filter, its children as a tree with their roll-up and drill-down, and cancel/retry. One herald.js watch of
// the job's subtree (descendants and logs) keeps all of it live.
import { $, el, setText, setStatus, setBar, percentOf, formatPercent, stageText, countText, etaText,
  etaBasisText, elapsedText, perFrame, stageIndexOf, flags, setFlags, TERMINAL } from './format.js';
import { ChildrenTree } from './children-tree.js';

const LEVELS = ['debug', 'info', 'warn', 'error'];
const MAX_LOG_LINES = 2000;

export class JobPage {
  constructor(herald, api) {
    this.herald = herald;
    this.api = api;
    this.sub = null;
    this.render = perFrame(() => this.paint());
    this.aborter = new AbortController(); // its listeners go with it (a new token makes a new page)
    this.tree = new ChildrenTree(this.render, this.aborter.signal);
    this.flags = flags('job-page');
    $('job-status').after(this.flags.stalled, this.flags.overdue);
    const on = (id, type, listener) => $(id).addEventListener(type, listener, { signal: this.aborter.signal });
    on('log-level', 'change', () => this.filterLog());
    on('cancel-button', 'click', () => this.act('cancel'));
    on('retry-button', 'click', () => this.act('retry'));
  }

  show(id) {
    this.hide();
    this.id = id;
    this.job = null;
    this.seqs = new Set();
    this.tree.reset(id);
    $('job-title').textContent = 'Loading…';
    $('job-id').textContent = id;
    for (const name of ['job-deleted', 'job-error-text', 'action-error']) $(name).hidden = true;
    for (const name of ['job-fields', 'job-stages', 'job-log']) $(name).replaceChildren();
    this.sub = this.herald.watch(id, { descendants: true, logs: true }, (job, event) => {
      if (event.type === 'deleted') this.tree.changed();
      if (event.jobId === id && event.type === 'deleted') $('job-deleted').hidden = false;
      this.render();
    });
    this.sub.onLog((line, job) => job?.id === id && this.addLogLine(line));
    this.api(`/jobs/${encodeURIComponent(id)}/logs?limit=500`)
      .then((body) => (Array.isArray(body) ? body : body.items || []).forEach((line) => this.addLogLine(line)))
      .catch((error) => this.failed(error));
    this.herald.get(id).catch((error) => this.failed(error));
  }

  hide() {
    this.sub?.close();
    this.sub = null;
  }

  close() {
    this.hide();
    this.aborter.abort();
  }

  failed(error) {
    if (error.status !== 401) setText($('job-error-text'), error.status === 404 ? 'No such job.' : error.message);
  }

  paint() {
    const job = this.sub?.job;
    if (!job) return;
    $('job-title').textContent = job.name || job.type;
    setStatus($('job-status'), job.status);
    setFlags(this.flags, job);
    setText($('job-eta'), etaText(job));
    $('job-summary').dataset.status = job.status;
    setBar($('job-bar'), job);
    $('job-percent').textContent = formatPercent(percentOf(job));
    $('job-elapsed').textContent = elapsedText(job);
    $('cancel-button').hidden = TERMINAL.has(job.status);
    $('retry-button').hidden = !(job.status === 'failed' || job.status === 'running');
    const parent = $('job-parent');
    parent.hidden = !job.parentId;
    if (job.parentId) parent.replaceChildren('child of ', el('a', { href: `#/jobs/${encodeURIComponent(job.parentId)}`, class: 'job-id', text: job.parentId }));
    this.fields(job);
    this.stages(job);
    const hasResult = job.status === 'completed' && job.result != null;
    $('job-result-section').hidden = !hasResult;
    $('job-result').textContent = hasResult ? JSON.stringify(job.result, null, 2) : '';
    this.children(job);
  }

  fields(job) {
    const progress = job.progress || {};
    const eta = etaText(job);
    const fields = [
      ['Type', job.type], ['Project', job.project], ['Owner', job.owner], ['Stage', stageText(job)],
      ['Progress', countText(progress)], ['Message', progress.message],
      ['Metadata', progress.metadata && JSON.stringify(progress.metadata)],
      ['ETA', eta && `${eta}, from ${etaBasisText(job.eta)}`],
      ['Error', job.error && [job.error.code, job.error.message].filter(Boolean).join(': ')],
      ['Attempt', job.maxAttempts > 1 ? `${job.attempt} of ${job.maxAttempts}` : job.attempt],
      ['Worker', job.lease && `${job.lease.worker}, lease until ${job.lease.expiresAt}`],
      ['Next attempt', job.nextAttemptAt], ['Version', job.version], ['Created', job.createdAt],
      ['Started', job.startedAt], ['Finished', job.finishedAt], ['Updated', job.updatedAt],
    ];
    $('job-fields').replaceChildren(...fields.filter(([, value]) => value != null && value !== '')
      .flatMap(([label, value]) => [el('dt', { text: label }), el('dd', { text: String(value), 'data-field': label })]));
  }

  stages(job) {
    const stages = job.stages || [];
    const total = stages.reduce((sum, stage) => sum + (Number(stage.weight) || 0), 0) || 1;
    const current = job.status === 'completed' ? stages.length : stageIndexOf(job);
    $('job-stages-section').hidden = !stages.length;
    $('job-stages').replaceChildren(...stages.map((stage, i) => {
      const place = i < current ? 'done' : i === current ? 'current' : null;
      return el('li', { class: place, 'aria-current': place === 'current' ? 'step' : null },
        el('span', { text: stage.name }),
        el('span', { class: 'muted', text: `weight ${stage.weight} (${((100 * stage.weight) / total).toFixed(1)}%)` }));
    }));
  }

  // ---------- the children tree ----------

  children(job) {
    const rows = this.tree.arrange(this.sub.jobs);
    $('job-children-section').hidden = !job.children && rows === 0;
    $('job-rollup').textContent = job.children?.text || '';
    this.tree.paint(this.sub.jobs);
  }

  // ---------- the log tail ----------

  addLogLine(line) {
    if (line.seq != null && this.seqs.has(line.seq)) return; // read over REST and streamed: once
    if (line.seq != null) this.seqs.add(line.seq);
    const level = LEVELS.includes(line.level) ? line.level : 'info';
    const time = new Date(line.time);
    const node = el('li', { class: `log-line level-${level}`, 'data-testid': 'log-line', 'data-seq': line.seq, 'data-level': level },
      el('time', { datetime: line.time, text: Number.isNaN(time.getTime()) ? '' : time.toLocaleTimeString() }),
      el('span', { class: 'log-level', text: level }),
      el('span', { class: 'log-message', text: line.message }));
    if (line.fields && Object.keys(line.fields).length) node.append(el('code', { class: 'log-fields', text: JSON.stringify(line.fields) }));
    node.hidden = !this.shown(level);
    const list = $('job-log');
    const following = list.scrollTop + list.clientHeight >= list.scrollHeight - 8;
    let before = null;
    // The REST page and the stream overlap and may come in either order: keep seq order.
    for (let next = list.lastElementChild; line.seq != null && next && Number(next.dataset.seq) > line.seq; next = next.previousElementSibling) before = next;
    list.insertBefore(node, before);
    while (list.childElementCount > MAX_LOG_LINES) list.firstElementChild.remove();
    if (following) list.scrollTop = list.scrollHeight;
  }

  shown(level) {
    return LEVELS.indexOf(level) >= LEVELS.indexOf($('log-level').value);
  }

  filterLog() {
    for (const node of $('job-log').children) node.hidden = !this.shown(node.dataset.level);
  }

  // ---------- actions ----------

  async act(action) {
    const id = this.id;
    const button = $(`${action}-button`);
    button.disabled = true;
    $('action-error').hidden = true;
    try {
      await this.api(`/jobs/${encodeURIComponent(id)}/${action}`, { method: 'POST' });
    } catch (error) {
      const denied = error.status === 403 || error.status === 401;
      if (this.id === id) setText($('action-error'), denied ? `This token may not ${action} jobs.` : error.message);
    } finally {
      button.disabled = false;
    }
  }

  tick() {
    if (this.sub?.job) $('job-elapsed').textContent = elapsedText(this.sub.job);
  }
}
