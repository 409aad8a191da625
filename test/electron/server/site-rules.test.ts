// Site rules: what a download takes from the first rule its host matches, when added; a rule's
// secrets never come back in full. Against a real server that records what it was sent.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseSettingsBody } from '../../../shared/settings-body.ts';
import { hostMatches } from '../../../shared/site-rules.ts';
import { request, startTestHaul } from '../../helpers/haul-harness.ts';
import { serveBytes, startTestServer, testBytes, type TestServer } from '../../helpers/test-server.ts';
import { waitUntil } from '../../helpers/wait.ts';

const TOKEN = 'test-token-0123456789';
const json = { 'content-type': 'application/json' };
let files: TestServer | undefined;
afterEach(async () => {
  await files?.close();
  files = undefined;
});

describe('site rules', () => {
  it('match a host, a domain with every name below it, or anything', () => {
    expect(hostMatches('*.example.com', 'example.com')).toBe(true);
    expect(hostMatches('*.example.com', 'cdn.eu.example.com')).toBe(true);
    expect(hostMatches('*.example.com', 'badexample.com')).toBe(false);
    expect(hostMatches('example.com', 'www.example.com')).toBe(false);
    expect(hostMatches('*', 'anything.test')).toBe(true);
    expect(parseSettingsBody({ siteRules: [{ match: 'exa mple.com' }] })).toMatchObject({ ok: false, message: expect.stringMatching(/"siteRules\[0\].match" must be a host/u) });
    expect(parseSettingsBody({ siteRules: [{ match: 'a.com', dir: '../x' }] })).toMatchObject({ ok: false, message: expect.stringMatching(/below the download folder/u) });
    expect(parseSettingsBody({ siteRules: [{ match: 'a.com', headers: { Range: 'bytes=0-' } }] })).toMatchObject({ ok: false, message: expect.stringMatching(/"Range" is set by Haul itself/u) });
  });

  it('give a download their folder, connections and headers, the add’s own winning, and keep their secrets hidden', async () => {
    files = await startTestServer({ '/a.bin': serveBytes(testBytes(64 * 1024, 71)) });
    const haul = await startTestHaul();
    const rules = [{ match: '127.0.0.1', connections: 2, dir: 'from-rule', headers: { Cookie: 'session=s3cret', 'X-Site': 'rule' }, userAgent: 'Rule/1', referer: 'https://site.example/' }];
    const set = await request(haul.url, '/api/settings', { method: 'PATCH', token: TOKEN, headers: json, body: JSON.stringify({ siteRules: rules }) });
    expect(set.status, set.body).toBe(200);
    // The secret is hidden in every answer; sent back as shown, it is kept.
    const shown = set.json().siteRules;
    expect(shown[0].headers).toEqual({ Cookie: '(hidden)', 'X-Site': 'rule' });
    expect((await request(haul.url, '/api/settings', { token: TOKEN })).body).not.toContain('s3cret');
    expect((await request(haul.url, '/api/settings', { method: 'PATCH', token: TOKEN, headers: json, body: JSON.stringify({ siteRules: shown }) })).status).toBe(200);
    const added = await request(haul.url, '/api/downloads', { method: 'POST', token: TOKEN, headers: json, body: JSON.stringify({ url: files.url('/a.bin'), headers: { 'X-Site': 'mine' } }) });
    const d = added.json().downloads[0];
    expect(d).toMatchObject({ siteRule: '127.0.0.1', maxConnections: 2, dir: path.join(haul.downloadDir, 'from-rule') });
    await waitUntil(() => fs.existsSync(path.join(haul.downloadDir, 'from-rule', 'a.bin')), 15_000, 'the file in the rule’s folder');
    const sent = files.requests.find((r) => r.path.startsWith('/a.bin'))?.headers ?? {};
    expect(sent).toMatchObject({ cookie: 'session=s3cret', 'x-site': 'mine', 'user-agent': 'Rule/1', referer: 'https://site.example/' });
  });
});
