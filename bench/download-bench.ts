import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startFileServer } from './lib/file-server.ts';
import { ensureFixture } from './lib/fixture.ts';
import { measure, median, which, type Measurement } from './lib/measure.ts';

export interface ToolRun {
  tool: string;
  argv: (url: string, outDir: string) => string[];
}

export interface Row {
  tool: string;
  medianSeconds: number;
  /** Fastest and slowest round: this VM's disk makes single runs vary, so the spread is shown. */
  minSeconds: number;
  maxSeconds: number;
  mbPerSecond: number;
  cpuSeconds: number;
  peakRssMiB: number;
  rounds: number;
}

const REPO = path.resolve(import.meta.dirname, '..');
export const HAUL = path.join(REPO, 'bin', 'haul.js');

/** haul get with the given extra flags, run exactly as `npx haul` runs it (the bin's shebang, Node 24 on PATH). */
export function haulTool(label: string, extra: string[] = []): ToolRun {
  return { tool: label, argv: (url, out) => [HAUL, 'get', url, '-d', out, '-q', ...extra] };
}

/** PATH with the project's Node first, as npm scripts and npx set it. */
export function benchEnv(): NodeJS.ProcessEnv {
  return { ...process.env, PATH: `${path.join(REPO, 'node_modules', '.bin')}${path.delimiter}${process.env['PATH'] ?? ''}` };
}

/** The peers present on this machine, at their defaults unless flags are given. */
export function peerTools(aria2Flags: string[] = [], aria2Label = 'aria2c', opts: { durableCurl?: boolean } = {}): ToolRun[] {
  const tools: ToolRun[] = [];
  const curl = which('curl');
  if (curl !== undefined) tools.push({ tool: 'curl', argv: (url, out) => [curl, '-sS', '-o', path.join(out, path.basename(new URL(url).pathname)), url] });
  if (curl !== undefined && opts.durableCurl === true) {
    // The same durability Haul gives (bytes flushed before the file counts as done): curl, then fsync of the file.
    tools.push({ tool: 'curl, then sync', argv: (url, out) => ['sh', '-c', 'curl -sS -o "$1" "$2" && sync "$1"', 'sh', path.join(out, path.basename(new URL(url).pathname)), url] });
  }
  const aria2c = which('aria2c');
  if (aria2c !== undefined) tools.push({ tool: aria2Label, argv: (url, out) => [aria2c, '-q', '--allow-overwrite=true', '-d', out, ...aria2Flags, url] });
  return tools;
}

/**
 * Downloads `url` with each tool for `rounds` rounds (rotating the order so no tool always
 * runs on a warmer machine), checks every result's size, and returns medians.
 */
export async function compareTools(url: string, expectedBytes: number, tools: ToolRun[], rounds: number, outRoot: string): Promise<Row[]> {
  const results = new Map<string, Measurement[]>(tools.map((t) => [t.tool, []]));
  for (let round = 0; round < rounds; round++) {
    const order = tools.map((_, i) => tools[(i + round) % tools.length]!);
    for (const tool of order) {
      const out = path.join(outRoot, tool.tool.replace(/[^a-z0-9-]+/giu, '_'));
      fs.rmSync(out, { recursive: true, force: true });
      fs.mkdirSync(out, { recursive: true });
      // Start every run with no dirty pages left by the previous one, so no tool pays another's writeback.
      execFileSync('sync');
      const m = await measure(tool.argv(url, out), benchEnv());
      const file = path.join(out, path.basename(new URL(url).pathname));
      const size = fs.existsSync(file) ? fs.statSync(file).size : -1;
      if (m.code !== 0 || size !== expectedBytes) throw new Error(`${tool.tool} failed in round ${round + 1}: exit ${m.code}, ${size} of ${expectedBytes} bytes`);
      results.get(tool.tool)!.push(m);
      fs.rmSync(out, { recursive: true, force: true });
    }
  }
  return tools.map((t) => summarise(t.tool, results.get(t.tool)!, expectedBytes));
}

/** Medians (and the spread) of one tool's rounds. */
export function summarise(tool: string, runs: Measurement[], bytes: number): Row {
  const seconds = median(runs.map((r) => r.wallSeconds));
  return {
    tool,
    medianSeconds: seconds,
    minSeconds: Math.min(...runs.map((r) => r.wallSeconds)),
    maxSeconds: Math.max(...runs.map((r) => r.wallSeconds)),
    mbPerSecond: bytes / 1e6 / seconds,
    cpuSeconds: median(runs.map((r) => r.cpuSeconds)),
    peakRssMiB: Math.max(...runs.map((r) => r.peakRssMiB)),
    rounds: runs.length,
  };
}

export function formatTable(rows: Row[], baseline?: string): string {
  const base = rows.find((r) => r.tool === baseline);
  const lines = [
    `| tool | median time (s) | fastest–slowest (s) | MB/s | CPU (s) | peak RSS (MiB) |${base ? ` time vs ${baseline} |` : ''}`,
    `| --- | ---: | ---: | ---: | ---: | ---: |${base ? ' ---: |' : ''}`,
  ];
  for (const r of rows) {
    const ratio = base ? ` ${(r.medianSeconds / base.medianSeconds).toFixed(2)}× |` : '';
    lines.push(
      `| ${r.tool} | ${r.medianSeconds.toFixed(2)} | ${r.minSeconds.toFixed(2)}–${r.maxSeconds.toFixed(2)} | ${r.mbPerSecond.toFixed(0)} | ${r.cpuSeconds.toFixed(2)} | ${r.peakRssMiB.toFixed(0)} |${ratio}`,
    );
  }
  return lines.join('\n');
}

/** Where downloads land: the real disk, and RAM (tmpfs) where the engine's own cost shows without disk noise. */
export function outputTargets(workDir: string): Array<{ label: string; dir: string }> {
  const targets = [{ label: 'disk', dir: path.join(workDir, 'out') }];
  if (fs.existsSync('/dev/shm')) targets.push({ label: 'tmpfs', dir: path.join('/dev/shm', 'haul-bench-out') });
  return targets;
}

/** Issue 2's benchmark: 1 GiB over loopback with haul get, curl and aria2c at their defaults. */
export async function runDownloadBench(workDir: string, opts: { sizeMiB: number; rounds: number }): Promise<{ server: string; tables: Array<{ target: string; rows: Row[] }> }> {
  const www = path.join(workDir, 'www');
  ensureFixture(www, 'big.bin', opts.sizeMiB);
  const server = await startFileServer(www, workDir);
  try {
    const tables = [];
    for (const target of outputTargets(workDir)) {
      // fsync is free on tmpfs, so the durable curl row only tells something on disk.
      const tools = [haulTool('haul get -x 1', ['-x', '1']), ...peerTools([], 'aria2c', { durableCurl: target.label === 'disk' })];
      tables.push({ target: target.label, rows: await compareTools(`${server.baseUrl}/big.bin`, opts.sizeMiB * 1024 * 1024, tools, opts.rounds, target.dir) });
      fs.rmSync(target.dir, { recursive: true, force: true });
    }
    return { server: server.kind, tables };
  } finally {
    await server.stop();
  }
}
