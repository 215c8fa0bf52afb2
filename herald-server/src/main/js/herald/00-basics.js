// What every part of herald.js shares: the API's paths, event kinds, backoff and HTTP errors.
const API = '/api/v1';
const STATE_EVENTS = new Set(['snapshot', 'status', 'progress', 'children']);
const MAX_JOBS_PER_STREAM = 1000;
const enc = encodeURIComponent;

/** Full jitter: a random wait up to a cap that starts at 0.5 s and doubles up to 20 s. */
const backoffMs = (attempt) => Math.random() * Math.min(20000, 500 * 2 ** attempt);

/** An answer other than 2xx, with the API's error code (API.md §6) when the body has one. */
class HeraldError extends Error {
  constructor(status, code, message) {
    super(message);
    this.name = 'HeraldError';
    this.status = status;
    this.code = code;
  }

  static async of(response) {
    const body = await response.json().catch(() => null);
    const error = body?.error || {};
    return new HeraldError(response.status, error.code || 'http_' + response.status,
      error.message || 'HTTP ' + response.status);
  }
}

/** A short stable name for a token, so tabs of one token share a connection without the token in a lock name. */
function tokenName(token) {
  let hash = 5381;
  for (let i = 0; i < token.length; i++) hash = (hash * 33) ^ token.charCodeAt(i);
  return (hash >>> 0).toString(36);
}

/** Which streams carry a set of needs ('job:ID', 'tree:ID', 'project:P'), by a key every tab computes alike. */
function streamsFor(needs) {
  const streams = new Map();
  const jobs = [];
  for (const need of needs) {
    const [kind, target] = splitNeed(need);
    if (kind === 'job') jobs.push(target);
    else if (kind === 'tree') streams.set(need, `${API}/jobs/${enc(target)}/events?descendants=true`);
    else streams.set(need, `${API}/events?project=${enc(target)}`);
  }
  jobs.sort();
  for (let i = 0; i < jobs.length; i += MAX_JOBS_PER_STREAM) {
    const ids = jobs.slice(i, i + MAX_JOBS_PER_STREAM);
    streams.set(`jobs:${i / MAX_JOBS_PER_STREAM}`, `${API}/events?jobs=${ids.map(enc).join(',')}`);
  }
  return streams;
}

function splitNeed(need) {
  const colon = need.indexOf(':');
  return [need.slice(0, colon), need.slice(colon + 1)];
}

/** The other way round: which jobs a stream URL of streamsFor covers, and whether with their descendants. */
function subscriptionOf(url) {
  const tree = /\/jobs\/([^/]+)\/events\?descendants=true$/.exec(url);
  if (tree) return { jobs: [decodeURIComponent(tree[1])], descendants: true };
  return { jobs: decodeURIComponent(url.split('jobs=')[1] || '').split(',').filter(Boolean), descendants: false };
}
