import os from 'node:os';
import { performance } from 'node:perf_hooks';

/** The machine's CPUs, summed: busy and total time so far (ms). */
function cpuTimes(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const cpu of os.cpus()) {
    const { user, nice, sys, irq, idle } = cpu.times;
    busy += user + nice + sys + irq;
    total += user + nice + sys + irq + idle;
  }
  return { busy, total };
}

/** How busy things were since the last reading, each 0–1. */
export interface Load {
  /** Node's event-loop utilisation: this process's share of one core. */
  loop: number;
  /** The machine's CPU use, over all its cores. */
  machine: number;
}

/**
 * Reads how busy this process and the machine are. Near 1, the process or the machine is
 * the bottleneck (TLS on a fast link, a server on the same box), and more connections only
 * add work; only a network that holds each connection back is helped by more of them.
 */
export function loopLoadMeter(): () => Load {
  let lastLoop = performance.eventLoopUtilization();
  let lastCpu = cpuTimes();
  let value: Load = { loop: 0, machine: 0 };
  let at = performance.now();
  return () => {
    // Re-measure at most every 100 ms so that frequent readers see a settled value, and a
    // download's first look at its rate (100 ms in) sees what its own start cost.
    if (performance.now() - at >= 100) {
      const loopNow = performance.eventLoopUtilization();
      const cpuNow = cpuTimes();
      const cpuSpan = cpuNow.total - lastCpu.total;
      const machine = cpuSpan > 0 ? (cpuNow.busy - lastCpu.busy) / cpuSpan : 0;
      value = { loop: performance.eventLoopUtilization(loopNow, lastLoop).utilization, machine };
      lastLoop = loopNow;
      lastCpu = cpuNow;
      at = performance.now();
    }
    return value;
  };
}
