import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

const HAUL = path.resolve(import.meta.dirname, '..', '..', 'bin', 'haul.js');

/** A `haul serve` on any free port with its own data and download folders, once it listens. */
export async function startHaulServe(opts: {
  dataDir: string;
  downloadDir: string;
  token: string;
  nodeArgs?: string[];
  env?: NodeJS.ProcessEnv;
}): Promise<{ child: ChildProcess; base: string; port: number }> {
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), HAUL, 'serve', '--port', '0', '--data-dir', opts.dataDir, '--download-dir', opts.downloadDir], {
    env: { ...(opts.env ?? process.env), HAUL_TOKEN: opts.token },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = readline.createInterface({ input: child.stdout! });
  const base = await new Promise<string>((resolve, reject) => {
    lines.on('line', (line) => {
      const m = /Haul listening on (\S+)/u.exec(line);
      if (m?.[1] !== undefined) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`haul serve exited (${code})`)));
  });
  return { child, base, port: Number(new URL(base).port) };
}
