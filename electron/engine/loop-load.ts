import { performance } from 'node:perf_hooks';

/**
 * How busy the event loop was since the last call (0–1): Node's event-loop utilisation. Near
 * 1, the process itself is the bottleneck (TLS decryption on a fast link, say), and more
 * connections only add work.
 */
export function loopLoadMeter(): () => number {
  let last = performance.eventLoopUtilization();
  let value = 0;
  let at = performance.now();
  return () => {
    // Re-measure at most every 250 ms so that frequent readers see a settled value.
    if (performance.now() - at >= 250) {
      const now = performance.eventLoopUtilization();
      value = performance.eventLoopUtilization(now, last).utilization;
      last = now;
      at = performance.now();
    }
    return value;
  };
}
