import { spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import readline from 'node:readline';
import { median } from './lib/measure.ts';

export interface SseBenchResult {
  clients: number;
  downloads: number;
  seconds: number;
  progressEventsPerClientPerSecond: { min: number; median: number; max: number };
  serverCpuPercentOfCore: number;
  /** CPU for serving the clients: the whole process minus the same process with no client. */
  clientCpuPercentOfCore: number;
  rssBeforeMiB: number;
  rssAfterMiB: number;
  heapBeforeMiB: number;
  heapAfterMiB: number;
  latencyMs: { p50: number; p99: number; samples: number };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/**
 * Issue 3's benchmark: one server process with 1,000 continuously updating downloads and
 * 50 SSE clients for `seconds`: events per second per client, server CPU, memory before and
 * after, and latency from an engine update to its arrival at a client.
 */
export async function runSseBench(opts: { clients: number; downloads: number; seconds: number; users?: number }): Promise<SseBenchResult> {
  const server = spawn(process.execPath, ['--expose-gc', path.join(import.meta.dirname, 'lib', 'sse-server.ts'), String(opts.downloads), String(opts.users ?? 0)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = readline.createInterface({ input: server.stdout! });
  const next = (): Promise<Record<string, number | string>> => new Promise((resolve) => lines.once('line', (line) => resolve(JSON.parse(line))));
  const { url, tokens } = (await next()) as unknown as { url: string; tokens: string[] };
  const stats = async (): Promise<{ cpuMicros: number; rss: number; heapUsed: number; clients: number; at: number }> => {
    server.stdin!.write('stats\n');
    return (await next()) as never;
  };

  // Baseline: the same server and simulated engine with no client, to separate the cost of
  // serving clients from the cost of simulating 1,000 downloads.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const idleStart = await stats();
  await new Promise((resolve) => setTimeout(resolve, 5000));
  const idleEnd = await stats();
  const idleCpu = (idleEnd.cpuMicros - idleStart.cpuMicros) / 1e6 / ((idleEnd.at - idleStart.at) / 1000);

  // Latency is read from a few clients (parsing every event of all 50 would make this
  // process, not the server, the bottleneck on two cores); all 50 count their events.
  const latencies: number[] = [];
  const counts = new Array<number>(opts.clients).fill(0);
  let measuring = false;
  const requests: http.ClientRequest[] = [];
  await Promise.all(
    Array.from(
      { length: opts.clients },
      (_, index) =>
        new Promise<void>((resolve) => {
          const sample = index < 5;
          // With users, client i is user i mod users (by their API token): it sees only that user's downloads.
          const token = tokens.length === 0 ? 'bench' : (tokens[index % tokens.length] ?? 'bench');
          const req = http.get(`${url}api/events`, { headers: { authorization: `Bearer ${token}` } }, (res) => {
            res.setEncoding('utf8');
            let buffer = '';
            res.on('data', (text: string) => {
              const arrived = Date.now();
              buffer += text;
              let end: number;
              while ((end = buffer.indexOf('\n\n')) !== -1) {
                const block = buffer.slice(0, end);
                buffer = buffer.slice(end + 2);
                if (block.startsWith('event: snapshot', block.indexOf('\n') + 1)) resolve();
                if (!measuring || !block.includes('\nevent: progress\n')) continue;
                counts[index] = (counts[index] ?? 0) + 1;
                if (sample) {
                  const data = JSON.parse(block.slice(block.indexOf('data: ') + 6)) as { items: Array<{ received: number }> };
                  for (const item of data.items) latencies.push(arrived - item.received);
                }
              }
            });
          });
          requests.push(req);
        }),
    ),
  );
  // Warm-up: the replay history fills to its cap in the first seconds; growth is judged after.
  await new Promise((resolve) => setTimeout(resolve, 12_000));
  const before = await stats();
  measuring = true;
  await new Promise((resolve) => setTimeout(resolve, opts.seconds * 1000));
  measuring = false;
  const after = await stats();
  for (const req of requests) req.destroy();
  server.stdin!.write('exit\n');
  await new Promise((resolve) => server.once('exit', resolve));

  const seconds = (after.at - before.at) / 1000;
  const rates = counts.map((c) => c / seconds).sort((a, b) => a - b);
  latencies.sort((a, b) => a - b);
  return {
    clients: opts.clients,
    downloads: opts.downloads,
    seconds,
    progressEventsPerClientPerSecond: { min: rates[0] ?? 0, median: median(rates), max: rates.at(-1) ?? 0 },
    serverCpuPercentOfCore: ((after.cpuMicros - before.cpuMicros) / 1e6 / seconds) * 100,
    clientCpuPercentOfCore: ((after.cpuMicros - before.cpuMicros) / 1e6 / seconds - idleCpu) * 100,
    rssBeforeMiB: before.rss / 2 ** 20,
    rssAfterMiB: after.rss / 2 ** 20,
    heapBeforeMiB: before.heapUsed / 2 ** 20,
    heapAfterMiB: after.heapUsed / 2 ** 20,
    latencyMs: { p50: percentile(latencies, 50), p99: percentile(latencies, 99), samples: latencies.length },
  };
}

export function formatSseResult(r: SseBenchResult): string {
  const f = (n: number, d = 1) => n.toFixed(d);
  return [
    `| measure | value | target |`,
    `| --- | ---: | --- |`,
    `| progress events/s per client (min / median / max) | ${f(r.progressEventsPerClientPerSecond.min)} / ${f(r.progressEventsPerClientPerSecond.median)} / ${f(r.progressEventsPerClientPerSecond.max)} | ≤ 10 |`,
    `| server CPU serving the clients (whole process minus its no-client baseline) | ${f(r.clientCpuPercentOfCore)}% of a core | < 5% |`,
    `| server CPU, whole process (incl. simulating 1,000 downloads) | ${f(r.serverCpuPercentOfCore)}% of a core | |`,
    `| server RSS, after warm-up → end | ${f(r.rssBeforeMiB, 0)} → ${f(r.rssAfterMiB, 0)} MiB | no growth |`,
    `| server heap after GC, after warm-up → end | ${f(r.heapBeforeMiB, 1)} → ${f(r.heapAfterMiB, 1)} MiB | no growth |`,
    `| latency engine update → client, p50 / p99 (${r.latencyMs.samples} samples) | ${f(r.latencyMs.p50, 0)} / ${f(r.latencyMs.p99, 0)} ms | p99 < 150 ms |`,
  ].join('\n');
}

/** The per-user stream beside the unfiltered one: what filtering adds, and the latency through it. */
export function formatUsersResult(all: SseBenchResult, perUser: SseBenchResult): string {
  const f = (n: number, d = 1) => n.toFixed(d);
  return [
    `| measure | 100 clients, all downloads | 100 clients, 20 users' own | target |`,
    `| --- | ---: | ---: | --- |`,
    `| server CPU serving the clients | ${f(all.clientCpuPercentOfCore)}% of a core | ${f(perUser.clientCpuPercentOfCore)}% of a core | filtering adds < 5% |`,
    `| added by per-user filtering | | ${f(perUser.clientCpuPercentOfCore - all.clientCpuPercentOfCore)}% of a core | < 5% |`,
    `| progress events/s per client (median) | ${f(all.progressEventsPerClientPerSecond.median)} | ${f(perUser.progressEventsPerClientPerSecond.median)} | ≤ 10 |`,
    `| latency engine update → client, p50 / p99 | ${f(all.latencyMs.p50, 0)} / ${f(all.latencyMs.p99, 0)} ms | ${f(perUser.latencyMs.p50, 0)} / ${f(perUser.latencyMs.p99, 0)} ms | p99 < 150 ms |`,
  ].join('\n');
}
