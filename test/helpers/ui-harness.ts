import type { ChildProcess } from 'node:child_process';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { spawnHaul, type CliResult } from './run-cli.ts';

export interface Serve {
  child: ChildProcess;
  base: string;
  done: Promise<CliResult>;
}

/**
 * A real `haul serve` process; resolves with its address once it listens. On any free port
 * unless `args` name one: test files run in parallel, and two of them must never race for
 * Haul's default port (a restart on the same port would find it taken).
 */
export async function serve(env: Record<string, string>, args: string[] = []): Promise<Serve> {
  const run = spawnHaul(['serve', ...(args.includes('--port') ? [] : ['--port', '0']), ...args], env);
  return { child: run.child, base: await whenListening(run.child), done: run.done };
}

/** The address a `haul serve` child prints once it listens; rejects with what it printed if it exits first. */
export function whenListening(child: ChildProcess): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /Haul listening on (\S+)/u.exec(out);
      if (m?.[1] !== undefined) resolve(m[1]);
    });
    let err = '';
    child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
    child.once('exit', () => reject(new Error(`serve exited: ${out}${err}`)));
  });
}

/** Stops a `haul serve` as a service manager would; one that has not exited 30 s after SIGTERM is killed, and that is the test's failure. */
export async function stop(s: Serve): Promise<void> {
  s.child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(resolve, 30_000, 'late')));
  const ended = await Promise.race([s.done, late]);
  clearTimeout(timer);
  if (ended !== 'late') return;
  s.child.kill('SIGKILL');
  const { stdout, stderr } = await s.done;
  throw new Error(`haul serve did not exit within 30 s of SIGTERM. It printed:\n${stdout}${stderr}`);
}

export interface UiOptions {
  locale?: string;
  colorScheme?: 'light' | 'dark';
  viewport?: { width: number; height: number };
}

/** Opens the interface with its token in a new page of `where` (a browser or a context); console errors are collected. */
export async function openUiIn(where: Browser | BrowserContext, base: string, token: string, opts: UiOptions = {}): Promise<{ page: Page; errors: string[] }> {
  const page =
    'newContext' in where
      ? await where.newPage({ locale: opts.locale ?? 'en-US', colorScheme: opts.colorScheme ?? 'light', viewport: opts.viewport ?? { width: 1100, height: 620 } })
      : await where.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${base}#token=${token}`);
  return { page, errors };
}

export const row = (page: Page, name: string) => page.getByRole('row', { name, exact: true });
