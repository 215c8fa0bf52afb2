// The BullMQ side's SSE bridge, what a web team would put in front of BullMQ: one QueueEvents, and every
// progress event written to the SSE responses of that job. Run by compare.mjs as a process of its own.
import http from 'node:http';
import { QueueEvents } from 'bullmq';

const [queue, prefix, redisPort] = process.argv.slice(2);
const events = new QueueEvents(queue, { prefix, connection: { host: '127.0.0.1', port: Number(redisPort) } });
const listeners = new Map(); // jobId -> Set of responses

events.on('progress', ({ jobId, data }) => {
  const set = listeners.get(jobId);
  if (!set) return;
  const frame = `event: progress\ndata: ${JSON.stringify({ jobId, progress: data })}\n\n`;
  for (const res of set) res.write(frame);
});

const server = http.createServer((req, res) => {
  const m = /^\/jobs\/([^/]+)\/events$/.exec(req.url);
  if (!m) {
    res.writeHead(404).end();
    return;
  }
  const jobId = decodeURIComponent(m[1]);
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
  res.write(': connected\n\n');
  if (!listeners.has(jobId)) listeners.set(jobId, new Set());
  listeners.get(jobId).add(res);
  req.on('close', () => listeners.get(jobId)?.delete(res));
});
server.maxConnections = 100000;

await events.waitUntilReady();
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
process.on('disconnect', async () => {
  server.close();
  await events.close();
  process.exit(0);
});
