// Short jobs claimed, run and completed: Herald's Runner (RunnerBench, in-process and remote) beside a BullMQ
// Worker on this machine's Redis, alternating which side goes first in each rep; prints every round with the CPU
// its window got, then the medians per worker count and their ratios. See README.md ("Runner").
import { existsSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cpuWindow, describeCpu, processTicks } from './cpu.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const OPTIONS = {
  jobs: ['2000', 'jobs per round'],
  workers: ['1,2,4,8', 'worker counts (Runner concurrency, BullMQ Worker concurrency)'],
  reps: ['2', 'repetitions; the sides alternate which goes first'],
  'redis-port': ['6379', 'the Redis BullMQ uses (127.0.0.1)'],
};
const { values: opt } = parseArgs({ options: Object.fromEntries(Object.entries(OPTIONS)
  .map(([k, [d]]) => [k, { type: 'string', default: d }]).concat([['help', { type: 'boolean' }]])) });
if (opt.help) {
  console.log('usage: node runner-compare.mjs [options]\n' + Object.entries(OPTIONS)
    .map(([k, [d, h]]) => `  --${k.padEnd(12)} ${h} (default ${d})`).join('\n'));
  process.exit(0);
}
const jobs = Number(opt.jobs);
const counts = opt.workers.split(',').map(Number);
const jar = join(root, 'herald-bench', 'target', 'herald-bench.jar');
if (!existsSync(jar)) {
  throw new Error(`${jar} is missing: mvn -B -q -pl herald-bench -am package -DskipTests`);
}
if (!existsSync(join(here, 'node_modules', 'bullmq'))) {
  const npm = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: here, stdio: 'inherit' });
  if (npm.status !== 0) throw new Error('npm could not install bullmq');
}
const { Queue, Worker } = await import('bullmq');
const { default: Redis } = await import('ioredis');

/** One RunnerBench run (its own JVM, server embedded): {"in-process": {w: jobs/s}, remote: {...}}. */
async function heraldRounds() {
  const child = spawn(process.env.JAVA || 'java', ['-cp', jar, 'dev.herald.bench.RunnerBench', '--jobs', String(jobs),
    '--workers', counts.join(','), '--modes', 'in-process,remote'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const window = cpuWindow({});
  let ticks = 0; // the JVM's CPU, sampled while it runs: /proc forgets it at its exit
  const sampler = setInterval(() => { ticks = processTicks(child.pid) || ticks; }, 100);
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (c) => { out += c; });
  const status = await new Promise((r) => child.once('exit', r));
  clearInterval(sampler);
  if (status !== 0) throw new Error(`RunnerBench exited with ${status}:\n${out}`);
  const rates = { 'in-process': {}, remote: {} };
  for (const m of out.matchAll(/^(in-process|remote), workers (\d+): .* = (\d+) jobs\/s.*claim (p50 [\d.]+ ms).*(p99 [\d.]+ ms)/gm)) {
    rates[m[1]][m[2]] = Number(m[3]);
    console.log(`  Herald ${m[1]}, ${m[2]} workers: ${m[3]} jobs/s (claim ${m[4]}, ${m[5]})`);
  }
  const cpu = window.stop();
  cpu.cpuMs = { 'herald JVM': ticks * 10 };
  console.log(`  Herald run (the JVM's start and the queueing included) ${describeCpu(cpu)}`);
  return rates;
}

/** N jobs added (not timed), then a Worker of `concurrency` completes them all: jobs/s. */
async function bullmqRound(concurrency) {
  const connection = { host: '127.0.0.1', port: Number(opt['redis-port']), maxRetriesPerRequest: null };
  const prefix = `herald-runner-compare-${process.pid}`;
  const queue = new Queue('runner', { connection, prefix });
  try {
    for (let i = 0; i < jobs; i += 1000) {
      await queue.addBulk(Array.from({ length: Math.min(1000, jobs - i) }, () => ({ name: 'short', data: {} })));
    }
    const client = new Redis(connection);
    const redisPid = Number(/process_id:(\d+)/.exec(await client.info('server'))[1]);
    client.disconnect();
    let done = 0;
    let finished;
    const all = new Promise((r) => { finished = r; });
    const window = cpuWindow({ 'redis-server': redisPid });
    const start = performance.now();
    const worker = new Worker('runner', async () => null, { connection, prefix, concurrency });
    worker.on('completed', () => { if (++done === jobs) finished(); });
    await all;
    await worker.close();
    const seconds = (performance.now() - start) / 1000;
    const rate = Math.round(jobs / seconds);
    console.log(`  BullMQ, ${concurrency} workers: ${jobs} jobs in ${seconds.toFixed(2)} s = ${rate} jobs/s ${describeCpu(window.stop())}`);
    return rate;
  } finally {
    await queue.obliterate({ force: true }).catch(() => {});
    await removeKeys(connection, prefix);
    await queue.close();
  }
}

async function removeKeys(connection, prefix) {
  const client = new Redis(connection);
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    if (keys.length) await client.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  client.disconnect();
}

async function bullmqRounds() {
  const rates = {};
  for (const c of counts) rates[c] = await bullmqRound(c);
  return rates;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

console.log(`runner-compare: ${jobs} short jobs a round, workers ${counts.join(',')}, ${opt.reps} reps; load ${(await import('node:os')).loadavg().map((l) => l.toFixed(2)).join(', ')}`);
const seen = { 'in-process': {}, remote: {}, BullMQ: {} };
const note = (side, rates) => Object.entries(rates).forEach(([c, r]) => (seen[side][c] ||= []).push(r));
for (let rep = 0; rep < Number(opt.reps); rep++) {
  console.log(`rep ${rep + 1}`);
  const sides = [async () => { const h = await heraldRounds(); note('in-process', h['in-process']); note('remote', h.remote); },
    async () => note('BullMQ', await bullmqRounds())];
  for (const side of rep % 2 ? sides.reverse() : sides) await side();
}
console.log('\nmedians (jobs/s) | workers | Herald in-process | Herald remote | BullMQ | in-process / BullMQ | remote / BullMQ');
for (const c of counts) {
  const [h, r, b] = ['in-process', 'remote', 'BullMQ'].map((s) => median(seen[s][c] || [NaN]));
  console.log(`| ${c} | ${h} | ${r} | ${b} | ${(h / b).toFixed(2)} | ${(r / b).toFixed(2)} |`);
}
