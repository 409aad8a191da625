// What runs when a download finishes: a program with arguments (never a shell) and a webhook,
// only as Settings define them. A stand-in program records the arguments it was given.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseSettingsBody } from '../../../shared/settings-body.ts';
import { craftZip } from '../../helpers/archives.ts';
import { startEngine } from '../../helpers/engine-harness.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { serveBytes, startTestServer, testBytes, type TestServer } from '../../helpers/test-server.ts';
import { waitUntil } from '../../helpers/wait.ts';

let files: TestServer | undefined;
let hooks: http.Server | undefined;
afterEach(async () => {
  await files?.close();
  files = undefined;
  hooks?.closeAllConnections();
  hooks?.close();
  hooks = undefined;
});

/** A program that writes each argument it gets on a line of `record`. */
function recorder(dir: string): { program: string; record: string } {
  const record = path.join(dir, 'args.txt');
  const program = path.join(dir, 'record.sh');
  fs.writeFileSync(program, `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a"; done > '${record}'\nexit 0\n`, { mode: 0o755 });
  return { program, record };
}

async function webhookServer(): Promise<{ url: string; received: unknown[] }> {
  const received: unknown[] = [];
  hooks = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push(JSON.parse(body));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => hooks?.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/hook`, received };
}

const actionLog = (h: ReturnType<typeof startEngine>, id: string): string[] => h.engine.details(id).log.flatMap((e) => (e.kind === 'action' ? [e.detail ?? ''] : []));

describe('actions when a download finishes', () => {
  it('runs the program with each argument as given, a hostile name one literal argument, then the category’s webhook', async () => {
    const dir = tempDir('haul-actions-');
    const { program, record } = recorder(dir);
    const hook = await webhookServer();
    files = await startTestServer({ '/v': serveBytes(testBytes(4096, 91), { contentDisposition: 'attachment; filename="$(touch pwned);.mp4"' }) });
    const h = startEngine();
    h.engine.updateSettings({
      actions: [
        { name: 'record', run: [program, '{path}', '{name}', 'id={id}', 'a b'] },
        { name: 'notify', webhook: hook.url },
      ],
      categories: [{ name: 'Video', extensions: ['mp4'], dir: 'Video', actions: ['notify'] }],
    });
    const [d] = h.engine.add({ url: files.url('/v'), actions: ['record'] });
    const id = d?.id ?? '';
    await h.waitFor(id, 'completed');
    await waitUntil(() => actionLog(h, id).length === 2, 10_000, 'both actions done');
    const file = path.join(h.downloadDir, 'Video', '$(touch pwned);.mp4');
    expect(fs.readFileSync(record, 'utf8')).toBe(`${file}\n$(touch pwned);.mp4\nid=${id}\na b\n`);
    expect(fs.existsSync(path.join(dir, 'pwned')) || fs.existsSync('pwned')).toBe(false);
    expect(hook.received).toEqual([expect.objectContaining({ id, filename: '$(touch pwned);.mp4', path: file, size: 4096 })]);
    expect(actionLog(h, id)).toEqual(['record: exit 0', 'notify: webhook answered 204']);
  });

  it('runs only what Settings define, says how a program ended, and never calls Haul itself', async () => {
    files = await startTestServer({ '/a.bin': serveBytes(testBytes(1024, 92)) });
    const h = startEngine({ actions: { isHaul: (url) => url.port === '1' } });
    h.engine.updateSettings({
      actions: [
        { name: 'fails', run: ['/bin/sh', '-c', 'echo nope >&2; exit 3'] },
        { name: 'slow', run: ['/bin/sleep', '5'], timeoutSeconds: 1 },
        { name: 'self', webhook: 'http://127.0.0.1:1/api/downloads' },
      ],
    });
    expect(() => h.engine.add({ url: files?.url('/a.bin'), actions: ['rm-everything'] })).toThrow('"actions": "rm-everything" is not an action Settings define; they are fails, slow, self.');
    const [d] = h.engine.add({ url: files.url('/a.bin'), actions: ['fails', 'slow', 'self'] });
    await h.waitFor(d?.id ?? '', 'completed');
    await waitUntil(() => actionLog(h, d?.id ?? '').length === 3, 15_000, 'the three actions said');
    expect(actionLog(h, d?.id ?? '')).toEqual(['fails: exit 3: nope', expect.stringMatching(/^slow: did not finish/u), 'self: refused, the webhook is Haul itself']);
  });

  it('extracts a downloaded zip beside it (its site rule’s action), naming the entries it refused', async () => {
    const zip = craftZip([
      { name: '../../escape.txt', data: Buffer.from('out') },
      { name: 'docs/a.txt', data: Buffer.from('inside') },
    ]);
    files = await startTestServer({ '/pack.zip': serveBytes(zip) });
    const h = startEngine();
    h.engine.updateSettings({ actions: [{ name: 'unpack', extract: true }], categories: [], siteRules: [{ match: '127.0.0.1', actions: ['unpack'] }] });
    const [d] = h.engine.add({ url: files.url('/pack.zip') });
    await h.waitFor(d?.id ?? '', 'completed');
    await waitUntil(() => actionLog(h, d?.id ?? '').length === 1, 10_000, 'the extract said');
    expect(actionLog(h, d?.id ?? '')).toEqual(['unpack: extracted 1 file into "pack"; refused: "../../escape.txt" leaves the folder (..)']);
    expect(fs.readFileSync(path.join(h.downloadDir, 'pack', 'docs', 'a.txt'), 'utf8')).toBe('inside');
    expect(fs.readdirSync(h.downloadDir).sort()).toEqual(['pack', 'pack.zip']);
    expect(fs.existsSync(path.join(h.downloadDir, '..', 'escape.txt'))).toBe(false);
  });

  it('takes an action of exactly one kind from Settings, and says what a wrong one lacks', () => {
    expect(parseSettingsBody({ actions: [{ name: 'unpack', extract: true }] })).toEqual({ ok: true, value: { actions: [{ name: 'unpack', extract: true }] } });
    const wrong = (action: unknown): string => {
      const parsed = parseSettingsBody({ actions: [action] });
      return parsed.ok ? 'accepted' : parsed.message;
    };
    expect(wrong({ name: 'x', extract: 'yes' })).toMatch(/"actions\[0\].extract" must be true/u);
    expect(wrong({ name: 'x', extract: true, webhook: 'http://127.0.0.1/' })).toMatch(/must have one of "run" .*, "webhook" .* or "extract": true/u);
    expect(wrong({ name: 'x' })).toMatch(/must have one of/u);
    expect(wrong({ name: 'x', run: 'rm -rf /' })).toMatch(/"actions\[0\].run" must be the program and its arguments, as a list of strings \(never a shell line\)/u);
  });
});
