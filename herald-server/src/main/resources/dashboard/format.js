// What the dashboard's views share: building DOM from text (never markup), bars, badges and the wording of
// percent, stages, counts, durations and ETAs.
export const TERMINAL = new Set(['completed', 'failed', 'cancelled']);
export const STATUSES = ['pending', 'queued', 'running', 'completed', 'failed', 'cancelled'];

export const $ = (id) => document.getElementById(id);

export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value == null) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  node.append(...children); // strings become text nodes, never markup
  return node;
}

export function setText(node, text) {
  node.textContent = text || '';
  node.hidden = !text;
}

export function setStatus(badge, status) {
  if (badge.textContent === status) return; // an unchanged write still costs a style pass
  badge.textContent = status;
  badge.className = `badge status-${status}`;
}

/** A weighted stage bar: one segment per stage (or one for a job without stages), role="progressbar". */
export function stageBar(testid) {
  return el('div', {
    class: 'bar', role: 'progressbar', 'aria-label': 'Progress', 'aria-valuemin': '0', 'aria-valuemax': '100',
    'aria-valuenow': '0', 'data-testid': testid,
  });
}

export function setBar(bar, job) {
  const percent = percentOf(job);
  if (bar.getAttribute('aria-valuenow') === percent.toFixed(1) && bar.dataset.stages === String(job.stages?.length)) return;
  bar.dataset.stages = String(job.stages?.length);
  bar.setAttribute('aria-valuenow', percent.toFixed(1));
  bar.setAttribute('aria-valuetext', `${formatPercent(percent)}${stageText(job) ? `, ${stageText(job)}` : ''}`);
  const stages = job.stages?.length ? job.stages : [{ name: '', weight: 1 }];
  const total = stages.reduce((sum, stage) => sum + (Number(stage.weight) || 0), 0) || 1;
  if (bar.childElementCount !== stages.length) {
    bar.replaceChildren(...stages.map((stage) => el('div', { class: 'segment', title: stage.name || null },
      el('div', { class: 'segment-fill' }))));
  }
  // Each segment fills with the share of the overall percent that falls into its weight.
  let before = 0;
  stages.forEach((stage, i) => {
    const share = (100 * (Number(stage.weight) || 0)) / total;
    const segment = bar.children[i];
    segment.style.flexGrow = String(share);
    const filled = Math.min(1, Math.max(0, (percent - before) / share || 0));
    segment.firstElementChild.style.transform = `scaleX(${filled})`;
    before += share;
  });
}

export function percentOf(job) {
  if (job.status === 'completed') return 100;
  let value = job.progress?.percent;
  // A parent that reports nothing itself moves with its children.
  if ((value == null || value === 0) && job.children) value = job.children.percent;
  return Math.min(100, Math.max(0, Number(value) || 0));
}

export const formatPercent = (percent) => `${percent.toFixed(1)}%`;

export const stageIndexOf = (job) =>
  job.progress?.stageIndex ?? (job.stages || []).findIndex((s) => s.name === job.progress?.stage);

export function stageText(job) {
  const stages = job.stages || [];
  const index = stageIndexOf(job);
  if (!stages.length || index < 0 || index >= stages.length) return job.progress?.stage || '';
  return `${job.progress?.stage || stages[index].name} · stage ${index + 1}/${stages.length}`;
}

export function countText(progress = {}) {
  if (progress.current == null) return '';
  const amount = progress.total != null ? `${progress.current} / ${progress.total}` : `${progress.current}`;
  return progress.unit ? `${amount} ${progress.unit}` : amount;
}

function durationText(ms) {
  const s = Math.max(0, Math.round(ms / 1000));
  const m = Math.floor(s / 60);
  return s < 60 ? `${s} s` : m < 60 ? `${m} min ${s % 60} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** A time to wait, rounded as a person would say it: "40 s", "3 min", "1 h 20 min". */
export function roughDuration(ms) {
  if (ms < MINUTE) return `${Math.max(1, Math.round(ms / SECOND))} s`;
  if (ms < HOUR) return `${Math.round(ms / MINUTE)} min`;
  const m = Math.round(ms / MINUTE);
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** "about 3 min left (2–5)": the range in the unit of the estimate, left out when it says nothing more. */
export function etaText(job) {
  const eta = job.eta;
  if (eta?.remainingMs == null || TERMINAL.has(job.status)) return '';
  const ms = Math.max(SECOND, eta.remainingMs);
  const unit = ms < MINUTE ? SECOND : ms < HOUR ? MINUTE : HOUR;
  const [low, high] = [eta.low, eta.high].map((v) => Math.round((v ?? ms) / unit));
  return `about ${roughDuration(ms)} left${low === high ? '' : ` (${low}–${high})`}`;
}

/** What the estimate rests on, for the job page: "history of 12 runs", "its own rate". */
export function etaBasisText(eta) {
  const runs = eta.sampleSize === 1 ? '1 run' : `${eta.sampleSize} runs`;
  return { rate: 'its own rate', history: `history of ${runs}`, blend: `its rate and history of ${runs}` }[eta.basis] || eta.basis;
}

export function elapsedText(job, now = Date.now()) {
  const [created, started, finished] = [job.createdAt, job.startedAt, job.finishedAt].map((t) => Date.parse(t));
  if (finished) return `took ${durationText(finished - (started || created))}`;
  if (started) return `${durationText(now - started)} elapsed`;
  return created ? `waiting ${durationText(now - created)}` : '';
}

/** Runs fn at most once per animation frame however often it is asked for: many events, one paint. */
export function perFrame(fn) {
  let frame = 0;
  return () => {
    if (!frame) frame = requestAnimationFrame(() => { frame = 0; fn(); });
  };
}

/** The warnings a running job may carry (API §10), as words: colour is never the only sign. */
export function flags(testid) {
  return {
    stalled: el('span', { class: 'flag flag-stalled', 'data-testid': `${testid}-stalled`, hidden: '',
      title: 'Nothing reported for longer than the server waits before calling a job stalled' }),
    overdue: el('span', { class: 'flag flag-overdue', 'data-testid': `${testid}-overdue`, hidden: '',
      title: 'Running longer than 9 in 10 past runs of its type' }),
  };
}

export function setFlags(shown, job) {
  const running = job.status === 'running';
  setText(shown.stalled, running && job.stalled ? 'stalled' : '');
  setText(shown.overdue, running && job.overdue ? 'overdue' : '');
}
