// A client whose socket falls behind still gets every event in id order: merged progress goes
// out before the state event that follows it, not after.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SseClient } from '../../../../electron/server/sse/sse-client.ts';
import { encodeEvent } from '../../../../electron/server/sse/sse-format.ts';
import { ManualClock } from '../../../helpers/manual-clock.ts';
import { waitUntil } from '../../../helpers/wait.ts';

let server: http.Server | undefined;
afterEach(() => server?.close());

describe('an event stream that falls behind', () => {
  it('sends the progress merged while behind before the state event that came after it', async () => {
    let client: SseClient | undefined;
    server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      client = new SseClient(res, { clock: new ManualClock(), pingIntervalMs: 15_000, maxBacklogBytes: 64 * 1024 * 1024 }, () => undefined);
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const socket = net.connect((server.address() as AddressInfo).port, '127.0.0.1');
    socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    // Nothing is read until the socket is paused and the server's writes back up.
    socket.pause();
    await waitUntil(() => client !== undefined, 5_000, 'the stream opening');
    const c = client as SseClient;
    const big = Buffer.from(encodeEvent(1, 'settings', { pad: 'x'.repeat(1024 * 1024) }));
    for (let i = 0; i < 64 && !c.lagging; i++) c.send(big);
    expect(c.lagging).toBe(true);
    c.mergeProgress(2, [{ id: 'd', received: 100, total: 1000, speed: 1, connections: 1 }]);
    c.mergeProgress(3, [{ id: 'd', received: 200, total: 1000, speed: 1, connections: 1 }]);
    // What the hub does before each state event.
    c.flushProgress();
    c.send(Buffer.from(encodeEvent(4, 'updated', { id: 'd', status: 'paused' })));
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    socket.resume();
    await waitUntil(() => text.includes('event: updated'), 10_000, 'the state event');
    const ids = [...text.matchAll(/^id: (\d+)$/gmu)].map((m) => Number(m[1]));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(text.indexOf('"received":200')).toBeGreaterThan(-1);
    expect(text.indexOf('"received":200')).toBeLessThan(text.indexOf('event: updated'));
    socket.destroy();
  });
});
