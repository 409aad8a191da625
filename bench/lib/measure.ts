import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Measurement {
  code: number;
  wallSeconds: number;
  cpuSeconds: number;
  peakRssMiB: number;
}

// getrusage(RUSAGE_CHILDREN) of a one-child wrapper gives the child's own CPU time and peak
// RSS, measured the same way for every tool.
const WRAPPER = `
import json, resource, subprocess, sys, time
t = time.monotonic()
code = subprocess.run(sys.argv[2:], stdout=subprocess.DEVNULL).returncode
wall = time.monotonic() - t
r = resource.getrusage(resource.RUSAGE_CHILDREN)
open(sys.argv[1], "w").write(json.dumps({"code": code, "wall": wall, "cpu": r.ru_utime + r.ru_stime, "rss": r.ru_maxrss}))
`;

/** Runs `argv` to completion and reports wall time, CPU seconds and peak RSS. */
export async function measure(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<Measurement> {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'haul-bench-')), 'rusage.json');
  await new Promise<void>((resolve, reject) => {
    const child = spawn('python3', ['-c', WRAPPER, out, ...argv], { stdio: ['ignore', 'ignore', 'inherit'], env });
    child.on('error', reject);
    child.on('close', () => resolve());
  });
  const raw = JSON.parse(fs.readFileSync(out, 'utf8')) as { code: number; wall: number; cpu: number; rss: number };
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
  return { code: raw.code, wallSeconds: raw.wall, cpuSeconds: raw.cpu, peakRssMiB: raw.rss / 1024 };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Full path of an executable on PATH, or undefined. */
export function which(name: string): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  for (const dir of ['/usr/sbin', '/sbin']) {
    const candidate = path.join(dir, name);
    if (fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** The `p`th percentile of ascending `sorted` values (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}
