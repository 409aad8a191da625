import type { ChildProcess } from 'node:child_process';
import type { Download } from '../../shared/api.ts';
import { request } from './haul-harness.ts';
import { spawnHaul } from './run-cli.ts';
import { lastingDir } from './temp-dir.ts';

export interface HaulNode {
  name: string;
  dataDir: string;
  base: string;
  token: string;
  child: ChildProcess;
  exited: Promise<unknown>;
}

/** A real `haul serve --redis` process on any free port, its own data folder, the download folder shared. */
export async function startNode(name: string, redisUrl: string, downloadDir: string, extra: string[] = []): Promise<HaulNode> {
  const dataDir = lastingDir(`haul-node-${name}-`);
  const run = spawnHaul(['serve', '--port', '0', '--data-dir', dataDir, '--download-dir', downloadDir, '--redis', redisUrl, '--node-name', name, '--lease-ms', '2000', ...extra], {});
  let err = '';
  run.child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
  const { base, token } = await new Promise<{ base: string; token: string }>((resolve, reject) => {
    let out = '';
    run.child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /Haul listening on (\S+)[\s\S]*#token=(\S+)/u.exec(out);
      if (m?.[1] !== undefined && m[2] !== undefined) resolve({ base: m[1], token: m[2] });
    });
    run.child.once('exit', () => reject(new Error(`node ${name} exited: ${out}${err}`)));
  });
  return { name, dataDir, base, token, child: run.child, exited: run.done };
}

export async function stopNode(node: HaulNode, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (node.child.exitCode === null && node.child.signalCode === null) node.child.kill(signal);
  await node.exited;
}

/** An API call to `node` with its token; the JSON answer. */
export async function api(node: HaulNode, path: string, method = 'GET', body?: unknown): Promise<{ status: number; json: () => unknown }> {
  return request(node.base, path, {
    method,
    token: node.token,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
}

export async function downloadOn(node: HaulNode, id: string): Promise<Download> {
  const res = await api(node, `/api/downloads/${id}`);
  if (res.status !== 200) throw new Error(`GET ${id} on ${node.name}: ${res.status}`);
  return res.json() as Download;
}

/** Polls `node` until download `id` satisfies `check`. */
export async function waitForDownload(node: HaulNode, id: string, check: (d: Download) => boolean, timeoutMs = 30_000, what = 'download state'): Promise<Download> {
  let last: Download | undefined;
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    last = await downloadOn(node, id).catch(() => undefined);
    if (last !== undefined && check(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${what} not reached on ${node.name} in ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
}
