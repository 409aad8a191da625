// Haul runs no native code: with the RPC's WebSocket answering and the torrent client's worker
// running, the process has mapped no Node addon (.node file), though some are installed
// (bittorrent-tracker's optional bufferutil and utf-8-validate).
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { tempDir } from '../../helpers/temp-dir.ts';
import { serve, stop } from '../../helpers/ui-harness.ts';
import { eventually } from '../../helpers/wait.ts';

const TOKEN = 'no-native-token-77';

describe('no native code', () => {
  it.skipIf(process.platform !== 'linux')(
    'maps no .node addon while the RPC socket and the torrent worker run',
    async () => {
      expect(fs.existsSync('node_modules/bufferutil/package.json') || fs.existsSync('node_modules/utf-8-validate/package.json')).toBe(true);
      const s = await serve({ HAUL_DATA_DIR: tempDir(), HAUL_DOWNLOAD_DIR: tempDir(), HAUL_TOKEN: TOKEN });
      try {
        const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
        await fetch(new URL('/api/settings', s.base), { method: 'PATCH', headers, body: JSON.stringify({ torrent: { port: 0, dht: false, lsd: false, pex: false, trackers: false } }) });
        // A WebSocket call through ws, answered.
        const socket = new WebSocket(new URL('/jsonrpc', s.base.replace(/^http/u, 'ws')));
        const answer = await new Promise<string>((resolve, reject) => {
          socket.once('open', () => socket.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'aria2.getVersion', params: [`token:${TOKEN}`] })));
          socket.once('message', (data) => resolve(String(data)));
          socket.once('error', reject);
          socket.once('close', () => reject(new Error('the RPC socket closed without an answer')));
        });
        socket.close();
        expect(JSON.parse(answer)).toMatchObject({ id: 1, result: { version: expect.any(String) } });
        // A torrent, so the worker loads WebTorrent and its libraries; its peers answer once it runs.
        const added = await fetch(new URL('/api/downloads', s.base), { method: 'POST', headers, body: JSON.stringify({ url: `magnet:?xt=urn:btih:${'d'.repeat(40)}` }) });
        const { downloads } = (await added.json()) as { downloads: Array<{ id: string }> };
        await eventually(async () => (await fetch(new URL(`/api/downloads/${downloads[0]?.id}/peers`, s.base), { headers })).status === 200, 10_000, 'the torrent worker answering');
        const maps = fs.readFileSync(`/proc/${s.child.pid}/maps`, 'utf8');
        expect(maps.split('\n').filter((line) => line.endsWith('.node'))).toEqual([]);
      } finally {
        await stop(s);
      }
      // A haul serve's start, a WebSocket call and the worker's start, each waited for: on a loaded machine more than 30 s in all.
    },
    90_000,
  );
});
