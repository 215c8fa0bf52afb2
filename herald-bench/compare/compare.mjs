// Herald beside BullMQ on this machine: the same client code on both sides, alternating, several reps; prints
// every measurement with the CPU its window got, then the medians and their ratios. See README.md.
import { existsSync } from 'node:fs';
import { fork, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cpuWindow, describeCpu } from './cpu.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const OPTIONS = {
  reps: ['3', 'repetitions; the sides alternate which goes first'],
  seconds: ['5', 'seconds measured by each throughput run (after 1 s of warm-up)'],
  // a JVM on 2 cores keeps C2 compiling for 30-60 s of load: with 10 s the first reps measured the JIT too
  warmup: ['60', 'seconds of 64-in-flight updates on each side before the first rep (JIT, connections)'],
  jobs: ['100', 'jobs the 64-in-flight updates are spread over'],
  inflight: ['64', 'updates in flight for the CPU row'],
  'watch-rate': ['1000', 'updates a second for the one-watcher row'],
  'watch-seconds': ['3', 'seconds of the one-watcher row'],
  readers: ['200', 'SSE readers of one job (the issue measured 5 000; size to the machine)'],
  'reader-procs': ['2', 'processes the SSE readers are spread over'],
  'reader-gzip': ['yes', "whether the readers ask for gzip as a browser does (no: every reader's inflating is left out)"],
  'reader-updates': ['20', 'updates at 10 a second for the readers row'],
  'reader-warmup': ['20', 'updates of an unmeasured readers round on each side before the first rep (JIT of the stream path)'],
  'redis-port': ['6379', 'the Redis BullMQ uses (127.0.0.1)'],
  rows: ['cpu,serial,watcher,alone,readers', 'rows to run'],
  sides: ['Herald,BullMQ', 'sides to run (one side alone prints its medians without ratios)'],
};
const { values: opt } = parseArgs({ options: Object.fromEntries(Object.entries(OPTIONS)
  .map(([k, [d]]) => [k, { type: 'string', default: d }]).concat([['help', { type: 'boolean' }]])) });
if (opt.help) {
  console.log('usage: node compare.mjs [options]\n' + Object.entries(OPTIONS)
    .map(([k, [d, h]]) => `  --${k.padEnd(15)} ${h} (default ${d})`).join('\n'));
  process.exit(0);
}
const num = (k) => Number(opt[k]);

if (!existsSync(join(here, 'node_modules', 'bullmq'))) {
  const npm = spawnSync('npm', [existsSync(join(here, 'package-lock.json')) ? 'ci' : 'install', '--no-audit', '--no-fund'],
    { cwd: here, stdio: 'inherit' });
  if (npm.status !== 0) throw new Error('npm could not install bullmq');
}
const { herald, bullmq } = await import('./backends.mjs');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pct = (xs, p) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p / 100 * xs.length))] : NaN);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** `inflight` lanes, each awaiting its update before the next, for 1 s of warm-up then `seconds`. */
async function closedLoop(side, ids, inflight, seconds) {
  let n = 0;
  let done = 0;
  let measuring = false;
  let stop = false;
  const lane = async () => {
    while (!stop) {
      const k = ++n;
      await side.update(ids[k % ids.length], k);
      if (measuring) done++;
    }
  };
  const lanes = Array.from({ length: inflight }, lane);
  await sleep(1000);
  measuring = true;
  const w = cpuWindow(side.pids);
  await sleep(seconds * 1000);
  const cpu = w.stop();
  measuring = false;
  stop = true;
  await Promise.all(lanes);
  const serverMs = Object.values(cpu.cpuMs)[0];
  const kernelMs = Object.values(cpu.kernelMs)[0];
  return { perSecond: done / (cpu.wallMs / 1000), cpuMicros: serverMs * 1000 / done, kernelMicros: kernelMs * 1000 / done, cpu };
}

/** One native watcher of one job while updates go out at `rate` a second, not awaited one by one. */
async function oneWatcher(side, rate, seconds) {
  const id = await side.createJob();
  const seen = new Set();
  const total = rate * seconds;
  const watcher = await side.watch(id, (v) => seen.add(v));
  await sleep(200); // a watcher that says it is ready may still be issuing its first read
  const w = cpuWindow(side.pids);
  const started = performance.now();
  const sent = [];
  while (sent.length < total) {
    const due = Math.min(total, Math.floor((performance.now() - started) / 1000 * rate));
    while (sent.length < due) sent.push(side.update(id, sent.length + 1));
    await sleep(1);
  }
  await Promise.all(sent);
  for (let i = 0; i < 50 && !seen.has(total); i++) await sleep(100);
  const cpu = w.stop();
  watcher.close();
  let got = 0;
  for (let v = 1; v <= total; v++) if (seen.has(v)) got++;
  return { share: got / total, cpu };
}

/** A child process of this folder's, and its next message. */
function child(file) {
  const p = fork(join(here, file), [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  p.next = () => new Promise((resolve, reject) => {
    p.once('message', resolve);
    p.once('exit', (code) => reject(new Error(`${file} exited (${code})`)));
  });
  return p;
}

/**
 * N SSE readers of one job, spread over `--reader-procs` processes (readers.mjs); a worker of its own (worker.mjs)
 * sends `updates` at 10 a second, each awaited.
 */
async function readers(side, n, updates) {
  const id = await side.createJob();
  const procs = Array.from({ length: Math.min(n, num('reader-procs')) }, () => child('readers.mjs'));
  const streams = await Promise.all(Array.from({ length: n }, (_, i) => side.readerStream(id, i)));
  procs.forEach((p, i) => p.send({ streams: streams.filter((_, j) => j % procs.length === i), updates,
    gzip: opt['reader-gzip'] !== 'no', valuePath: side.valuePath }));
  await Promise.all(procs.map((p) => p.next()));
  const worker = child('worker.mjs');
  worker.send({ spec: side.workerSpec(id, await side.createJob()), updates, warmup: 20 });
  await worker.next();
  const w = cpuWindow({ ...side.pids, ...Object.fromEntries(procs.map((p, i) => [`readers ${i + 1}`, p.pid])) });
  worker.send({ go: true });
  const { sent } = await worker.next();
  worker.disconnect();
  const got = await Promise.all(procs.map((p) => { p.send({ finish: true }); return p.next(); }));
  const cpu = w.stop();
  procs.forEach((p) => p.disconnect());
  const sentAt = new Map(sent.map((s) => [s.k, s.at]));
  const delays = got.flatMap((g) => g.arrivals.map(([v, at]) => at - sentAt.get(v)));
  const calls = sent.map((s) => s.callMs);
  return {
    all: got.reduce((a, g) => a + g.all, 0),
    p99: pct(delays, 99),
    callP50: median(calls),
    callP99: pct(calls, 99),
    bytesPerEvent: got.reduce((a, g) => a + g.bytes, 0) / Math.max(1, delays.length),
    // the server side's processes (Herald's JVM; Redis and the bridge), whatever else they did in the window
    serverMicrosPerEvent: delays.length ? Object.keys(side.pids).reduce((a, k) => a + cpu.cpuMs[k], 0) * 1000 / delays.length : NaN,
    cpu,
  };
}

const ROWS = {
  cpu: { title: `server CPU per single progress update, ${num('inflight')} in flight (µs)`, lower: true,
    async run(side) {
      const r = await closedLoop(side, side.ids, num('inflight'), num('seconds'));
      return { value: r.cpuMicros, text: `${r.cpuMicros.toFixed(1)} µs, of which kernel ${r.kernelMicros.toFixed(1)} µs`
        + ` (${r.perSecond.toFixed(0)} updates/s)`, cpu: r.cpu };
    } },
  serial: { title: 'updates/s, 1 in flight, awaited', lower: false,
    async run(side) {
      const r = await closedLoop(side, side.ids.slice(0, 1), 1, num('seconds'));
      return { value: r.perSecond, text: `${r.perSecond.toFixed(0)}/s (server ${r.cpuMicros.toFixed(1)} µs each)`, cpu: r.cpu };
    } },
  watcher: { title: `one watcher at ${num('watch-rate')} updates/s: share of updates delivered (%)`, lower: false,
    async run(side) {
      const r = await oneWatcher(side, num('watch-rate'), num('watch-seconds'));
      return { value: 100 * r.share, text: `${(100 * r.share).toFixed(1)} %`, cpu: r.cpu };
    } },
  // goal 2's yardstick: the same worker with nobody reading
  alone: { title: "no readers, 10 updates/s: the worker's update call", lower: true, multi: true,
    async run(side) {
      const r = await readers(side, 0, num('reader-updates'));
      return { values: { 'p50 (ms)': r.callP50, 'p99 (ms)': r.callP99 },
        text: `update call p50 ${r.callP50.toFixed(1)} ms, p99 ${r.callP99.toFixed(1)} ms`, cpu: r.cpu };
    } },
  readers: { title: `${num('readers')} SSE readers, 10 updates/s`, lower: false, multi: true,
    async run(side) {
      const r = await readers(side, num('readers'), num('reader-updates'));
      return { values: { 'readers that got all': r.all, 'delivery p99 (ms)': r.p99,
        "worker's update call p50 (ms)": r.callP50, "worker's update call p99 (ms)": r.callP99,
        'bytes per progress event': r.bytesPerEvent, 'server CPU per event delivered (µs)': r.serverMicrosPerEvent },
      text: `${r.all}/${num('readers')} got all ${num('reader-updates')}; delivery p99 ${r.p99.toFixed(0)} ms; `
        + `update call p50 ${r.callP50.toFixed(1)} ms, p99 ${r.callP99.toFixed(1)} ms; `
        + `${r.bytesPerEvent.toFixed(0)} bytes/event, server ${r.serverMicrosPerEvent.toFixed(1)} µs/event`, cpu: r.cpu };
    } },
};

const root = join(here, '..', '..');
const wanted = opt.sides.toLowerCase().split(',');
const sides = [];
if (wanted.includes('herald')) sides.push(await herald(root));
if (wanted.includes('bullmq')) sides.push(await bullmq(num('redis-port')));
const results = {}; // key -> side -> [values]
// an interrupted run still stops Herald and removes its Redis keys
process.once('SIGINT', async () => {
  for (const s of sides) await s.stop().catch(() => {});
  process.exit(130);
});
const record = (key, side, v) => (((results[key] ??= {})[side] ??= []).push(v));
try {
  console.log(`compare: ${new Date().toISOString()}, node ${process.version}, options ${JSON.stringify(opt)}`);
  sides.forEach((s) => console.log(`  ${s.describe}`));
  for (const s of sides) {
    s.ids = [];
    for (let i = 0; i < num('jobs'); i++) s.ids.push(await s.createJob());
  }
  for (const s of sides) await closedLoop(s, s.ids, num('inflight'), num('warmup'));
  const rows = opt.rows.split(',');
  const unknown = rows.filter((r) => !ROWS[r]);
  if (unknown.length) throw new Error(`unknown rows: ${unknown.join(', ')}`);
  // the updates above never reach a stream: without this round, a JVM still compiles the fan-out during the first reps
  if (rows.includes('readers') && num('reader-warmup') > 0) {
    for (const s of sides) await readers(s, num('readers'), num('reader-warmup'));
  }
  for (let rep = 1; rep <= num('reps'); rep++) {
    const order = rep % 2 ? sides : [...sides].reverse();
    for (const key of rows) {
      for (const side of order) {
        const r = await ROWS[key].run(side);
        console.log(`rep ${rep} ${key.padEnd(7)} ${side.name.padEnd(6)}: ${r.text} ${describeCpu(r.cpu)}`);
        if (ROWS[key].multi) Object.entries(r.values).forEach(([k, v]) => record(`${key}: ${k}`, side.name, v));
        else record(ROWS[key].title, side.name, r.value);
      }
    }
  }
  console.log(`\nmedians of ${num('reps')} reps (${sides.map((s) => s.name).join(' / ')}; each figure's CPU share is in the lines above)`);
  for (const [key, bySide] of Object.entries(results)) {
    // a multi-figure row's figures are recorded as "row: figure"; every other row's under its title
    const row = key.slice(0, key.indexOf(': '));
    const title = ROWS[row]?.multi ? `${ROWS[row].title}: ${key.slice(row.length + 2)}` : key;
    const figures = sides.map((s) => `${s.name} ${median(bySide[s.name]).toFixed(1).padStart(9)}`).join('  ');
    const ratio = sides.length === 2 ? `  ratio ${(median(bySide.Herald) / median(bySide.BullMQ)).toFixed(2)}` : '';
    console.log(`  ${title.padEnd(72)} ${figures}${ratio}`);
  }
} finally {
  for (const s of sides) await s.stop();
}
