// The two sides, behind one interface, so that every row of compare.mjs runs the same client code on both:
// createJob(), update(id, n) (the worker's awaited call), watch(id, onValue) (the native watcher) and
// readerStream(id) (where an SSE reader connects: Herald itself, or the bridge in front of BullMQ).
import http from 'node:http';
import net from 'node:net';
import { fork, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSse } from './sse.mjs';

const LIMIT = '1000000000'; // one key floods here as a whole fleet would: its write limits are raised

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** One HTTP request: resolves to [status, body]. */
function request(agent, port, method, path, token, body) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? null : Buffer.from(JSON.stringify(body));
    const req = http.request({ host: '127.0.0.1', port, method, path, agent, headers: {
      Authorization: `Bearer ${token}`,
      ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': payload.length } : {}),
    } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve([res.statusCode, text]));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

async function expect(promise, status, what) {
  const [got, body] = await promise;
  if (got !== status) throw new Error(`${what}: HTTP ${got}: ${body}`);
  return body ? JSON.parse(body) : null;
}

/**
 * Herald through the herald launcher, so with the JVM settings users get (JAVA_OPTS still wins); it builds the jar
 * when missing or stale, and HERALD_JAR runs another build as it is (e.g. the one before a change).
 */
export async function herald(root) {
  const launcher = join(root, 'herald');
  const jar = process.env.HERALD_JAR || join(root, 'herald-cli', 'target', 'herald.jar');
  if (spawnSync(launcher, ['--help'], { stdio: ['ignore', 'ignore', 'inherit'] }).status !== 0 || !existsSync(jar)) {
    throw new Error(`could not build or run Herald (${launcher} --help)`);
  }
  const port = await freePort();
  const data = mkdtempSync(join(tmpdir(), 'herald-compare-'));
  const admin = `compare-${process.pid}-${Date.now()}`;
  const javaOpts = (process.env.JAVA_OPTS || '').split(/\s+/).filter(Boolean);
  // the launcher execs java, so the child's pid is the server's (its CPU is read from /proc)
  const child = spawn(launcher, ['serve', '--port', String(port),
    '--data', data, '--admin-token', admin, '--write-rate', LIMIT, '--write-burst', LIMIT,
    '--batch-entry-rate', LIMIT, '--batch-entry-burst', LIMIT, '--log-level', 'WARN'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  for (let i = 0; ; i++) {
    try {
      const [status] = await request(agent, port, 'GET', '/health/ready', admin);
      if (status === 200) break;
    } catch { /* not listening yet */ }
    if (i > 600 || child.exitCode !== null) throw new Error('Herald did not become ready');
    await new Promise((r) => setTimeout(r, 100));
  }
  const key = async (scope) => (await expect(request(agent, port, 'POST', '/api/v1/keys', admin,
    { project: 'compare', scope, name: `compare-${scope}` }), 201, 'creating a key')).token;
  const writer = await key('write');
  const readers = [];
  return {
    name: 'Herald',
    pids: { 'Herald JVM': child.pid },
    describe: `Herald ${jar} through ${launcher} (pid ${child.pid}, port ${port}, JAVA_OPTS '${javaOpts.join(' ')}'), ordinary write and read keys; per-key write limits raised to ${LIMIT}/s for this flood`,
    async createJob() {
      return (await expect(request(agent, port, 'POST', '/api/v1/jobs', writer,
        { type: 'compare', status: 'running', total: 1e12 }), 201, 'creating a job')).id;
    },
    /** What worker.mjs needs to send updates to these jobs as the worker does. */
    workerSpec: (id, warmupId) => ({ kind: 'herald', port, token: writer, id, warmupId }),
    update(id, n) {
      return request(agent, port, 'POST', `/api/v1/jobs/${id}/progress`, writer, { current: n }).then(([s, b]) => {
        if (s !== 202) throw new Error(`progress: HTTP ${s}: ${b}`);
      });
    },
    /**
     * Where reader i connects: one read key per 400 readers, as viewers hold credentials of their own (a key may
     * hold 1 000 streams, and the streams of the rep before may still be closing).
     */
    async readerStream(id, i) {
      const group = Math.floor(i / 400);
      readers[group] ??= key('read');
      return { host: '127.0.0.1', port, path: `/api/v1/jobs/${id}/events?types=progress`,
        headers: { Authorization: `Bearer ${await readers[group]}` } };
    },
    valuePath: ['job', 'progress', 'current'],
    valueOf: (data) => JSON.parse(data).job?.progress?.current,
    async watch(id, onValue) {
      return watchSse(await this.readerStream(id, 0), this.valueOf, onValue);
    },
    async stop() {
      agent.destroy();
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
      rmSync(data, { recursive: true, force: true });
    },
  };
}

function watchSse(stream, valueOf, onValue) {
  return new Promise((resolve, reject) => {
    const s = openSse(stream, (type, data) => onValue(valueOf(data)), (err) => (err ? reject(err) : resolve(s)));
  });
}

/** BullMQ on this machine's Redis, under a key prefix of its own that stop() removes. */
export async function bullmq(redisPort) {
  const { Queue, QueueEvents } = await import('bullmq');
  const connection = { host: '127.0.0.1', port: redisPort };
  const prefix = `herald-compare-${process.pid}`;
  const queue = new Queue('compare', { connection, prefix });
  const { default: Redis } = await import('ioredis');
  const client = new Redis(connection); // for INFO and the clean-up, outside BullMQ
  const redisPid = Number(/process_id:(\d+)/.exec(await client.info('server'))[1]);
  const bridge = fork(new URL('./bridge.mjs', import.meta.url), ['compare', prefix, String(redisPort)],
    { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const bridgePort = await new Promise((resolve) => bridge.once('message', (m) => resolve(m.port)));
  const jobs = new Map();
  const watchers = [];
  return {
    name: 'BullMQ',
    pids: { 'redis-server': redisPid, bridge: bridge.pid },
    describe: `BullMQ with Redis 127.0.0.1:${redisPort} (redis-server pid ${redisPid}; shared with anything else using it), prefix ${prefix}; SSE bridge pid ${bridge.pid}`,
    async createJob() {
      const job = await queue.add('work', {});
      jobs.set(job.id, job);
      return job.id;
    },
    update: (id, n) => jobs.get(id).updateProgress(n),
    workerSpec: (id, warmupId) => ({ kind: 'bullmq', queue: 'compare', prefix, redisPort, id, warmupId }),
    async readerStream(id) {
      return { host: '127.0.0.1', port: bridgePort, path: `/jobs/${encodeURIComponent(id)}/events`, headers: {} };
    },
    valuePath: ['progress'],
    valueOf: (data) => JSON.parse(data).progress,
    async watch(id, onValue) {
      const events = new QueueEvents('compare', { connection, prefix });
      watchers.push(events);
      await events.waitUntilReady();
      events.on('progress', ({ jobId, data }) => { if (jobId === id) onValue(data); });
      return { close: () => events.close() };
    },
    async stop() {
      bridge.disconnect();
      await Promise.all(watchers.map((w) => w.close()));
      await queue.obliterate({ force: true }).catch(() => {});
      for (let cursor = '0'; ;) {
        const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
        if (keys.length) await client.del(...keys);
        if ((cursor = next) === '0') break;
      }
      await queue.close();
      client.disconnect();
    },
  };
}
