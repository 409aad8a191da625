import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { Download } from '../../shared/api.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, CHROMIUM, launchBrowser } from '../helpers/browser.ts';
import { REPO } from '../helpers/run-cli.ts';
import { firstThen, serveBytes, startTestServer, testBytes, type TestServer } from '../helpers/test-server.ts';
import { makeHlsFixtures, probe, serveDir } from '../helpers/media-fixtures.ts';
import { lastingDir, tempDir } from '../helpers/temp-dir.ts';
import { openUiIn, row, serve, stop } from '../helpers/ui-harness.ts';

const openUi = (base: string, opts: { locale?: string; colorScheme?: 'light' | 'dark' } = {}) => openUiIn(browser, base, TOKEN, opts);

// The README's screenshots are refreshed on request (HAUL_SCREENSHOTS=1 npm test); a plain run
// keeps them in a temporary folder so the working tree stays clean.
const SHOTS = process.env.HAUL_SCREENSHOTS === '1' ? path.join(REPO, 'docs', 'screenshots') : fs.mkdtempSync(path.join(os.tmpdir(), 'haul-shots-'));
const TOKEN = 'e2e-token-5f3a9c';
let browser: Browser;
let files: TestServer;

beforeAll(async () => {
  if (!chromiumAvailable()) throw new Error(`Chromium is needed for the UI tests: apt-get install chromium (looked for ${CHROMIUM}).`);
  if (!fs.existsSync(path.join(REPO, 'dist', 'renderer', 'index.html'))) throw new Error('The interface is not built: run npm run build (npm test does it first).');
  browser = await launchBrowser();
  files = await startTestServer({
    '/slow/ubuntu.iso': serveBytes(testBytes(3 * 1024 * 1024, 71), { rate: 1024 * 1024 }),
    '/fast/a.txt': serveBytes(Buffer.from('alpha')),
    '/fast/b.txt': serveBytes(Buffer.from('bravo')),
    '/fast/c.txt': serveBytes(Buffer.from('charlie')),
  });
});
afterAll(async () => {
  await browser?.close();
  await files?.close();
  if (!SHOTS.startsWith(REPO)) fs.rmSync(SHOTS, { recursive: true, force: true });
});

describe('the interface in Chromium against haul serve', () => {
  it('adds by typing, shows progress moving, completes; title and address are right', async () => {
    const s = await serve({ HAUL_DATA_DIR: tempDir(), HAUL_DOWNLOAD_DIR: tempDir(), HAUL_TOKEN: TOKEN });
    try {
      const { page, errors } = await openUi(s.base);
      expect(await page.title()).toBe('Haul');
      expect(page.url()).not.toContain('token');
      await expect.poll(() => page.getByText('Nothing downloading yet').isVisible()).toBe(true);
      await page.getByRole('textbox', { name: /Paste one or more links/u }).fill(files.url('/slow/ubuntu.iso'));
      await page.keyboard.press('Enter');
      const bar = row(page, 'ubuntu.iso').getByRole('progressbar');
      await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow')), { timeout: 10_000 }).toBeGreaterThan(0);
      const early = Number(await bar.getAttribute('aria-valuenow'));
      await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow')), { timeout: 10_000 }).toBeGreaterThan(early);
      await page.screenshot({ path: path.join(SHOTS, 'light.png') });
      await expect.poll(() => row(page, 'ubuntu.iso').getByText('Completed').isVisible(), { timeout: 15_000 }).toBe(true);
      expect(await bar.getAttribute('aria-valuenow')).toBe('100');
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      await stop(s);
    }
  });

  it('offers the qualities of a pasted video link, downloads the one chosen as one MP4, and shows it as a video', async () => {
    const streams = lastingDir('haul-ui-hls-');
    makeHlsFixtures(streams);
    const walk = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));
    for (const file of walk(path.join(streams, 'master'))) files.route(`/${path.relative(streams, file)}`, serveDir(streams));
    const s = await serve({ HAUL_DATA_DIR: tempDir(), HAUL_DOWNLOAD_DIR: tempDir(), HAUL_TOKEN: TOKEN });
    try {
      const { page, errors } = await openUi(s.base);
      await page.getByRole('textbox', { name: /Paste one or more links/u }).fill(files.url('/master/master.m3u8'));
      const quality = page.getByRole('combobox', { name: 'Video quality' });
      await expect.poll(() => quality.locator('option').allTextContents(), { timeout: 10_000 }).toEqual(['Best', '360p · 1.0 Mb/s', '180p · 0.4 Mb/s']);
      await quality.selectOption({ label: '180p · 0.4 Mb/s' });
      await page.getByRole('button', { name: 'Add', exact: true }).click();
      await expect.poll(() => row(page, 'master.mp4').getByText('Completed').isVisible(), { timeout: 60_000 }).toBe(true);
      expect(await row(page, 'master.mp4').locator('.media-tag').textContent()).toMatch(/^Video stream · 180p · /u);
      const d = ((await (await fetch(new URL('/api/downloads', s.base), { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { downloads: Download[] }).downloads[0];
      expect(probe(path.join(d?.dir ?? '', 'master.mp4')).streams.find((st) => st.codec_type === 'video')?.height).toBe(180);
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      await stop(s);
    }
  }, 90_000);

  it('adds the links in pasted prose at once, and keeps a bad one in the box with its reason', async () => {
    const s = await serve({ HAUL_DATA_DIR: tempDir(), HAUL_DOWNLOAD_DIR: tempDir(), HAUL_TOKEN: TOKEN });
    try {
      const { page, errors } = await openUi(s.base);
      const input = page.getByRole('textbox', { name: /Paste one or more links/u });
      await input.fill(`Here is the file: ${files.url('/fast/a.txt')} (mirror)\nftp://old.example/a.txt`);
      await page.getByRole('button', { name: 'Add', exact: true }).click();
      await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/Line 2: "ftp:" URLs cannot be downloaded/u);
      await expect.poll(() => row(page, 'a.txt').getByText('Completed').isVisible(), { timeout: 10_000 }).toBe(true);
      expect(await input.inputValue()).toBe('ftp://old.example/a.txt');
      await input.fill([files.url('/fast/b.txt'), files.url('/fast/c.txt')].join('\n'));
      await page.keyboard.press('Enter');
      for (const name of ['a.txt', 'b.txt', 'c.txt']) {
        await expect.poll(() => row(page, name).getByText('Completed').isVisible(), { timeout: 10_000 }).toBe(true);
      }
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      await stop(s);
    }
  });

  it('works in ten tabs of one browser: they share one event stream, and each still acts', async () => {
    // A browser allows six connections per server; one EventSource per tab would hold them all.
    files.route('/slow/shared.bin', serveBytes(testBytes(2 * 1024 * 1024, 73), { rate: 512 * 1024, etag: '"s"' }));
    const s = await serve({ HAUL_DATA_DIR: tempDir(), HAUL_DOWNLOAD_DIR: tempDir(), HAUL_TOKEN: TOKEN });
    const context = await browser.newContext({ viewport: { width: 1100, height: 620 } });
    try {
      const pages: Page[] = [];
      for (let i = 0; i < 10; i++) {
        const page = await context.newPage();
        await page.goto(`${s.base}#token=${TOKEN}`);
        await expect.poll(() => page.getByText('Nothing downloading yet').isVisible(), { timeout: 10_000 }).toBe(true);
        pages.push(page);
      }
      const first = pages[0]!;
      await first.getByRole('textbox', { name: /Paste one or more links/u }).fill(files.url('/slow/shared.bin'));
      await first.keyboard.press('Enter');
      // Every tab sees it arrive and move, the last one opened included.
      for (const page of pages) {
        await expect.poll(async () => Number(await row(page, 'shared.bin').getByRole('progressbar').getAttribute('aria-valuenow')), { timeout: 10_000 }).toBeGreaterThan(0);
      }
      // The tenth tab can still send requests: it pauses the download for all.
      const last = pages.at(-1)!;
      await row(last, 'shared.bin').click({ button: 'right' });
      await last.getByRole('menuitem', { name: 'Pause' }).click();
      for (const page of pages) await expect.poll(() => row(page, 'shared.bin').getByText('Paused').isVisible(), { timeout: 10_000 }).toBe(true);
      // A tab opened later starts from the shared stream's current list.
      const late = await context.newPage();
      await late.goto(`${s.base}#token=${TOKEN}`);
      await expect.poll(() => row(late, 'shared.bin').getByText('Paused').isVisible(), { timeout: 10_000 }).toBe(true);
    } finally {
      await context.close();
      await stop(s);
    }
  });

  it('adds a link dropped on the window at once, with the folder set in the options', async () => {
    const downloads = tempDir();
    const s = await serve({ HAUL_DATA_DIR: tempDir(), HAUL_DOWNLOAD_DIR: downloads, HAUL_TOKEN: TOKEN });
    try {
      const { page, errors } = await openUi(s.base);
      await page.getByText('Options').click();
      await page.getByRole('textbox', { name: 'Folder' }).fill(path.join(downloads, 'dropped'));
      // What a browser hands over when a link is dragged in from another page.
      // (Page source text: this file is typechecked for Node, not the DOM.)
      await page.evaluate(`(() => {
        const data = new DataTransfer();
        data.setData('text/uri-list', ${JSON.stringify(`# a comment\n${files.url('/fast/a.txt')}`)});
        document.querySelector('.app').dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
      })()`);
      await expect.poll(() => row(page, 'a.txt').getByText('Completed').isVisible(), { timeout: 10_000 }).toBe(true);
      expect(fs.readFileSync(path.join(downloads, 'dropped', 'a.txt'), 'utf8')).toBe('alpha');
      expect(await page.getByRole('textbox', { name: /Paste one or more links/u }).inputValue()).toBe('');
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      await stop(s);
    }
  });

  it('pauses and resumes a download from the keyboard', async () => {
    files.route('/slow/pausable.bin', serveBytes(testBytes(2 * 1024 * 1024, 72), { rate: 512 * 1024, etag: '"p"' }));
    const s = await serve({ HAUL_DATA_DIR: tempDir(), HAUL_DOWNLOAD_DIR: tempDir(), HAUL_TOKEN: TOKEN });
    try {
      const { page } = await openUi(s.base);
      await page.getByRole('textbox', { name: /Paste one or more links/u }).fill(files.url('/slow/pausable.bin'));
      await page.keyboard.press('Enter');
      const r = row(page, 'pausable.bin');
      await expect.poll(async () => Number(await r.getByRole('progressbar').getAttribute('aria-valuenow')), { timeout: 10_000 }).toBeGreaterThan(5);
      // Space pauses and resumes the selected download, as in desktop download managers.
      await r.click();
      await page.keyboard.press('Space');
      await expect.poll(() => r.getByText('Paused').isVisible()).toBe(true);
      files.route('/slow/pausable.bin', serveBytes(testBytes(2 * 1024 * 1024, 72), { etag: '"p"' }));
      await page.keyboard.press('Space');
      await expect.poll(() => r.getByText('Completed').isVisible(), { timeout: 10_000 }).toBe(true);
      expect(files.requestsTo('/slow/pausable.bin').at(-1)?.headers.range).toMatch(/^bytes=[1-9]/u);
      await page.close();
    } finally {
      await stop(s);
    }
  });

  it('speaks Chinese for a zh-CN browser and looks right in dark mode', async () => {
    const dataDir = tempDir();
    const s = await serve({ HAUL_DATA_DIR: dataDir, HAUL_DOWNLOAD_DIR: tempDir(), HAUL_TOKEN: TOKEN });
    try {
      files.route('/slow/dataset.tar.gz', serveBytes(testBytes(4 * 1024 * 1024, 73), { rate: 512 * 1024 }));
      const zh = await openUi(s.base, { locale: 'zh-CN' });
      await zh.page.getByRole('textbox', { name: /粘贴/u }).fill([files.url('/slow/dataset.tar.gz'), files.url('/fast/a.txt'), 'http://127.0.0.1:9/missing.pdf'].join('\n'));
      await zh.page.keyboard.press('Enter');
      await expect.poll(() => row(zh.page, 'a.txt').getByText('已完成').isVisible(), { timeout: 10_000 }).toBe(true);
      await expect.poll(() => zh.page.getByRole('button', { name: '全部暂停' }).isVisible()).toBe(true);
      expect(await zh.page.evaluate('document.documentElement.lang')).toBe('zh-CN');
      // The refused connection's retry reason is Haul's own sentence in Chinese, the host kept.
      const waiting = row(zh.page, 'missing.pdf').locator('.badge');
      await expect.poll(() => waiting.getAttribute('title'), { timeout: 10_000 }).toMatch(/^与 127\.0\.0\.1:9 的连接失败/u);
      expect(await waiting.textContent()).toMatch(/后重试（第 \d+\/\d+ 次）/u);
      await zh.page.waitForTimeout(1500);
      await zh.page.screenshot({ path: path.join(SHOTS, 'zh-CN.png') });
      expect(zh.errors).toEqual([]);
      await zh.page.close();
      const dark = await openUi(s.base, { colorScheme: 'dark' });
      await expect.poll(() => row(dark.page, 'a.txt').getByText('Completed').isVisible()).toBe(true);
      const background = await dark.page.evaluate('getComputedStyle(document.documentElement).backgroundColor');
      expect(background).toBe('rgb(15, 18, 24)');
      await dark.page.waitForTimeout(500);
      await dark.page.screenshot({ path: path.join(SHOTS, 'dark.png') });
      // The theme switch: light on a dark system, kept across a reload; back to the system's.
      const bg = () => dark.page.evaluate('getComputedStyle(document.documentElement).backgroundColor');
      const theme = dark.page.getByRole('combobox', { name: 'Theme' });
      await theme.selectOption('light');
      await expect.poll(bg).toBe('rgb(246, 247, 249)');
      await dark.page.reload();
      await expect.poll(() => row(dark.page, 'a.txt').isVisible()).toBe(true);
      await expect.poll(bg).toBe('rgb(246, 247, 249)');
      expect(await dark.page.getByRole('combobox', { name: 'Theme' }).inputValue()).toBe('light');
      await dark.page.getByRole('combobox', { name: 'Theme' }).selectOption('system');
      await expect.poll(bg).toBe('rgb(15, 18, 24)');
      // On a light system, dark when asked.
      await dark.page.emulateMedia({ colorScheme: 'light' });
      await expect.poll(bg).toBe('rgb(246, 247, 249)');
      await dark.page.getByRole('combobox', { name: 'Theme' }).selectOption('dark');
      await expect.poll(bg).toBe('rgb(15, 18, 24)');
      await dark.page.close();
    } finally {
      await stop(s);
    }
  });

  it('shows "reconnecting" while the server is down, and is right again after it restarts, without a reload', async () => {
    const env = { HAUL_DATA_DIR: tempDir(), HAUL_DOWNLOAD_DIR: tempDir(), HAUL_TOKEN: TOKEN };
    const first = await serve(env);
    const port = new URL(first.base).port;
    const { page, errors } = await openUi(first.base);
    try {
      await page.getByRole('textbox', { name: /Paste one or more links/u }).fill(files.url('/fast/a.txt'));
      await page.keyboard.press('Enter');
      await expect.poll(() => row(page, 'a.txt').getByText('Completed').isVisible(), { timeout: 10_000 }).toBe(true);
      await stop(first);
      await expect.poll(() => page.getByText(/Reconnecting/u).isVisible(), { timeout: 10_000 }).toBe(true);
      // The restarted server gains a download the page never saw an event for.
      files.route('/fast/later.txt', firstThen(serveBytes(Buffer.from('later')), serveBytes(Buffer.from('later'))));
      const second = await serve(env, ['--port', port]);
      try {
        await fetch(new URL('/api/downloads', second.base), {
          method: 'POST',
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
          body: JSON.stringify({ url: files.url('/fast/later.txt') }),
        });
        await expect.poll(() => row(page, 'later.txt').isVisible(), { timeout: 15_000 }).toBe(true);
        await expect.poll(() => page.getByText(/Reconnecting/u).isVisible()).toBe(false);
        expect(await row(page, 'a.txt').getByText('Completed').isVisible()).toBe(true);
      } finally {
        await stop(second);
      }
      // Only the browser's own reports of the dropped connection may appear.
      expect(errors.filter((e) => !/ERR_CONNECTION_REFUSED|net::ERR/u.test(e))).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
