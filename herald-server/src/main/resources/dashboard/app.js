// Herald dashboard: the job list and the job page, kept live by herald.js. Plain DOM and ES modules, no build
// step. Text from the server only ever goes through textContent.
import { Herald } from './herald.mjs';
import { $, STATUSES, el } from './format.js';
import { JobList } from './job-list.js';
import { JobPage } from './job-page.js';
import { TypesView } from './types-view.js';

const API = '/api/v1';
const TOKEN_KEY = 'herald.token';
const STATE_TEXT = { connecting: 'connecting…', live: 'live', reconnecting: 'reconnecting…', polling: 'polling', offline: 'offline', closed: 'offline' };

let session = null; // { token, herald, list, page, types, tick }
const VIEWS = ['jobs-view', 'job-view', 'types-view'];

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

/** The REST API with this session's token; a refused read forgets the token and asks for another. A refused
 *  write (cancel, retry) only means that the token may only read (the API answers both with 401). */
async function api(path, options = {}) {
  const token = session?.token;
  const headers = { Authorization: `Bearer ${token}`, Accept: 'application/json' };
  let response;
  try {
    response = await fetch(API + path, { ...options, headers });
  } catch {
    throw Object.assign(new Error('the server cannot be reached'), { status: 0 });
  }
  if (response.status === 401 && token === session?.token && (options.method || 'GET') === 'GET') {
    sessionStorage.removeItem(TOKEN_KEY);
    showTokenForm(true);
  }
  const body = await response.json().catch(() => null);
  if (response.ok) return body;
  const error = body?.error || {};
  throw Object.assign(new Error(error.message || `HTTP ${response.status}`), { status: response.status, code: error.code });
}

function setConnection(state) {
  $('connection').dataset.state = state;
  $('connection').textContent = STATE_TEXT[state] || state;
}

function showTokenForm(refused) {
  stop();
  for (const view of VIEWS) $(view).hidden = true;
  $('token-form').hidden = false;
  $('token-error').hidden = !refused;
  $('token-input').focus();
}

function start(token) {
  $('token-form').hidden = true;
  const herald = Herald.connect({ token });
  session = { token, herald };
  herald.onState(setConnection);
  setConnection(herald.state);
  session.list = new JobList(herald, api, (id) => { location.hash = `#/jobs/${encodeURIComponent(id)}`; });
  session.page = new JobPage(herald, api);
  session.types = new TypesView(api);
  session.tick = setInterval(() => { session.list.tick(); session.page.tick(); session.types.tick(); }, 1000);
  route();
}

function stop() {
  if (!session) return;
  clearInterval(session.tick);
  session.list.close();
  session.page.close();
  session.types.close();
  session.herald.close();
  session = null;
  setConnection('offline');
}

/** #/jobs/{id} is a job's page (a link to share), #/types?project=P the types of a project; anything else the list. */
function route() {
  if (!session) return;
  const job = /^#\/jobs\/([^/]+)$/.exec(location.hash);
  const types = /^#\/types(?:\?project=(.*))?$/.exec(location.hash);
  const shown = job ? 'job-view' : types ? 'types-view' : 'jobs-view';
  for (const view of VIEWS) $(view).hidden = view !== shown;
  for (const link of document.querySelectorAll('.views a')) {
    const current = link.getAttribute('href') === (types ? '#/types' : '#/') && !job;
    if (current) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  if (!job) session.page.hide();
  if (!types) session.types.hide();
  if (job) {
    session.page.show(decodeURIComponent(job[1]));
    $('back-link').focus();
  } else if (types) {
    session.types.show(types[1] ? decodeURIComponent(types[1]) : $('filter-project').value.trim() || 'default');
  } else {
    session.list.render();
    session.list.viewport.focus({ preventScroll: true });
  }
}

function init() {
  for (const status of STATUSES) {
    $('counts').append(el('li', { class: `count status-${status}` }, el('span', { text: status }), ' ',
      el('strong', { id: `count-${status}`, 'data-testid': `count-${status}`, text: '0' })));
  }
  $('token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const token = $('token-input').value.trim();
    if (!token) return;
    sessionStorage.setItem(TOKEN_KEY, token);
    $('token-input').value = '';
    start(token);
  });
  $('filters').addEventListener('submit', (event) => event.preventDefault());
  window.addEventListener('hashchange', route);
  document.addEventListener('keydown', (event) => {
    const typing = /^(INPUT|SELECT|TEXTAREA)$/.test(event.target.tagName);
    if (event.key === 'Escape' && !$('job-view').hidden) location.hash = '#/';
    else if (event.key === '/' && !typing && !$('jobs-view').hidden) {
      event.preventDefault();
      $('filter-text').focus();
    }
  });
  const token = takeToken();
  if (token) start(token);
  else showTokenForm(false);
}

init();
