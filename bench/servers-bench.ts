import fs from 'node:fs';
import path from 'node:path';
import { compareTools, haulTool, peerTools, type Row } from './download-bench.ts';
import { ensureFixture } from './lib/fixture.ts';
import { which } from './lib/measure.ts';
import { startWebServer, type WebServerKind } from './lib/web-servers.ts';

export interface ServerSizeResult {
  server: WebServerKind;
  sizeMiB: number;
  haul: Row;
  curl: Row;
}

export interface ServersResult {
  /** Each tool's fixed cost per server: the median time of a 1 KiB file (start, connect, flush, exit). */
  fixed: Array<{ server: WebServerKind; haul: Row; curl: Row }>;
  sizes: ServerSizeResult[];
}

const TINY = 'tiny.bin';

/**
 * Issue 23's files most people download: 64 and 300 MiB from nginx, Apache and Caddy to disk,
 * `haul get` at its defaults against "curl, then sync" (the same durability). A 1 KiB file
 * from the same server gives each tool's fixed cost, so the transfer itself can be compared
 * with start-up subtracted as well as with it.
 */
export async function runServersBench(workDir: string, opts: { sizesMiB: number[]; rounds: number; servers: WebServerKind[] }): Promise<ServersResult> {
  const www = path.join(workDir, 'www');
  fs.mkdirSync(www, { recursive: true });
  fs.writeFileSync(path.join(www, TINY), Buffer.alloc(1024, 7));
  const names = new Map(opts.sizesMiB.map((size) => [size, path.basename(ensureFixture(www, `file-${size}.bin`, size))]));
  const tools = [haulTool('haul get'), ...peerTools([], 'aria2c', { durableCurl: true }).filter((t) => t.tool === 'curl, then sync')];
  const out = path.join(workDir, 'out', 'servers');
  const result: ServersResult = { fixed: [], sizes: [] };
  // A server that is not installed is left out of the table (apt-get install apache2 caddy).
  for (const kind of opts.servers.filter((k) => which(k === 'apache' ? 'apache2' : k) !== undefined)) {
    const server = await startWebServer(kind, www, path.join(workDir, 'servers'));
    try {
      const [haulTiny, curlTiny] = await compareTools(`${server.baseUrl}/${TINY}`, 1024, tools, opts.rounds, out);
      result.fixed.push({ server: kind, haul: haulTiny!, curl: curlTiny! });
      for (const [size, name] of names) {
        const [haul, curl] = await compareTools(`${server.baseUrl}/${name}`, size * 1024 * 1024, tools, opts.rounds, out);
        result.sizes.push({ server: kind, sizeMiB: size, haul: haul!, curl: curl! });
      }
    } finally {
      await server.stop();
      fs.rmSync(out, { recursive: true, force: true });
    }
  }
  return result;
}

export function formatServers(r: ServersResult): string {
  const lines = ['| server | size | haul get (s) | curl, then sync (s) | ratio | ratio, start-up subtracted | haul peak RSS (MiB) |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: |'];
  for (const s of r.sizes) {
    const fixed = r.fixed.find((f) => f.server === s.server)!;
    const haul = s.haul.medianSeconds;
    const curl = s.curl.medianSeconds;
    const net = (haul - fixed.haul.medianSeconds) / (curl - fixed.curl.medianSeconds);
    lines.push(
      `| ${s.server} | ${s.sizeMiB} MiB | ${haul.toFixed(3)} (${s.haul.minSeconds.toFixed(3)}–${s.haul.maxSeconds.toFixed(3)}) | ${curl.toFixed(3)} (${s.curl.minSeconds.toFixed(3)}–${s.curl.maxSeconds.toFixed(3)}) | ${(haul / curl).toFixed(2)}× | ${net.toFixed(2)}× | ${s.haul.peakRssMiB.toFixed(0)} |`,
    );
  }
  const fixed = r.fixed.map((f) => `${f.server} ${(f.haul.medianSeconds * 1000).toFixed(0)} ms against ${(f.curl.medianSeconds * 1000).toFixed(0)} ms`).join('; ');
  lines.push('', `Fixed cost (a 1 KiB file, haul get against curl, then sync): ${fixed}.`);
  return lines.join('\n');
}
