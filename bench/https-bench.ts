import fs from 'node:fs';
import path from 'node:path';
import { makeCa } from '../test/helpers/make-ca.ts';
import { compareTools, haulTool, type Row, type ToolRun } from './download-bench.ts';
import { startFileServer } from './lib/file-server.ts';
import { ensureFixture } from './lib/fixture.ts';
import { which } from './lib/measure.ts';

/**
 * 1 GiB over loopback TLS from nginx (a CA made for the run): `haul get` with its defaults and
 * with one connection, against curl, written to `outDir`. Both sides encrypt on the same two
 * cores, so this measures how much CPU each client spends per byte as much as anything.
 */
export async function runHttpsBench(workDir: string, opts: { sizeMiB: number; rounds: number; outDir: string; durableCurl: boolean }): Promise<Row[]> {
  const www = path.join(workDir, 'www');
  ensureFixture(www, 'big.bin', opts.sizeMiB);
  const caDir = path.join(workDir, 'ca');
  fs.rmSync(caDir, { recursive: true, force: true });
  fs.mkdirSync(caDir, { recursive: true });
  const ca = makeCa(caDir);
  const server = await startFileServer(www, path.join(workDir, 'https'), { tls: ca });
  const tools: ToolRun[] = [haulTool('haul get (defaults)', ['--ca-cert', ca.caFile]), haulTool('haul get -x 1', ['-x', '1', '--ca-cert', ca.caFile])];
  const curl = which('curl');
  if (curl !== undefined) tools.push({ tool: 'curl', argv: (url, out) => [curl, '-sS', '--cacert', ca.caFile, '-o', path.join(out, 'big.bin'), url] });
  // On disk, the same durability Haul gives: curl, then fsync of the file (free on tmpfs).
  if (curl !== undefined && opts.durableCurl)
    tools.push({ tool: 'curl, then sync', argv: (url, out) => ['sh', '-c', 'curl -sS --cacert "$1" -o "$2" "$3" && sync "$2"', 'sh', ca.caFile, path.join(out, 'big.bin'), url] });
  try {
    return await compareTools(`${server.baseUrl}/big.bin`, opts.sizeMiB * 1024 * 1024, tools, opts.rounds, opts.outDir);
  } finally {
    await server.stop();
  }
}
