// CPU figures from /proc: a process's utime+stime, and the machine's idle share, over a measured window.
import { readFileSync } from 'node:fs';

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** utime + stime of a process so far, in clock ticks (fields 14 and 15 of /proc/PID/stat), or NaN. */
export function processTicks(pid) {
  const [user, system] = processTimes(pid);
  return user + system;
}

/** [utime, stime] of a process so far, in clock ticks, or NaNs. */
function processTimes(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return [Number(f[11]), Number(f[12])];
  } catch {
    return [NaN, NaN];
  }
}

/** [all, idle] ticks of the machine so far (idle counts iowait too). */
function machineTicks() {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
  return [f.reduce((a, b) => a + b, 0), f[3] + f[4]];
}

/**
 * Starts a window over the named processes ({name: pid}); stop() answers each one's CPU in ms and the part of it
 * spent in the kernel (stime: the socket reads and writes, epoll), this (client) process's, the machine's idle
 * share and the wall time.
 */
export function cpuWindow(pids) {
  const start = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, processTimes(pid)]));
  const machine0 = machineTicks();
  const client0 = process.cpuUsage();
  const wall0 = performance.now();
  return {
    stop() {
      const wallMs = performance.now() - wall0;
      const [all1, idle1] = machineTicks();
      const client = process.cpuUsage(client0);
      const end = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, processTimes(pid)]));
      const ms = (k, i) => (end[k][i] - start[k][i]) * TICK_MS;
      const cpuMs = Object.fromEntries(Object.keys(pids).map((k) => [k, ms(k, 0) + ms(k, 1)]));
      const kernelMs = Object.fromEntries(Object.keys(pids).map((k) => [k, ms(k, 1)]));
      const all = all1 - machine0[0];
      return {
        wallMs,
        cpuMs,
        kernelMs,
        clientMs: (client.user + client.system) / 1000,
        idleShare: all > 0 ? (idle1 - machine0[1]) / all : NaN,
      };
    },
  };
}

/** How much CPU a window got, for every figure printed: "machine 12% idle, load 9.1; client 0.80 cores". */
export function describeCpu(w) {
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
  const servers = Object.entries(w.cpuMs).map(([k, ms]) => `${k} ${(ms / w.wallMs).toFixed(2)}`).join(', ');
  const starved = w.idleShare < 0.05 ? ' STARVED' : '';
  return `[cores used: ${servers}, client ${(w.clientMs / w.wallMs).toFixed(2)}; machine ${(100 * w.idleShare).toFixed(0)}% idle, load ${load}${starved}]`;
}
