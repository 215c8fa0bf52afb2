// The readers row's worker, in a process of its own as a real worker is: it sends the updates 100 ms apart, each
// awaited, and reports each call's duration and when it was sent on the machine's monotonic clock
// (process.hrtime, CLOCK_MONOTONIC), which the process that reads the streams shares. Timed in that process
// instead, a call would wait for it to parse every reader's copy of the update before it saw the answer.
import http from 'node:http';

const now = () => Number(process.hrtime.bigint()) / 1e6;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The awaited update call of one side, from what backends.mjs's workerSpec() says. */
async function updater(spec) {
  if (spec.kind === 'herald') {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    return {
      update: (id, n) => new Promise((resolve, reject) => {
        const payload = Buffer.from(JSON.stringify({ current: n }));
        const req = http.request({ host: '127.0.0.1', port: spec.port, method: 'POST', agent,
          path: `/api/v1/jobs/${id}/progress`, headers: { Authorization: `Bearer ${spec.token}`,
            'Content-Type': 'application/json', 'Content-Length': payload.length } }, (res) => {
          res.resume();
          res.on('end', () => (res.statusCode === 202 ? resolve() : reject(new Error(`progress: HTTP ${res.statusCode}`))));
        });
        req.on('error', reject);
        req.end(payload);
      }),
      close: () => agent.destroy(),
    };
  }
  const { Queue, Job } = await import('bullmq');
  const queue = new Queue(spec.queue, { prefix: spec.prefix, connection: { host: '127.0.0.1', port: spec.redisPort } });
  const jobs = { [spec.id]: await Job.fromId(queue, spec.id), [spec.warmupId]: await Job.fromId(queue, spec.warmupId) };
  return { update: (id, n) => jobs[id].updateProgress(n), close: () => queue.close() };
}

process.once('message', async ({ spec, updates, warmup }) => {
  const side = await updater(spec);
  // another job, that no reader watches: the connection and the code paths are warm before the first update
  for (let i = 1; i <= warmup; i++) await side.update(spec.warmupId, i);
  process.send({ ready: true });
  await new Promise((r) => process.once('message', r));
  const sent = [];
  const t0 = now();
  for (let k = 1; k <= updates; k++) {
    await sleep(Math.max(0, t0 + (k - 1) * 100 - now()));
    const at = now();
    await side.update(spec.id, k);
    sent.push({ k, at, callMs: now() - at });
  }
  await side.close();
  process.send({ sent });
});
