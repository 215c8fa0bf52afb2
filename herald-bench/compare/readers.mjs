// A share of the readers row's SSE readers, in a process of its own: compare.mjs spreads the readers over a few
// such processes, so that no one Node thread parsing (and inflating) thousands of streams decides the delivery
// times. Arrivals are stamped on the machine's monotonic clock (process.hrtime), which the worker's process shares.
import { openSse } from './sse.mjs';

const now = () => Number(process.hrtime.bigint()) / 1e6;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

process.once('message', async ({ streams, updates, gzip, valuePath }) => {
  const valueOf = (data) => valuePath.reduce((o, k) => o?.[k], JSON.parse(data));
  const arrivals = []; // [value, when parsed]
  const readers = [];
  for (let i = 0; i < streams.length; i += 100) {
    await Promise.all(streams.slice(i, i + 100).map(async (stream) => {
      const reader = { got: new Set(), bytes0: 0 };
      reader.s = await new Promise((resolve, reject) => {
        const s = openSse(stream, (type, data) => {
          const v = valueOf(data);
          if (v >= 1 && v <= updates && !reader.got.has(v)) {
            reader.got.add(v);
            arrivals.push([v, now()]);
          }
        }, (err) => (err ? reject(err) : resolve(s)), gzip);
      });
      reader.bytes0 = reader.s.bytes();
      readers.push(reader);
    }));
  }
  process.send({ ready: true });
  await new Promise((r) => process.once('message', r)); // the worker has sent its last update
  for (let i = 0; i < 50 && readers.some((r) => !r.got.has(updates)); i++) await sleep(100);
  process.send({
    all: readers.filter((r) => r.got.size === updates).length,
    arrivals,
    bytes: readers.reduce((a, r) => a + r.s.bytes() - r.bytes0, 0),
  });
  // closed once compare.mjs has read this process's CPU
  process.once('disconnect', () => readers.forEach((r) => r.s.close()));
});
