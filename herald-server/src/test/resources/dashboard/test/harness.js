// The browser tests drive herald.js from this page: the query says how to connect and what to watch, and
// what the watch delivers is kept in window.seen for the test to read. Loaded again, it starts again alike.
'use strict';
const query = new URLSearchParams(location.search);
window.seen = [];
window.logs = [];
window.states = [];
window.tokenCalls = 0;
window.restored = 0; // times the page came back from the back/forward cache
addEventListener('pageshow', (event) => { if (event.persisted) window.restored++; });
const tokens = (query.get('tokens') || '').split(',').filter(Boolean);
const options = {
  transport: query.get('transport') || 'auto',
  keepAliveMs: Number(query.get('keepAliveMs') || 15000),
  share: query.get('share') !== 'false',
};
if (tokens.length) {
  // Hands out the listed tokens in turn, the last one for good: a short-lived token, then a fresh one.
  options.getToken = async () => tokens[Math.min(window.tokenCalls++, tokens.length - 1)];
} else {
  options.token = query.get('token');
}
window.herald = Herald.connect(options);
window.herald.onState((state) => {
  window.states.push(state);
  document.getElementById('state').textContent = state;
});
if (query.get('job')) {
  window.sub = window.herald.watch(query.get('job'), { logs: true }, (job, event) => {
    window.seen.push({ type: event.type, version: event.version, status: job && job.status, to: event.to || null });
  });
  window.sub.onLog((line) => window.logs.push(line.message));
}
