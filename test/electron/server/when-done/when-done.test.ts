// Settings' whenDone: once the queue empties, a countdown every window sees, then the action.
// No test here can reach a real power command: the unit tests hand WhenDone a recording
// stand-in, and the end-to-end test runs `haul serve` in its own mount namespace with stand-ins
// bound over the real programs and first on PATH.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WhenDone, type WhenDoneEvent } from '../../../../electron/server/when-done/when-done.ts';
import { startEngine } from '../../../helpers/engine-harness.ts';
import { ManualClock } from '../../../helpers/manual-clock.ts';
import { request } from '../../../helpers/haul-harness.ts';
import { HAUL_BIN } from '../../../helpers/run-cli.ts';
import { tempDir } from '../../../helpers/temp-dir.ts';
import { serveBytes, startTestServer, testBytes, type TestServer } from '../../../helpers/test-server.ts';
import { whenListening } from '../../../helpers/ui-harness.ts';
import { waitUntil } from '../../../helpers/wait.ts';

let server: TestServer | undefined;
const children: ChildProcess[] = [];
const watchers: WhenDone[] = [];
afterEach(async () => {
  for (const w of watchers.splice(0)) w.close();
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  await server?.close();
  server = undefined;
});

function setUp(action: 'shutdown' | 'sleep' | 'quit') {
  const clock = new ManualClock(Date.parse('2026-12-07T12:00:00Z'));
  const h = startEngine({ clock, progressIntervalMs: 3_600_000, checkpointIntervalMs: 3_600_000 });
  h.engine.updateSettings({ whenDone: action, whenDoneCountdown: 30 });
  const ran: string[][] = [];
  const events: WhenDoneEvent[] = [];
  let quits = 0;
  const whenDone = new WhenDone({ engine: h.engine, clock, quit: () => quits++, run: async (program, args) => void ran.push([program, ...args]), platform: 'linux', log: () => undefined });
  watchers.push(whenDone);
  whenDone.watch((e) => events.push(e));
  return { clock, h, ran, events, whenDone, quits: () => quits };
}

describe('when the queue is done', () => {
  it('counts down once the last download completes, then shuts down with the first command that works', async () => {
    server = await startTestServer({ '/a.bin': serveBytes(testBytes(64 * 1024, 51)), '/b.bin': serveBytes(testBytes(64 * 1024, 52)) });
    const { clock, h, ran, events } = setUp('shutdown');
    const [a, b] = h.engine.add({ urls: [server.url('/a.bin'), server.url('/b.bin')] });
    await h.waitFor(a?.id ?? '', 'completed');
    await h.waitFor(b?.id ?? '', 'completed');
    expect(events).toEqual([{ name: 'when-done', data: { action: 'shutdown', at: '2026-12-07T12:00:30.000Z' } }]);
    clock.advance(29_000);
    expect(ran).toEqual([]);
    clock.advance(1_000);
    await waitUntil(() => ran.length > 0, 5_000, 'the power command');
    expect(ran).toEqual([['systemctl', 'poweroff']]);
    expect(events.at(-1)).toEqual({ name: 'when-done-ended', data: { reason: 'done' } });
  });

  it('is cancelled from a window, or by a download starting again, and then nothing runs', async () => {
    server = await startTestServer({ '/a.bin': serveBytes(testBytes(64 * 1024, 53)), '/slow.bin': serveBytes(testBytes(4 * 1024 * 1024, 54), { rate: 256 * 1024 }) });
    const { clock, h, ran, events, whenDone } = setUp('sleep');
    const [a] = h.engine.add({ url: server.url('/a.bin') });
    await h.waitFor(a?.id ?? '', 'completed');
    expect(whenDone.current()).toEqual({ action: 'sleep', at: '2026-12-07T12:00:30.000Z' });
    expect(whenDone.cancel()).toBe(true);
    clock.advance(60_000);
    expect(events.map((e) => e.name)).toEqual(['when-done', 'when-done-ended']);
    expect(events[1]).toEqual({ name: 'when-done-ended', data: { reason: 'cancelled' } });
    // A second download done: the countdown again, and a third added meanwhile stops it.
    const [again] = h.engine.add({ url: server.url('/a.bin'), filename: 'again.bin' });
    await h.waitFor(again?.id ?? '', 'completed');
    expect(events.at(-1)?.name).toBe('when-done');
    h.engine.add({ url: server.url('/slow.bin') });
    expect(events.at(-1)).toEqual({ name: 'when-done-ended', data: { reason: 'busy' } });
    clock.advance(60_000);
    expect(ran).toEqual([]);
  });

  it('quits Haul itself with "quit"', async () => {
    server = await startTestServer({ '/a.bin': serveBytes(testBytes(1024, 55)) });
    const quitting = setUp('quit');
    const [a] = quitting.h.engine.add({ url: server.url('/a.bin') });
    await quitting.h.waitFor(a?.id ?? '', 'completed');
    quitting.clock.advance(30_000);
    expect(quitting.quits()).toBe(1);
    expect(quitting.ran).toEqual([]);
  });

  it('tries logind when systemctl fails, and says so in every window when nothing works', async () => {
    server = await startTestServer({ '/a.bin': serveBytes(testBytes(1024, 57)) });
    const clock = new ManualClock(0);
    const h = startEngine({ clock, progressIntervalMs: 3_600_000, checkpointIntervalMs: 3_600_000 });
    h.engine.updateSettings({ whenDone: 'sleep', whenDoneCountdown: 5 });
    const tried: string[] = [];
    const events: WhenDoneEvent[] = [];
    const failing = new WhenDone({
      engine: h.engine,
      clock,
      quit: () => undefined,
      run: async (program, args) => {
        tried.push([program, ...args].join(' '));
        throw new Error(`${program} refused`);
      },
      platform: 'linux',
      log: () => undefined,
    });
    watchers.push(failing);
    failing.watch((e) => events.push(e));
    const [a] = h.engine.add({ url: server.url('/a.bin') });
    await h.waitFor(a?.id ?? '', 'completed');
    clock.advance(5_000);
    const failed = (e: WhenDoneEvent | undefined): boolean => e?.name === 'when-done-ended' && e.data.reason === 'failed';
    await waitUntil(() => failed(events.at(-1)), 5_000, 'the failure told');
    expect(tried).toEqual(['systemctl suspend', 'loginctl suspend']);
    expect(events.at(-1)?.data).toEqual({ reason: 'failed', message: 'Haul could not put the machine to sleep: loginctl refused' });
  });
});

/** Stand-ins for every power program, each recording its name and arguments. */
function standIns(dir: string, record: string): string {
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  const script = `#!/bin/sh\necho "$(basename "$0") $*" >> '${record}'\n`;
  for (const name of ['systemctl', 'loginctl', 'shutdown', 'poweroff', 'reboot', 'halt', 'pmset', 'rundll32.exe', 'osascript']) fs.writeFileSync(path.join(bin, name), script, { mode: 0o755 });
  return bin;
}

const canIsolate = spawnSync('unshare', ['-m', 'true']).status === 0;

describe('a real haul serve', () => {
  it.skipIf(!canIsolate)('shuts down once, through a stand-in, after the countdown every window was told of', async () => {
    server = await startTestServer({ '/f.bin': serveBytes(testBytes(256 * 1024, 56)) });
    const dir = tempDir('haul-power-');
    const record = path.join(dir, 'calls.txt');
    const bin = standIns(dir, record);
    // In its own mount namespace, the real programs are the stand-ins too, whatever PATH says.
    const binds = ['/usr/bin/systemctl', '/bin/systemctl', '/usr/bin/loginctl', '/usr/sbin/shutdown', '/sbin/shutdown', '/usr/sbin/poweroff', '/sbin/poweroff', '/usr/sbin/reboot', '/usr/sbin/halt']
      .map((target) => `[ -e ${target} ] && mount --bind ${bin}/systemctl ${target};`)
      .join(' ');
    const child = spawn(
      'unshare',
      ['-m', 'sh', '-c', `${binds} exec "$0" "$@"`, process.execPath, HAUL_BIN, 'serve', '--port', '0', '--data-dir', path.join(dir, 'data'), '--download-dir', path.join(dir, 'dl')],
      {
        env: { ...process.env, PATH: `${bin}:${process.env['PATH'] ?? ''}`, HAUL_TOKEN: 'power-token' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    children.push(child);
    const base = await whenListening(child);
    const json = { 'content-type': 'application/json' };
    const set = await request(base, '/api/settings', { method: 'PATCH', token: 'power-token', headers: json, body: JSON.stringify({ whenDone: 'shutdown', whenDoneCountdown: 5 }) });
    expect(set.status, set.body).toBe(200);
    // A window watching the events is told of the countdown.
    const told: string[] = [];
    const events = await fetch(`${base}api/events?token=power-token`);
    const reader = events.body?.getReader();
    void (async () => {
      for (;;) {
        const chunk = await reader?.read().catch(() => undefined);
        if (chunk === undefined || chunk.done) return;
        told.push(Buffer.from(chunk.value).toString());
      }
    })();
    const added = await request(base, '/api/downloads', { method: 'POST', token: 'power-token', headers: json, body: JSON.stringify({ url: server.url('/f.bin') }) });
    expect(added.status).toBe(201);
    await waitUntil(() => told.join('').includes('event: when-done\n'), 15_000, 'the countdown announced');
    // The stand-in's shell makes the file before it writes the line: wait for the line.
    await waitUntil(() => fs.existsSync(record) && fs.readFileSync(record, 'utf8').endsWith('\n'), 20_000, 'the stand-in called');
    expect(fs.readFileSync(record, 'utf8')).toBe('systemctl poweroff\n');
    await waitUntil(() => told.join('').includes('event: when-done-ended\ndata: {"reason":"done"}'), 5_000, 'the countdown ended');
    await reader?.cancel();
  });
});
