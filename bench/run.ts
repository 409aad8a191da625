// `npm run bench`: Haul side by side with curl and aria2c on this machine, in one run.
// Options (env): BENCH_SIZE_MIB (default 1024), BENCH_ROUNDS (default 3), BENCH_ONLY (a suite name:
// download, segmented, throttled, unthrottled, straggler, stall, burst, startup, servers, https, transport, names, limit, sse, users, render, cluster, media, rpc, torrent);
// for rpc, BENCH_RPC_SECONDS (how long 10 clients poll, default 15) and BENCH_NODE_ARGS (Node options
// for the haul serve it measures, such as "--cpu-prof --cpu-prof-dir=/tmp/prof").
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatTable, outputTargets, runDownloadBench } from './download-bench.ts';
import { formatCluster, runClusterBench, type ClusterRun } from './cluster-bench.ts';
import { formatLimit, formatManyLimit, runLimitBench, runManyLimitBench } from './limit-bench.ts';
import { formatRenderResult, runRenderBench } from './render-bench.ts';
import { formatThrottled, runThrottledBench, runUnthrottledBench } from './segmented-bench.ts';
import { formatSseResult, formatUsersResult, runSseBench } from './sse-bench.ts';
import { runHttpsBench } from './https-bench.ts';
import { formatServers, runServersBench } from './servers-bench.ts';
import { runBurstBench } from './burst-bench.ts';
import { formatStartup, runStartupBench } from './startup-bench.ts';
import { runStragglerBench } from './straggler-bench.ts';
import { formatTransport, runTransportBench } from './transport-bench.ts';
import { formatNames, runNamesBench } from './names-bench.ts';
import { runMediaBench } from './media-bench.ts';
import { formatRpc, runRpcBench } from './rpc-bench.ts';
import { runTorrentApiBench, runTorrentBench } from './torrent-bench.ts';

const workDir = path.resolve(import.meta.dirname, '..', '.bench');
fs.mkdirSync(workDir, { recursive: true });
const sizeMiB = Number(process.env['BENCH_SIZE_MIB'] ?? 1024);
const rounds = Number(process.env['BENCH_ROUNDS'] ?? 3);
const only = process.env['BENCH_ONLY'];

const report: string[] = [`# Haul benchmarks — ${new Date().toISOString()}`, `${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`, ''];
const log = (text: string): void => {
  report.push(text);
  process.stdout.write(`${text}\n`);
};

if (only === undefined || only === 'download') {
  const { server, tables } = await runDownloadBench(workDir, { sizeMiB, rounds });
  for (const { target, rows } of tables) {
    log(`## ${sizeMiB} MiB over loopback from ${server} to ${target}, single connection, ${rounds} rounds (median)`);
    log(formatTable(rows, 'curl'));
    log('');
  }
}

if (only === undefined || only === 'segmented' || only === 'throttled') {
  const rate = Number(process.env['BENCH_RATE_MIB'] ?? 4);
  const counts = [1, 4, 8, 16];
  const rows = await runThrottledBench(workDir, { sizeMiB: 64, rateBytes: rate * 1024 * 1024, counts, rounds, throttle: 'nginx' });
  log(`## 64 MiB from nginx with limit_rate ${rate} MiB/s (per request), ${rounds} rounds (median)`);
  log(formatThrottled(rows));
  log('');
  const strict = await runThrottledBench(workDir, { sizeMiB: 64, rateBytes: rate * 1024 * 1024, counts, rounds, throttle: 'node' });
  log(`## 64 MiB from a Node server pacing each TCP connection to ${rate} MiB/s (no allowance), ${rounds} rounds (median)`);
  log(formatThrottled(strict));
  log('');
}

if (only === undefined || only === 'segmented' || only === 'unthrottled') {
  const unthrottled = await runUnthrottledBench(workDir, { sizeMiB, rounds });
  log(`## ${sizeMiB} MiB unthrottled: Haul's defaults vs curl and aria2c -x16, ${rounds} rounds (median)`);
  log(formatTable(unthrottled, 'curl'));
  log('');
}

if (only === undefined || only === 'straggler') {
  const rate = Number(process.env['BENCH_RATE_MIB'] ?? 4);
  const rows = await runStragglerBench(workDir, { sizeMiB: 64, rateBytes: rate * 1024 * 1024, connections: 8, rounds });
  log(`## 64 MiB, every TCP connection paced at ${rate} MiB/s but every third at a sixteenth (stragglers), server restarted per run, ${rounds} rounds (median)`);
  log(formatTable(rows, rows[1]?.tool));
  log('');
}

if (only === undefined || only === 'startup') {
  const result = await runStartupBench(workDir, { runs: 15, rounds });
  log('## Start-up: `haul --version` against `node -e 0` (medians of 15, after a warm-up run)');
  log(formatStartup(result));
  log('');
  log(`## 64 MiB from nginx to disk: haul get against curl, then sync, ${rounds} rounds (median)`);
  log(formatTable(result.small, 'curl, then sync'));
  log('');
}

if (only === undefined || only === 'servers') {
  const result = await runServersBench(workDir, { sizesMiB: [64, 300], rounds: Math.max(rounds, 5), servers: ['nginx', 'apache', 'caddy'] });
  log(`## 64 and 300 MiB from nginx, Apache and Caddy to disk: haul get (defaults) against curl, then sync, ${Math.max(rounds, 5)} rounds (median, fastest–slowest)`);
  log(formatServers(result));
  log('');
}

if (only === undefined || only === 'burst') {
  const rows = await runBurstBench(workDir, { sizeMiB: 24, rounds });
  log(`## 24 MiB from a server sending each connection 64 KiB every 250 ms (bursts), server restarted per run, ${rounds} rounds (median)`);
  log(formatTable(rows, 'haul get -x 8'));
  log('');
}

if (only === undefined || only === 'stall') {
  const rate = Number(process.env['BENCH_RATE_MIB'] ?? 4);
  const rows = await runStragglerBench(workDir, { sizeMiB: 64, rateBytes: rate * 1024 * 1024, connections: 8, rounds, stall: true });
  log(`## 64 MiB, every TCP connection paced at ${rate} MiB/s but every third goes silent after 512 KiB (stalls), server restarted per run, ${rounds} rounds (median)`);
  log(formatTable(rows, rows[1]?.tool));
  log('');
}

if (only === undefined || only === 'https') {
  for (const target of outputTargets(workDir)) {
    const rows = await runHttpsBench(workDir, { sizeMiB, rounds, outDir: target.dir, durableCurl: target.label === 'disk' });
    log(`## ${sizeMiB} MiB over loopback TLS from nginx to ${target.label}, ${rounds} rounds (median)`);
    log(formatTable(rows, 'curl'));
    log('');
    fs.rmSync(target.dir, { recursive: true, force: true });
  }
}

if (only === undefined || only === 'transport') {
  const rows = await runTransportBench(workDir, { sizeMiB, rounds: Math.max(rounds, 3) });
  log(`## The raw HTTP/1.1 client vs undici: ${sizeMiB} MiB from nginx, one connection, to tmpfs, in one process, ${Math.max(rounds, 3)} rounds each (median)`);
  log(formatTransport(rows, sizeMiB));
  log('');
}

if (only === undefined || only === 'names') {
  const result = await runNamesBench({ count: 2000 });
  log(`## Adding ${result.count} downloads of one name through the HTTP API, one at a time`);
  log(formatNames(result));
  log('');
}

if (only === undefined || only === 'limit') {
  const result = await runLimitBench(workDir, { limit: 8 * 1024 * 1024, sizeMiB });
  log('## Speed limit: global limit over 8 connections');
  log(formatLimit(result));
  log('');
  const many = await runManyLimitBench(workDir, { limit: 1024 * 1024, sizeMiB });
  log('## Speed limit: a global 1 MiB/s over several downloads at once');
  log(formatManyLimit(many));
  log('');
}

if (only === undefined || only === 'sse') {
  const seconds = Number(process.env['BENCH_SSE_SECONDS'] ?? 30);
  const result = await runSseBench({ clients: 50, downloads: 1000, seconds });
  log(`## Event stream: ${result.downloads} active downloads, ${result.clients} clients, ${result.seconds.toFixed(0)} s`);
  log(formatSseResult(result));
  log('');
}

if (only === undefined || only === 'users') {
  // Server mode: 20 users × 50 downloads, 100 clients (5 per user, each seeing only its own),
  // against the same 1,000 downloads and 100 clients that all see everything, in one run.
  const seconds = Number(process.env['BENCH_SSE_SECONDS'] ?? 20);
  const all = await runSseBench({ clients: 100, downloads: 1000, seconds });
  const perUser = await runSseBench({ clients: 100, downloads: 1000, seconds, users: 20 });
  log(`## Event stream per user: 20 users × 50 downloads, 100 clients, ${perUser.seconds.toFixed(0)} s (beside 100 clients that see all)`);
  log(formatUsersResult(all, perUser));
  log('');
}

if (only === undefined || only === 'render') {
  const result = await runRenderBench({ downloads: 1000, seconds: 10 });
  log(`## Rendering: ${result.downloads} active downloads updating 10×/s in Chromium, ${result.seconds.toFixed(0)} s`);
  log(formatRenderResult(result));
  log('');
}

if (only === undefined || only === 'cluster') {
  // Several nodes sharing Redis: the same 300 paced downloads and per-node limits on 1 node and on 3.
  const shape = { downloads: 300, sizeMiB: 1, rate: 512 * 1024, maxConcurrent: 10, connections: 2, clients: 100 };
  const runs: ClusterRun[] = [];
  for (const nodes of [1, 3]) runs.push(await runClusterBench(workDir, { ...shape, nodes }));
  log(
    `## Several nodes sharing Redis: ${shape.downloads} downloads of ${shape.sizeMiB} MiB, each TCP connection paced at ${shape.rate / 1024} KiB/s, per node ${shape.maxConcurrent} running × ${shape.connections} connections, ${shape.clients} event streams spread over the nodes`,
  );
  log(formatCluster(runs));
  log('');
}

if (only === undefined || only === 'media') {
  const rate = 2 * 1024 * 1024;
  const { bytes, paced, unpaced, largeBytes, large } = await runMediaBench(workDir, { rounds, rateBytes: rate });
  log(`## A 120 s 720p HLS stream (60 segments, ${(bytes / 2 ** 20).toFixed(1)} MiB) as one MP4, every TCP connection paced at 2 MiB/s, ${rounds} rounds (median)`);
  log(formatTable(paced, 'yt-dlp -N 8'));
  log('');
  log(`## The same stream unpaced from nginx, ${rounds} rounds (median)`);
  log(formatTable(unpaced, 'ffmpeg -c copy'));
  log('');
  log(`## A 15 min 720p HLS stream (450 segments, ${(largeBytes / 2 ** 20).toFixed(0)} MiB) as one MP4, unpaced from nginx: memory over a long stream, ${rounds} rounds (median)`);
  log(formatTable(large, 'ffmpeg -c copy'));
  log('');
}

if (only === undefined || only === 'rpc') {
  const rows = await runRpcBench(workDir, { polls: 200, seconds: Number(process.env['BENCH_RPC_SECONDS'] ?? 15) });
  log("## aria2 JSON-RPC: one poll (getGlobalStat, tellActive, tellWaiting(0,1000), tellStopped(-1,1000), AriaNg's keys) and 10 clients polling each second, Haul against aria2c");
  log(formatRpc(rows));
  log('');
}

if (only === undefined || only === 'torrent') {
  for (const size of [64, 1024]) {
    for (const seeders of [1, 3]) {
      const rows = await runTorrentBench(workDir, { sizeMiB: size, seeders, rounds });
      log(`## A ${size} MiB torrent from ${seeders} local aria2c seeder${seeders === 1 ? '' : 's'} (opentracker; Haul flushes every piece, aria2c does not), ${rounds} rounds (median)`);
      log(formatTable(rows, 'aria2c'));
      log('');
    }
  }
  const api = await runTorrentApiBench(workDir, { sizeMiB: 1024, seeders: 3 });
  log('## The HTTP API while haul serve downloads a 1 GiB torrent from 3 seeders (GET /api/downloads every 10 ms)');
  log(
    `| download (s) | polls | p50 (ms) | p99 (ms) | max (ms) |\n| ---: | ---: | ---: | ---: | ---: |\n| ${api.seconds.toFixed(2)} | ${api.polls} | ${api.p50Ms.toFixed(1)} | ${api.p99Ms.toFixed(1)} | ${api.maxMs.toFixed(1)} |`,
  );
  log('');
}

fs.writeFileSync(path.join(workDir, 'report.md'), `${report.join('\n')}\n`);
