'use strict';
// Herald dashboard: lists jobs and keeps them live over Server-Sent Events.
// Plain DOM, no framework. Text from the server only ever goes through textContent.

const API = '/api/v1';
const TOKEN_KEY = 'herald.token';
const PAGE_SIZE = 100;
const MAX_SUBSCRIBED = 1000;
const REFRESH_MS = 5000;
const MIN_NEW_ROWS = 25;
const MAX_AUTO_PAGES = 10;
const MAX_LOG_LINES = 2000;
const TERMINAL = new Set(['completed', 'failed', 'cancelled']);
const STATE_EVENTS = ['snapshot', 'status', 'progress', 'children'];
const LOG_LEVELS = new Set(['debug', 'info', 'warn', 'error']);
const CONNECTION_TEXT = { live: 'live', reconnecting: 'reconnecting…', offline: 'offline' };
const KNOWN_FIELDS = new Set(['id', 'type', 'name', 'project', 'owner', 'parentId', 'status', 'stages',
  'progress', 'children', 'eta', 'result', 'error', 'attempt', 'createdAt', 'startedAt', 'finishedAt',
  'updatedAt', 'version']);

const state = {
  token: null,
  jobs: new Map(), // id -> newest known state of each listed job
  order: [], // listed ids, newest first
  rows: new Map(), // id -> the row's elements
  cursor: null,
  generation: 0, // bumped on every list reset, so late answers are dropped
  filters: { status: '', type: '', children: false },
  stream: null, streamKey: '', streamFailed: false, lastEventId: '',
  dirty: new Set(), detailDirty: false, frame: 0,
  timers: { refresh: 0, tick: 0, subscribe: 0 },
  detail: null, // { id, job, stream, seqs, children, childTimer }
};

const $ = (id) => document.getElementById(id);
const enc = encodeURIComponent;

// ---------- DOM and formatting helpers ----------

function el(tag, props = {}, ...children) {
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

function setText(node, text) {
  node.textContent = text || '';
  node.hidden = !text;
}

const progressBar = (testid) => el('div', {
  class: 'bar', role: 'progressbar', 'aria-label': 'Progress', 'aria-valuemin': '0', 'aria-valuemax': '100',
  'aria-valuenow': '0', 'data-testid': testid,
}, el('div', { class: 'bar-fill' }));

function setBar(bar, percent) {
  bar.setAttribute('aria-valuenow', percent.toFixed(1));
  bar.firstElementChild.style.width = `${percent}%`;
}

function setStatus(badge, status) {
  badge.textContent = status;
  badge.className = `badge status-${status}`;
}

// Leaves nodes already in place attached: a detached bar would lose its width transition.
function syncOrder(container, nodes) {
  let next = container.firstElementChild;
  for (const node of nodes) {
    if (node === next) next = next.nextElementSibling;
    else container.insertBefore(node, next);
  }
  while (next) {
    const stale = next;
    next = next.nextElementSibling;
    stale.remove();
  }
}

function percentOf(job) {
  if (job.status === 'completed') return 100;
  let value = job.progress?.percent;
  // A parent that reports nothing itself moves with its children.
  if ((value == null || value === 0) && job.children) value = job.children.percent;
  return Math.min(100, Math.max(0, Number(value) || 0));
}

const formatPercent = (percent) => `${percent.toFixed(1)}%`;

const stageIndexOf = (job) =>
  job.progress?.stageIndex ?? (job.stages || []).findIndex((s) => s.name === job.progress?.stage);

function stageText(job) {
  const stages = job.stages || [];
  const index = stageIndexOf(job);
  if (!stages.length || index < 0 || index >= stages.length) return job.progress?.stage || '';
  return `${job.progress?.stage || stages[index].name} · stage ${index + 1}/${stages.length}`;
}

function countText(progress = {}) {
  if (progress.current == null) return '';
  const amount = progress.total != null ? `${progress.current} / ${progress.total}` : `${progress.current}`;
  return progress.unit ? `${amount} ${progress.unit}` : amount;
}

function durationText(ms) {
  const s = Math.max(0, Math.round(ms / 1000));
  const m = Math.floor(s / 60);
  return s < 60 ? `${s} s` : m < 60 ? `${m} min ${s % 60} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

function etaText(job) {
  const ms = job.eta?.remainingMs;
  if (ms == null || TERMINAL.has(job.status)) return '';
  const m = Math.round(ms / 60000);
  if (ms < 60000) return `about ${Math.max(1, Math.round(ms / 1000))} s left`;
  return m < 60 ? `about ${m} min left` : `about ${Math.floor(m / 60)} h ${m % 60} min left`;
}

function elapsedText(job, now = Date.now()) {
  const [created, started, finished] = [job.createdAt, job.startedAt, job.finishedAt].map((t) => Date.parse(t));
  if (finished) return `took ${durationText(finished - (started || created))}`;
  if (started) return `${durationText(now - started)} elapsed`;
  return created ? `waiting ${durationText(now - created)}` : '';
}

function parseEvent(event) {
  try { return JSON.parse(event.data); } catch { return null; }
}

// ---------- auth and REST ----------

function takeToken() {
  const url = new URL(location.href);
  const given = url.searchParams.get('token');
  if (given) {
    sessionStorage.setItem(TOKEN_KEY, given);
    url.searchParams.delete('token');
    history.replaceState(history.state, '', url.pathname + url.search + url.hash);
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

function showTokenForm(refused) {
  stop();
  $('jobs-view').hidden = true;
  $('token-form').hidden = false;
  $('token-error').hidden = !refused;
  $('token-input').focus();
}

function onTokenSubmit(event) {
  event.preventDefault();
  const token = $('token-input').value.trim();
  if (!token) return;
  sessionStorage.setItem(TOKEN_KEY, token);
  $('token-input').value = '';
  start(token);
}

const apiError = (status, code, message) => Object.assign(new Error(message), { status, code });

/** Calls the REST API; errors carry the server's {error: {code, message}}. */
async function api(path, options = {}) {
  const token = state.token;
  const headers = { Authorization: `Bearer ${token}`, Accept: 'application/json' };
  const response = await fetch(API + path, { ...options, headers }).catch(() => {
    throw apiError(0, 'network', 'the server cannot be reached');
  });
  if (response.status === 401) {
    if (token === state.token) { // only the first refusal of the current token
      sessionStorage.removeItem(TOKEN_KEY);
      showTokenForm(true);
    }
    throw apiError(401, 'unauthorized', 'Token refused');
  }
  const body = await response.json().catch(() => null);
  if (response.ok) return body;
  const error = body?.error || {};
  throw apiError(response.status, error.code || 'http_error', error.message || `HTTP ${response.status}`);
}

function showListError(error) {
  if (error.status !== 401) setText($('list-error'), `Could not load jobs: ${error.message}`);
}

// ---------- the job list ----------

function listPath(cursor) {
  const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (state.filters.status) query.set('status', state.filters.status);
  if (state.filters.type) query.set('type', state.filters.type);
  if (cursor) query.set('cursor', cursor);
  return `/jobs?${query}`;
}

const isListed = (job) => state.filters.children || job.parentId == null;

/** Updates the jobs already listed; returns the ids of the new listable ones. */
function addJobs(items) {
  const fresh = [];
  for (const job of items) {
    if (state.jobs.has(job.id)) acceptJob(job);
    else if (isListed(job)) {
      state.jobs.set(job.id, job);
      fresh.push(job.id);
      markDirty(job.id);
    }
  }
  return fresh;
}

function clearList() {
  state.jobs.clear();
  state.rows.clear();
  state.order = [];
  state.cursor = null;
  $('job-list').replaceChildren();
}

async function reloadList() {
  const generation = ++state.generation;
  const page = await api(listPath(null));
  if (generation !== state.generation) return;
  clearList(); // only now, so a failed reload leaves the old rows on screen
  await addPages(page, generation);
}

async function loadMore() {
  const generation = state.generation;
  $('load-more').disabled = true;
  try {
    const page = await api(listPath(state.cursor));
    if (generation === state.generation) await addPages(page, generation);
  } finally {
    $('load-more').disabled = false;
  }
}

// Hidden child jobs can fill whole pages (a new tree lists its children first),
// so keep reading until enough rows were added, the list ends or the page budget is spent.
async function addPages(page, generation) {
  for (let pages = 1, added = 0; ; pages++) {
    const ids = addJobs(page.items || []);
    state.order.push(...ids);
    added += ids.length;
    state.cursor = page.nextCursor || null;
    if (!state.cursor || added >= MIN_NEW_ROWS || pages >= MAX_AUTO_PAGES) break;
    page = await api(listPath(state.cursor));
    if (generation !== state.generation) return;
  }
  $('load-more').hidden = !state.cursor;
  $('list-error').hidden = true;
  requestRender();
  scheduleSubscribe();
}

const createdAt = (id) => state.jobs.get(id).createdAt || '';
const newestFirst = (a, b) => (createdAt(a) < createdAt(b) ? 1 : createdAt(a) > createdAt(b) ? -1 : 0);

async function refresh() {
  if (state.streamFailed) {
    // The stream was refused (a listed job may be gone): rebuild the list from the server.
    await reloadList();
    state.streamFailed = false;
    return;
  }
  const generation = state.generation;
  const page = await api(listPath(null));
  if (generation !== state.generation) return;
  const ids = addJobs(page.items || []);
  if (ids.length) state.order = ids.concat(state.order).sort(newestFirst);
  $('list-error').hidden = true;
  scheduleSubscribe();
}

function scheduleRefresh() {
  clearTimeout(state.timers.refresh);
  state.timers.refresh = setTimeout(() => refresh().catch(showListError).finally(() => {
    if (state.token) scheduleRefresh();
  }), REFRESH_MS);
}

function applyFilters() {
  state.filters = {
    status: $('filter-status').value,
    type: $('filter-type').value.trim(),
    children: $('filter-children').checked,
  };
  reloadList().catch(showListError);
}

/** Takes a job state from REST or SSE; older or equal versions are dropped (they repeat after reconnects). */
function acceptJob(job) {
  const known = state.jobs.get(job.id);
  if (known && job.version > known.version) {
    state.jobs.set(job.id, job);
    markDirty(job.id);
  }
  const detail = state.detail;
  if (detail?.id === job.id && !(detail.job?.version >= job.version)) {
    detail.job = job;
    state.detailDirty = true;
    requestRender();
  }
}

function removeJob(id) {
  state.jobs.delete(id);
  state.order = state.order.filter((other) => other !== id);
  state.rows.get(id)?.el.remove();
  state.rows.delete(id);
  requestRender();
  scheduleSubscribe();
  if (state.detail?.id !== id) return;
  $('detail-deleted').hidden = false;
  $('cancel-button').hidden = true;
  state.detail.stream?.close();
}

// ---------- rendering, batched per animation frame ----------

function markDirty(id) {
  state.dirty.add(id);
  requestRender();
}

function requestRender() {
  if (!state.frame) state.frame = requestAnimationFrame(render);
}

function render() {
  state.frame = 0;
  syncOrder($('job-list'), state.order.map((id) => {
    const existing = state.rows.get(id);
    const row = existing || createRow(id);
    if (!existing || state.dirty.has(id)) updateRow(row, state.jobs.get(id));
    return row.el;
  }));
  state.dirty.clear();
  $('empty').hidden = state.order.length > 0;
  if (state.detailDirty && state.detail?.job) renderDetail(state.detail.job);
  state.detailDirty = false;
}

function createRow(id) {
  const span = (testid) => el('span', { 'data-testid': testid });
  const row = {
    name: el('button', { type: 'button', class: 'job-name', 'data-testid': 'job-name' }),
    type: el('span', { class: 'job-type' }),
    status: el('span', { class: 'badge', 'data-testid': 'job-status' }),
    bar: progressBar('job-bar'),
    percent: el('span', { class: 'percent', 'data-testid': 'job-percent' }),
    stage: span('job-stage'), count: span('job-count'), eta: span('job-eta'),
    children: span('job-children'), elapsed: span('job-elapsed'),
    message: el('p', { class: 'job-message', 'data-testid': 'job-message' }),
    error: el('p', { class: 'job-error', 'data-testid': 'job-error' }),
  };
  row.el = el('li', { class: 'job-row', 'data-testid': 'job-row', 'data-job-id': id, onclick: () => openDetail(id) },
    el('div', { class: 'row-head' }, row.name, row.status, row.type, el('code', { class: 'job-id', text: id })),
    el('div', { class: 'row-progress' }, row.bar, row.percent),
    el('div', { class: 'row-facts' }, row.stage, row.count, row.eta, row.children, row.elapsed),
    row.message, row.error);
  row.el.classList.toggle('selected', state.detail?.id === id);
  state.rows.set(id, row);
  return row;
}

function updateRow(row, job) {
  const progress = job.progress || {};
  const percent = percentOf(job);
  row.el.dataset.status = job.status;
  row.name.textContent = job.name || job.type;
  row.type.textContent = job.type;
  setStatus(row.status, job.status);
  setBar(row.bar, percent);
  row.percent.textContent = formatPercent(percent);
  setText(row.stage, stageText(job));
  setText(row.count, countText(progress));
  setText(row.eta, etaText(job));
  setText(row.children, job.children?.text);
  setText(row.elapsed, elapsedText(job));
  setText(row.message, progress.message);
  setText(row.error, job.status === 'failed' ? job.error?.message : '');
}

function tick() {
  for (const [id, row] of state.rows) {
    const job = state.jobs.get(id);
    if (job && !TERMINAL.has(job.status)) setText(row.elapsed, elapsedText(job));
  }
  if (state.detail?.job) $('detail-elapsed').textContent = elapsedText(state.detail.job);
}

// ---------- the live stream of the listed jobs ----------

function setConnection(status, text = CONNECTION_TEXT[status]) {
  $('connection').dataset.state = status;
  $('connection').textContent = text;
}

function scheduleSubscribe() {
  clearTimeout(state.timers.subscribe);
  // Coalesces bursts (a page load, several deletions) into one reconnect.
  state.timers.subscribe = setTimeout(subscribe, 100);
}

function subscribe() {
  const key = state.order.slice(0, MAX_SUBSCRIBED).map(enc).join(',');
  if (state.stream && key === state.streamKey) return;
  closeStream();
  state.streamKey = key;
  if (!key) return setConnection('live');
  let url = `${API}/events?jobs=${key}&access_token=${enc(state.token)}`;
  // Resume where the previous connection stopped, so no transition is missed while switching.
  if (state.lastEventId) url += `&lastEventId=${enc(state.lastEventId)}`;
  const source = new EventSource(url);
  source.onopen = () => setConnection('live');
  source.onerror = () => onStreamError(source);
  for (const type of [...STATE_EVENTS, 'log', 'deleted']) source.addEventListener(type, onListEvent);
  state.stream = source;
  setConnection('reconnecting', 'connecting…');
}

function onStreamError(source) {
  if (source !== state.stream) return;
  if (source.readyState !== EventSource.CLOSED) return setConnection('reconnecting');
  // The browser gave up (the request was refused): the next refresh rebuilds and reopens.
  state.stream = null;
  state.streamKey = '';
  state.streamFailed = true;
  setConnection('offline');
}

function closeStream() {
  state.stream?.close();
  state.stream = null;
}

function onListEvent(event) {
  if (event.lastEventId) state.lastEventId = event.lastEventId;
  const data = parseEvent(event);
  if (event.type === 'deleted' && data) removeJob(data.jobId);
  else if (data?.job) acceptJob(data.job);
}

// ---------- the detail panel ----------

function openDetail(id) {
  closeDetail(false);
  state.detail = { id, job: null, stream: null, seqs: new Set(), children: new Map(), childTimer: 0 };
  $('detail').hidden = false;
  document.body.classList.add('has-detail');
  $('detail-title').textContent = 'Loading…';
  $('detail-id').textContent = id;
  for (const name of ['detail-parent', 'detail-deleted', 'detail-error', 'cancel-error', 'cancel-button']) {
    $(name).hidden = true;
  }
  for (const name of ['detail-fields', 'detail-stages', 'detail-children', 'detail-log']) $(name).replaceChildren();
  for (const [rowId, row] of state.rows) row.el.classList.toggle('selected', rowId === id);
  if (state.jobs.has(id)) acceptJob(state.jobs.get(id));
  openDetailStream(id);
  api(`/jobs/${enc(id)}`).then(acceptJob, showDetailError);
  loadLogs(id).catch(showDetailError);
  loadChildren(id).catch(showDetailError);
  $('detail-close').focus();
}

function closeDetail(restoreFocus = true) {
  const detail = state.detail;
  if (!detail) return;
  detail.stream?.close();
  clearTimeout(detail.childTimer);
  state.detail = null;
  $('detail').hidden = true;
  document.body.classList.remove('has-detail');
  const row = state.rows.get(detail.id);
  row?.el.classList.remove('selected');
  if (restoreFocus) row?.name.focus();
}

function showDetailError(error) {
  if (error.status !== 401 && state.detail) setText($('detail-error'), error.message);
}

function openDetailStream(id) {
  const source = new EventSource(`${API}/jobs/${enc(id)}/events?access_token=${enc(state.token)}`);
  for (const type of STATE_EVENTS) {
    source.addEventListener(type, (event) => {
      const data = parseEvent(event);
      if (data?.job) acceptJob(data.job);
      if (type === 'children') scheduleChildren(id); // some child moved: refresh the child list
    });
  }
  source.addEventListener('log', (event) => {
    const data = parseEvent(event);
    if (data?.log && state.detail?.id === id) addLogLine(data.log);
  });
  source.addEventListener('deleted', () => removeJob(id));
  state.detail.stream = source;
}

function renderDetail(job) {
  const percent = percentOf(job);
  $('detail-title').textContent = job.name || job.type;
  renderParent(job.parentId);
  setStatus($('detail-status'), job.status);
  $('detail-summary').dataset.status = job.status;
  setBar($('detail-bar'), percent);
  $('detail-percent').textContent = formatPercent(percent);
  $('detail-elapsed').textContent = elapsedText(job);
  if ($('detail-deleted').hidden) $('cancel-button').hidden = TERMINAL.has(job.status);
  renderFields(job);
  renderStages(job);
  const hasResult = job.status === 'completed' && job.result != null;
  $('detail-result-section').hidden = !hasResult;
  $('detail-result').textContent = hasResult ? JSON.stringify(job.result, null, 2) : '';
  $('detail-children-section').hidden = !job.children && state.detail.children.size === 0;
  $('detail-children-text').textContent = job.children?.text || '';
}

// Kept out of the field list, which is rebuilt on every update and would swallow clicks.
function renderParent(parentId) {
  const holder = $('detail-parent');
  if (!parentId || (!holder.hidden && holder.dataset.parentId === parentId)) return;
  holder.dataset.parentId = parentId;
  const open = () => openDetail(parentId);
  const link = el('button', { type: 'button', class: 'link job-id', text: parentId, onclick: open });
  holder.replaceChildren('child of ', link);
  holder.hidden = false;
}

function renderFields(job) {
  const progress = job.progress || {};
  const eta = etaText(job);
  const fields = [
    ['Type', job.type], ['Project', job.project], ['Owner', job.owner], ['Parent', job.parentId],
    ['Stage', stageText(job)], ['Progress', countText(progress)], ['Message', progress.message],
    ['Metadata', progress.metadata && JSON.stringify(progress.metadata)],
    ['ETA', eta && `${eta} (${job.eta.basis})`], ['Children', job.children?.text],
    ['Error', job.error && [job.error.code, job.error.message].filter(Boolean).join(': ')],
    ['Attempt', job.attempt], ['Version', job.version], ['Created', job.createdAt],
    ['Started', job.startedAt], ['Finished', job.finishedAt], ['Updated', job.updatedAt],
  ];
  // Fields the server added after this page was written are shown too.
  for (const [key, value] of Object.entries(job)) {
    if (KNOWN_FIELDS.has(key) || value == null) continue;
    fields.push([key, typeof value === 'object' ? JSON.stringify(value) : value]);
  }
  $('detail-fields').replaceChildren(...fields.filter(([, value]) => value != null && value !== '')
    .flatMap(([label, value]) => [el('dt', { text: label }), el('dd', { text: String(value) })]));
}

function renderStages(job) {
  const stages = job.stages || [];
  const total = stages.reduce((sum, stage) => sum + (Number(stage.weight) || 0), 0) || 1;
  const current = job.status === 'completed' ? stages.length : stageIndexOf(job);
  $('detail-stages-section').hidden = !stages.length;
  $('detail-stages').replaceChildren(...stages.map((stage, i) => {
    const share = ((100 * stage.weight) / total).toFixed(1);
    const place = i < current ? 'done' : i === current ? 'current' : null;
    return el('li', { class: place, 'aria-current': place === 'current' ? 'step' : null },
      el('span', { text: stage.name }),
      el('span', { class: 'muted', text: `weight ${stage.weight} (${share}%)` }));
  }));
}

async function cancelJob() {
  const { id } = state.detail;
  $('cancel-button').disabled = true;
  $('cancel-error').hidden = true;
  try {
    acceptJob(await api(`/jobs/${enc(id)}/cancel`, { method: 'POST' }));
  } catch (error) {
    if (error.status !== 401 && state.detail?.id === id) setText($('cancel-error'), error.message);
  } finally {
    $('cancel-button').disabled = false;
  }
}

function scheduleChildren(id) {
  const detail = state.detail;
  if (detail?.id !== id || detail.childTimer) return; // at most one reload a second
  detail.childTimer = setTimeout(() => {
    detail.childTimer = 0;
    loadChildren(id).catch(showDetailError);
  }, 1000);
}

async function loadChildren(id) {
  const page = await api(`/jobs?parentId=${enc(id)}&limit=${PAGE_SIZE}`);
  const detail = state.detail;
  if (detail?.id !== id) return;
  const items = page.items || [];
  const rows = items.map((job) => updateChildRow(detail.children.get(job.id) || createChildRow(job.id), job));
  syncOrder($('detail-children'), rows);
  setText($('detail-children-more'), page.nextCursor ? `Showing the newest ${items.length} children.` : '');
  if (items.length) $('detail-children-section').hidden = false;
}

function createChildRow(id) {
  const row = {
    name: el('button', { type: 'button', class: 'link', onclick: () => openDetail(id) }),
    status: el('span', { class: 'badge' }),
    bar: progressBar('child-bar'),
    percent: el('span', { class: 'percent' }),
  };
  row.el = el('li', { class: 'child-row', 'data-testid': 'child-row', 'data-job-id': id },
    row.name, row.status, row.bar, row.percent);
  state.detail.children.set(id, row);
  return row;
}

function updateChildRow(row, job) {
  const percent = percentOf(job);
  row.el.dataset.status = job.status;
  row.name.textContent = job.name || job.type;
  setStatus(row.status, job.status);
  setBar(row.bar, percent);
  row.percent.textContent = formatPercent(percent);
  return row.el;
}

async function loadLogs(id) {
  const body = await api(`/jobs/${enc(id)}/logs?limit=200`);
  if (state.detail?.id !== id) return;
  (Array.isArray(body) ? body : body?.items || []).forEach(addLogLine);
}

function addLogLine(line) {
  const { seqs } = state.detail;
  if (seqs.has(line.seq)) return; // replayed after a reconnect, or already read over REST
  if (line.seq != null) seqs.add(line.seq);
  const level = LOG_LEVELS.has(line.level) ? line.level : 'info';
  const time = new Date(line.time);
  const clock = Number.isNaN(time.getTime()) ? '' : time.toLocaleTimeString();
  const node = el('li', { class: `log-line level-${level}`, 'data-testid': 'log-line', 'data-seq': line.seq },
    el('time', { datetime: line.time, title: line.time, text: clock }),
    el('span', { class: 'log-level', text: line.level }),
    el('span', { class: 'log-message', text: line.message }));
  if (line.fields && Object.keys(line.fields).length) {
    node.append(el('code', { class: 'log-fields', text: JSON.stringify(line.fields) }));
  }
  insertLogLine(node, line.seq);
}

// The REST page and the live stream overlap and may arrive in either order: keep seq order.
function insertLogLine(node, seq) {
  const list = $('detail-log');
  const following = list.scrollTop + list.clientHeight >= list.scrollHeight - 8;
  let before = null;
  let next = list.lastElementChild;
  while (seq != null && next && Number(next.dataset.seq) > seq) [before, next] = [next, next.previousElementSibling];
  list.insertBefore(node, before);
  while (list.childElementCount > MAX_LOG_LINES) list.firstElementChild.remove();
  if (following) list.scrollTop = list.scrollHeight;
}

// ---------- start and stop ----------

function start(token) {
  state.token = token;
  $('token-form').hidden = true;
  $('jobs-view').hidden = false;
  setConnection('reconnecting', 'connecting…');
  reloadList().catch(showListError);
  scheduleRefresh();
  state.timers.tick = setInterval(tick, 1000);
}

function stop() {
  state.token = null;
  state.generation++;
  closeStream();
  closeDetail(false);
  clearList();
  Object.values(state.timers).forEach((timer) => clearTimeout(timer)); // timeouts and intervals share one id pool
  Object.assign(state, { streamKey: '', streamFailed: false, lastEventId: '' });
  setConnection('offline');
}

function debounce(fn, ms) {
  let timer = 0;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(fn, ms);
  };
}

function init() {
  $('token-form').addEventListener('submit', onTokenSubmit);
  $('filters').addEventListener('submit', (event) => event.preventDefault());
  $('filter-status').addEventListener('change', applyFilters);
  $('filter-children').addEventListener('change', applyFilters);
  $('filter-type').addEventListener('input', debounce(applyFilters, 300));
  $('load-more').addEventListener('click', () => loadMore().catch(showListError));
  $('detail-close').addEventListener('click', () => closeDetail());
  $('cancel-button').addEventListener('click', cancelJob);
  document.addEventListener('keydown', (event) => event.key === 'Escape' && closeDetail());
  window.addEventListener('offline', () => setConnection('offline'));
  const token = takeToken();
  if (token) start(token);
  else showTokenForm(false);
}

init();
