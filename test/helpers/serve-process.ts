import type { ChildProcess } from 'node:child_process';
import { afterEach } from 'vitest';
import { spawnHaul } from './run-cli.ts';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/**
 * A real `haul serve` process, once it has printed where it listens and its token link;
 * killed after the test if still running. `base` is the address on its first line.
 */
export async function startServe(env: Record<string, string>, args: string[] = []) {
  const run = spawnHaul(['serve', ...args], env);
  children.push(run.child);
  let stdout = '';
  await new Promise<void>((resolve, reject) => {
    run.child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.split('\n').length > 2) resolve();
    });
    run.child.once('exit', () => reject(new Error(`serve exited early: ${stdout}`)));
  });
  const lines = stdout.trim().split('\n');
  return { ...run, lines, base: (lines[0] ?? '').replace('Haul listening on ', ''), stdout: () => stdout };
}
