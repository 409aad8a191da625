// Settings' download windows and "when the queue is done", in Chromium, in both languages.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Download, Settings } from '../../shared/api.ts';
import type { DownloadDetails } from '../../shared/views.ts';
import { craftZip } from '../helpers/archives.ts';
import { chromiumAvailable, CHROMIUM, launchBrowser } from '../helpers/browser.ts';
import { serveBytes, startTestServer, testBytes } from '../helpers/test-server.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { openUiIn, row, serve, stop } from '../helpers/ui-harness.ts';

const TOKEN = 'e2e-set-and-forget-4f1a';
let browser: Browser;

beforeAll(async () => {
  if (!chromiumAvailable()) throw new Error(`Chromium is needed for the UI tests: apt-get install chromium (looked for ${CHROMIUM}).`);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const settingsOf = async (base: string): Promise<Settings> => (await fetch(new URL('/api/settings', base), { headers: { authorization: `Bearer ${TOKEN}` } })).json() as Promise<Settings>;

describe('set and forget in Chromium', () => {
  it('sets download windows and a shutdown when done; a download outside the windows says when it starts, in English and Chinese', async () => {
    const s = await serve({ HAUL_DATA_DIR: tempDir(), HAUL_DOWNLOAD_DIR: tempDir(), HAUL_TOKEN: TOKEN });
    try {
      const { page, errors } = await openUiIn(browser, s.base, TOKEN, { viewport: { width: 1280, height: 900 } });
      await page.getByRole('button', { name: 'Settings' }).click();
      const dialog = page.getByRole('dialog', { name: 'Settings' });
      await dialog.getByLabel('Download only during these hours').check();
      await dialog.getByRole('group', { name: 'Download only during these hours 1' }).getByLabel('Sun').uncheck();
      await dialog.getByLabel('When the queue is done').selectOption('shutdown');
      await dialog.getByLabel('After a countdown of (s)').fill('30');
      await dialog.getByRole('button', { name: 'Save' }).click();
      await expect.poll(async () => (await settingsOf(s.base)).whenDone).toBe('shutdown');
      const saved = await settingsOf(s.base);
      expect(saved.whenDoneCountdown).toBe(30);
      expect(saved.schedule).toEqual({ windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'], start: '01:00', end: '07:00', speedLimit: null }] });
      // A window that is never open now (one minute, on no day but one far from now) keeps a new download waiting.
      const closed = { windows: [{ days: ['mon'], start: '03:00', end: '03:01', speedLimit: null }] };
      await fetch(new URL('/api/settings', s.base), { method: 'PATCH', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ schedule: closed }) });
      const now = new Date();
      const inside = now.getDay() === 1 && now.getHours() === 3 && now.getMinutes() === 0;
      await fetch(new URL('/api/downloads', s.base), {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ url: 'http://127.0.0.1:9/later.bin' }),
      });
      if (!inside) {
        await expect
          .poll(
            () =>
              row(page, 'later.bin')
                .getByText(/^Starts at /u)
                .isVisible(),
            { timeout: 10_000 },
          )
          .toBe(true);
        await expect.poll(() => page.getByText(/^Scheduled: next window /u).isVisible()).toBe(true);
      }
      expect(errors).toEqual([]);
      const zh = await openUiIn(browser, s.base, TOKEN, { locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
      await zh.page.getByRole('button', { name: '设置' }).click();
      const zhDialog = zh.page.getByRole('dialog', { name: '设置' });
      await expect.poll(() => zhDialog.getByLabel('仅在这些时段下载', { exact: true }).isChecked()).toBe(true);
      await expect.poll(() => zhDialog.getByLabel('队列完成后').inputValue()).toBe('shutdown');
      if (!inside) await expect.poll(() => row(zh.page, 'later.bin').getByText(/开始$/u).isVisible(), { timeout: 10_000 }).toBe(true);
    } finally {
      await stop(s);
    }
  });

  it('defines actions and a site rule in Settings; the rule’s extract runs on a hostile zip from a real server; a secret header stays hidden, in English and Chinese', async () => {
    const files = await startTestServer({
      '/evil.zip': serveBytes(
        craftZip([
          { name: '../../outside.txt', data: Buffer.from('x') },
          { name: 'in/side.txt', data: Buffer.from('kept') },
        ]),
      ),
    });
    const downloads = tempDir();
    const s = await serve({ HAUL_DATA_DIR: tempDir(), HAUL_DOWNLOAD_DIR: downloads, HAUL_TOKEN: TOKEN });
    try {
      const { page, errors } = await openUiIn(browser, s.base, TOKEN, { viewport: { width: 1280, height: 900 } });
      await page.getByRole('button', { name: 'Settings' }).click();
      const dialog = page.getByRole('dialog', { name: 'Settings' });
      await dialog.getByRole('button', { name: 'Add an action' }).click();
      const first = dialog.getByRole('group', { name: 'Action 1' });
      await first.getByLabel('Name', { exact: true }).fill('note');
      await first.getByRole('textbox', { name: /^Program and arguments/u }).fill('/bin/echo\n{name}\n');
      await dialog.getByRole('button', { name: 'Add an action' }).click();
      const second = dialog.getByRole('group', { name: 'Action 2' });
      await second.getByLabel('Name', { exact: true }).fill('unpack');
      await second.getByLabel('Kind').selectOption('extract');
      await dialog.getByRole('button', { name: 'Add a rule' }).click();
      const rule = dialog.getByRole('group', { name: 'Site rule 1' });
      await rule.getByLabel('Host').fill('127.0.0.1');
      await rule.getByLabel('Headers, one “Name: value” per line').fill('Cookie: session=s3cret');
      await rule.getByLabel('Actions (names, comma-separated)').fill('unpack, note');
      await dialog.getByRole('button', { name: 'Save' }).click();
      await expect.poll(async () => (await settingsOf(s.base)).actions.length).toBe(2);
      const saved = await settingsOf(s.base);
      expect(saved.actions).toEqual([
        { name: 'note', run: ['/bin/echo', '{name}'] },
        { name: 'unpack', extract: true },
      ]);
      expect(saved.siteRules).toEqual([{ match: '127.0.0.1', headers: { Cookie: '(hidden)' }, actions: ['unpack', 'note'] }]);
      // Saved again from a window that only ever saw "(hidden)", the cookie is kept.
      await page.getByRole('button', { name: 'Settings' }).click();
      await expect.poll(() => dialog.getByLabel('Headers, one “Name: value” per line').inputValue()).toBe('Cookie: (hidden)');
      await dialog.getByRole('button', { name: 'Save' }).click();
      await expect.poll(() => dialog.isVisible()).toBe(false);
      const added = await fetch(new URL('/api/downloads', s.base), {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ url: files.url('/evil.zip') }),
      });
      const [d] = ((await added.json()) as { downloads: { id: string }[] }).downloads;
      const actionLog = async (): Promise<string[]> => {
        const details = (await (await fetch(new URL(`/api/downloads/${d?.id}/details`, s.base), { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as DownloadDetails;
        return details.log.flatMap((e) => (e.kind === 'action' ? [e.detail ?? ''] : []));
      };
      await expect.poll(actionLog, { timeout: 15_000 }).toEqual(['unpack: extracted 1 file into "evil"; refused: "../../outside.txt" leaves the folder (..)', 'note: exit 0: evil.zip']);
      expect(files.requests.at(-1)?.headers['cookie']).toBe('session=s3cret');
      // A zip lands in the default category's folder, Archives, and is extracted there.
      expect(fs.readFileSync(path.join(downloads, 'Archives', 'evil', 'in', 'side.txt'), 'utf8')).toBe('kept');
      expect(fs.readdirSync(path.join(downloads, 'Archives')).sort()).toEqual(['evil', 'evil.zip']);
      expect(fs.readdirSync(downloads)).toEqual(['Archives']);
      expect(errors).toEqual([]);
      const zh = await openUiIn(browser, s.base, TOKEN, { locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
      await zh.page.getByRole('button', { name: '设置' }).click();
      const zhDialog = zh.page.getByRole('dialog', { name: '设置' });
      await expect.poll(() => zhDialog.getByRole('group', { name: '动作 2' }).getByLabel('类型').inputValue()).toBe('extract');
      await expect.poll(() => zhDialog.getByRole('group', { name: '站点规则 1' }).getByLabel('主机').inputValue()).toBe('127.0.0.1');
      expect(zh.errors).toEqual([]);
    } finally {
      await stop(s);
      await files.close();
    }
  });

  it('keeps a download scheduled until a window that opens in a minute or two, then runs it (a real haul serve, the real clock)', async () => {
    const files = await startTestServer({ '/night.bin': serveBytes(testBytes(64 * 1024, 77)) });
    const s = await serve({ HAUL_DATA_DIR: tempDir(), HAUL_DOWNLOAD_DIR: tempDir(), HAUL_TOKEN: TOKEN });
    try {
      // The next whole minute, or the one after when this one is nearly over, so the add lands before it.
      const opens = new Date();
      opens.setSeconds(0, 0);
      opens.setMinutes(opens.getMinutes() + (new Date().getSeconds() >= 45 ? 2 : 1));
      const closes = new Date(opens.getTime() + 10 * 60_000);
      const hhmm = (d: Date): string => `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
      const days = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
      const schedule = { windows: [{ days: [days[opens.getDay()]], start: hhmm(opens), end: hhmm(closes), speedLimit: null }] };
      const patched = await fetch(new URL('/api/settings', s.base), {
        method: 'PATCH',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ schedule }),
      });
      expect(patched.status).toBe(200);
      const added = await fetch(new URL('/api/downloads', s.base), {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ url: files.url('/night.bin') }),
      });
      const [d] = ((await added.json()) as { downloads: Download[] }).downloads;
      const current = async (): Promise<Download> => (await fetch(new URL(`/api/downloads/${d?.id}`, s.base), { headers: { authorization: `Bearer ${TOKEN}` } })).json() as Promise<Download>;
      await expect.poll(current).toMatchObject({ status: 'scheduled', startsAt: opens.toISOString() });
      expect(files.requests).toEqual([]);
      await expect.poll(async () => (await current()).status, { timeout: 150_000, interval: 500 }).toBe('completed');
      expect(Date.now()).toBeGreaterThanOrEqual(opens.getTime());
    } finally {
      await stop(s);
      await files.close();
    }
  }, 180_000);
});
