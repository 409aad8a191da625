import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Download } from '../../shared/api.ts';
import { chromiumAvailable, CHROMIUM, launchBrowser } from '../helpers/browser.ts';
import { REPO } from '../helpers/run-cli.ts';
import { serveBytes, startTestServer, status, testBytes, type TestServer } from '../helpers/test-server.ts';
import { fakeXdgOpen } from '../helpers/fake-opener.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { openUiIn, row, serve, stop, type Serve } from '../helpers/ui-harness.ts';

const SHOTS = process.env['HAUL_SCREENSHOTS'] === '1' ? path.join(REPO, 'docs', 'screenshots') : tempDir('haul-shots-');
const TOKEN = 'e2e-list-token-7c1d';
let browser: Browser;
let files: TestServer;

beforeAll(async () => {
  if (!chromiumAvailable()) throw new Error(`Chromium is needed for the UI tests: apt-get install chromium (looked for ${CHROMIUM}).`);
  browser = await launchBrowser();
  files = await startTestServer({
    '/fast/a.txt': serveBytes(Buffer.from('alpha')),
    '/fast/setup.sh': serveBytes(Buffer.from('#!/bin/sh\necho hi\n')),
    // Large enough to still be running (its connections and limit only show then) however slow a loaded machine makes the test's steps.
    '/slow/big.iso': serveBytes(testBytes(64 * 1024 * 1024, 81), { rate: 512 * 1024, etag: '"big"' }),
  });
});
afterAll(async () => {
  await browser?.close();
  await files?.close();
});

async function api<T>(s: Serve, route: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const res = await fetch(new URL(route, s.base), {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${TOKEN}`, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  return (res.status === 204 ? undefined : await res.json()) as T;
}
const list = async (s: Serve): Promise<Download[]> => (await api<{ downloads: Download[] }>(s, '/api/downloads')).downloads;
const byName = async (s: Serve, name: string): Promise<Download | undefined> => (await list(s)).find((d) => d.filename === name);

async function withHaul(test: (s: Serve, downloads: string) => Promise<void>, env: Record<string, string> = {}): Promise<void> {
  const downloads = tempDir();
  const s = await serve({ HAUL_DATA_DIR: tempDir(), HAUL_DOWNLOAD_DIR: downloads, HAUL_TOKEN: TOKEN, ...env });
  try {
    await test(s, downloads);
  } finally {
    await stop(s);
  }
}

const selected = (page: Page) => page.locator('[role="row"][aria-selected="true"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label')));

describe('the list in Chromium', () => {
  it('shows 15 rows and more at 1280×800, sorts by its columns, and still fits a 420 px window', async () => {
    await withHaul(async (s) => {
      const names = Array.from({ length: 24 }, (_, i) => `file-${String(i + 1).padStart(2, '0')}.zip`);
      await api(s, '/api/downloads', { method: 'POST', body: { urls: names.map((n) => `http://127.0.0.1:9/${n}`), paused: true } });
      const { page, errors } = await openUiIn(browser, s.base, TOKEN, { viewport: { width: 1280, height: 800 } });
      await expect.poll(() => row(page, 'file-24.zip').isVisible(), { timeout: 10_000 }).toBe(true);
      const fullyShown = await page
        .locator('[role="row"][aria-label]')
        .evaluateAll((rows) => rows.filter((r) => r.getBoundingClientRect().bottom <= (globalThis as unknown as { innerHeight: number }).innerHeight && r.getBoundingClientRect().top >= 0).length);
      expect(fullyShown).toBeGreaterThanOrEqual(15);
      const firstRow = () => page.locator('[role="row"][aria-label]').first().getAttribute('aria-label');
      expect(await firstRow()).toBe('file-24.zip');
      await page.getByRole('columnheader', { name: 'Name' }).getByRole('button').click();
      await expect.poll(firstRow).toBe('file-01.zip');
      expect(await page.getByRole('columnheader', { name: /Name/u }).getAttribute('aria-sort')).toBe('ascending');
      await page.getByRole('columnheader', { name: /Name/u }).getByRole('button').click();
      await expect.poll(firstRow).toBe('file-24.zip');
      // The whole header cell sorts: a click at its right edge, off the label.
      const status = page.getByRole('columnheader', { name: /Status/u });
      const box = (await status.boundingBox())!;
      await page.mouse.click(box.x + box.width - 3, box.y + box.height / 2);
      await expect.poll(() => status.getAttribute('aria-sort')).toBe('ascending');
      // And the headers are in the keyboard order: Tab from one reaches the next, Enter sorts by it.
      await page.getByRole('columnheader', { name: /Name/u }).getByRole('button').focus();
      await page.keyboard.press('Tab');
      expect(await page.evaluate('document.activeElement?.closest(\'[role="columnheader"]\')?.textContent')).toMatch(/^Size/u);
      await page.keyboard.press('Enter');
      // Size sorts largest first.
      await expect.poll(() => page.getByRole('columnheader', { name: /Size/u }).getAttribute('aria-sort')).toBe('descending');
      await page.getByRole('columnheader', { name: /Name/u }).getByRole('button').click();
      await page.getByRole('columnheader', { name: /Name/u }).getByRole('button').click();
      await expect.poll(firstRow).toBe('file-24.zip');
      await page.screenshot({ path: path.join(SHOTS, 'list.png') });
      await page.setViewportSize({ width: 420, height: 800 });
      await expect.poll(() => page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(420);
      expect(await row(page, 'file-24.zip').getByText('Paused').isVisible()).toBe(true);
      await page.screenshot({ path: path.join(SHOTS, 'narrow.png') });
      expect(errors).toEqual([]);
      await page.close();
    });
  });

  it('selects with click, Shift and Ctrl, Ctrl+A and the arrows; Space resumes and Delete asks before removing', async () => {
    await withHaul(async (s) => {
      const names = ['one.txt', 'two.txt', 'three.txt', 'four.txt', 'five.txt'];
      for (const n of names) await api(s, '/api/downloads', { method: 'POST', body: { url: files.url(`/fast/a.txt?${n}`), filename: n, paused: true } });
      const { page, errors } = await openUiIn(browser, s.base, TOKEN);
      await expect.poll(() => row(page, 'one.txt').isVisible(), { timeout: 10_000 }).toBe(true);
      await row(page, 'five.txt').click();
      await row(page, 'three.txt').click({ modifiers: ['Shift'] });
      expect(await selected(page)).toEqual(['five.txt', 'four.txt', 'three.txt']);
      await row(page, 'one.txt').click({ modifiers: ['Control'] });
      expect(await selected(page)).toEqual(['five.txt', 'four.txt', 'three.txt', 'one.txt']);
      await page.keyboard.press('Control+a');
      expect(await selected(page)).toHaveLength(5);
      await page.keyboard.press('Escape');
      expect(await selected(page)).toEqual([]);
      await page.keyboard.press('Home');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Shift+ArrowDown');
      expect(await selected(page)).toEqual(['four.txt', 'three.txt']);
      await page.keyboard.press('Space');
      await expect
        .poll(
          async () =>
            (await list(s))
              .filter((d) => d.status === 'completed')
              .map((d) => d.filename)
              .sort(),
          { timeout: 10_000 },
        )
        .toEqual(['four.txt', 'three.txt']);
      await row(page, 'two.txt').click();
      await page.keyboard.press('Delete');
      const dialog = page.getByRole('alertdialog', { name: 'Remove “two.txt”?' });
      await expect.poll(() => dialog.isVisible()).toBe(true);
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      expect(await byName(s, 'two.txt')).toBeDefined();
      await page.keyboard.press('Delete');
      await page.getByRole('alertdialog').getByRole('button', { name: 'Remove' }).click();
      await expect.poll(async () => (await list(s)).length).toBe(4);
      expect(errors).toEqual([]);
      await page.close();
    });
  });

  it('has a context menu; "Remove with file" asks, then deletes the file; failed downloads are retried or removed in bulk', async () => {
    let up = false;
    files.route('/flaky/report.pdf', (req, res, hit) => (up ? serveBytes(Buffer.from('%PDF'))(req, res, hit) : status(404)(req, res, hit)));
    await withHaul(async (s, downloads) => {
      const context: BrowserContext = await browser.newContext({ viewport: { width: 1100, height: 700 } });
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(s.base).origin });
      const { page, errors } = await openUiIn(context, s.base, TOKEN);
      await api(s, '/api/downloads', { method: 'POST', body: { urls: [files.url('/fast/a.txt'), files.url('/flaky/report.pdf')] } });
      await expect.poll(() => row(page, 'a.txt').getByText('Completed').isVisible(), { timeout: 10_000 }).toBe(true);
      await expect.poll(() => row(page, 'report.pdf').getByText('Failed').isVisible(), { timeout: 10_000 }).toBe(true);
      await row(page, 'a.txt').click({ button: 'right' });
      const menu = page.getByRole('menu');
      expect(await menu.getByRole('menuitem').allTextContents()).toEqual(['Open', 'Show in folder', 'Save to this device', 'Copy URL', 'Copy path', 'Remove…', 'Remove with file…']);
      await menu.getByRole('menuitem', { name: 'Copy path' }).click();
      // The clipboard answers only a focused page: another page of this browser may have the focus.
      await page.bringToFront();
      expect(await page.evaluate('navigator.clipboard.readText()')).toBe(path.join(downloads, 'Documents', 'a.txt'));
      await row(page, 'a.txt').click({ button: 'right' });
      await page.getByRole('menuitem', { name: 'Remove with file…' }).click();
      const dialog = page.getByRole('alertdialog', { name: 'Remove “a.txt”?' });
      expect(await dialog.getByRole('checkbox', { name: 'Also delete the downloaded file' }).isChecked()).toBe(true);
      expect(fs.existsSync(path.join(downloads, 'Documents', 'a.txt'))).toBe(true);
      await dialog.getByRole('button', { name: 'Remove' }).click();
      await expect.poll(() => fs.existsSync(path.join(downloads, 'Documents', 'a.txt'))).toBe(false);
      up = true;
      await page.getByRole('button', { name: 'Retry failed' }).click();
      await expect.poll(() => row(page, 'report.pdf').getByText('Completed').isVisible(), { timeout: 10_000 }).toBe(true);
      up = false;
      await api(s, '/api/downloads', { method: 'POST', body: { url: files.url('/flaky/report.pdf?again') } });
      await expect.poll(async () => (await list(s)).filter((d) => d.status === 'failed').length, { timeout: 10_000 }).toBe(1);
      await page.getByRole('button', { name: 'Remove failed' }).click();
      await page.getByRole('alertdialog', { name: 'Remove 1 failed download?' }).getByRole('button', { name: 'Remove' }).click();
      await expect.poll(async () => (await list(s)).map((d) => d.status)).toEqual(['completed']);
      expect(errors).toEqual([]);
      await context.close();
    });
  });

  it('shows the detail panel: the range map, each connection, the log; connections and limit change there', async () => {
    await withHaul(async (s) => {
      const { page, errors } = await openUiIn(browser, s.base, TOKEN, { viewport: { width: 1280, height: 800 } });
      await api(s, '/api/downloads', { method: 'POST', body: { url: files.url('/slow/big.iso'), connections: 4 } });
      await expect.poll(() => row(page, 'big.iso').isVisible(), { timeout: 10_000 }).toBe(true);
      await row(page, 'big.iso').click();
      const panel = page.getByRole('complementary', { name: 'Details of big.iso' });
      const map = panel.getByRole('img', { name: /parts on disk/u });
      await expect.poll(() => map.getAttribute('aria-label'), { timeout: 10_000 }).toMatch(/^[1-9]\d* parts on disk, [2-4] connections fetching$/u);
      await expect.poll(() => panel.locator('.conn-table tbody tr').count()).toBeGreaterThanOrEqual(2);
      await expect.poll(() => panel.getByText(/^Peak [1-9]/u).isVisible(), { timeout: 10_000 }).toBe(true);
      for (const line of ['Added', 'Started', 'Server answered:']) expect(await panel.getByRole('list').getByText(line, { exact: true }).count()).toBeGreaterThan(0);
      expect(await panel.locator('dd', { hasText: '"big"' }).isVisible()).toBe(true);
      // Beside the panel at 1280 px, the list keeps its names readable and its Added column.
      const nameWidth = async () => (await page.getByRole('columnheader', { name: /Name/u }).boundingBox())?.width ?? 0;
      expect(await nameWidth()).toBeGreaterThanOrEqual(200);
      expect(await page.getByRole('columnheader', { name: /Added/u }).isVisible()).toBe(true);
      // The panel's width is the user's: dragged wider, then narrower with the keyboard.
      const edge = page.getByRole('separator', { name: 'Width of the details' });
      const before = (await panel.boundingBox())!.width;
      const grip = (await edge.boundingBox())!;
      await page.mouse.move(grip.x + grip.width / 2, grip.y + 100);
      await page.mouse.down();
      await page.mouse.move(grip.x - 120, grip.y + 100, { steps: 5 });
      await page.mouse.up();
      await expect.poll(async () => (await panel.boundingBox())!.width).toBeGreaterThan(before + 100);
      await edge.focus();
      await page.keyboard.press('End');
      await expect.poll(() => edge.getAttribute('aria-valuenow')).toBe('640');
      await page.keyboard.press('Home');
      await expect.poll(() => edge.getAttribute('aria-valuenow')).toBe('260');
      await page.keyboard.press('ArrowLeft');
      await expect.poll(() => edge.getAttribute('aria-valuenow')).toBe('280');
      expect(await nameWidth()).toBeGreaterThanOrEqual(200);
      await page.screenshot({ path: path.join(SHOTS, 'detail.png') });
      await panel.getByRole('combobox', { name: 'Connections' }).selectOption('2');
      await expect.poll(async () => (await byName(s, 'big.iso'))?.maxConnections).toBe(2);
      await panel.getByRole('button', { name: '512 KiB/s' }).click();
      await expect.poll(async () => (await byName(s, 'big.iso'))?.speedLimit).toBe(512 * 1024);
      await expect.poll(() => panel.getByText('Options changed:').count()).toBeGreaterThan(0);
      expect(errors).toEqual([]);
      await page.close();
    });
    // Many steps, each waiting for its condition: on a machine loaded to the full, they add up.
  }, 60_000);

  it('opens, reveals and saves a finished file in browser mode; a script is opened only after a warning', async () => {
    const { bin, calls: called } = fakeXdgOpen();
    await withHaul(
      async (s, downloads) => {
        const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 800 } });
        const { page, errors } = await openUiIn(context, s.base, TOKEN);
        await api(s, '/api/downloads', { method: 'POST', body: { urls: [files.url('/fast/a.txt'), files.url('/fast/setup.sh')] } });
        await expect.poll(() => row(page, 'setup.sh').getByText('Completed').isVisible(), { timeout: 10_000 }).toBe(true);
        await row(page, 'a.txt').click();
        const panel = page.getByRole('complementary', { name: 'Details of a.txt' });
        await panel.getByRole('button', { name: 'Open' }).click();
        await expect.poll(called).toEqual([path.join(downloads, 'Documents', 'a.txt')]);
        await panel.getByRole('button', { name: 'Show in folder' }).click();
        await expect.poll(called).toEqual([path.join(downloads, 'Documents', 'a.txt'), path.join(downloads, 'Documents')]);
        const saving = page.waitForEvent('download');
        await panel.getByRole('button', { name: 'Save to this device' }).click();
        const saved = await saving;
        expect(saved.suggestedFilename()).toBe('a.txt');
        expect(fs.readFileSync(await saved.path(), 'utf8')).toBe('alpha');
        await row(page, 'setup.sh').dblclick();
        const warning = page.getByRole('alertdialog', { name: 'Open “setup.sh”?' });
        await expect.poll(() => warning.isVisible()).toBe(true);
        expect(called()).toHaveLength(2);
        await warning.getByRole('button', { name: 'Open anyway' }).click();
        await expect.poll(called).toEqual([path.join(downloads, 'Documents', 'a.txt'), path.join(downloads, 'Documents'), path.join(downloads, 'setup.sh')]);
        expect(errors).toEqual([]);
        await context.close();
      },
      // A desktop session is there (the stand-in xdg-open shows nothing, but it is asked).
      { PATH: `${bin}:${process.env['PATH'] ?? ''}`, DISPLAY: ':99' },
    );
  });

  it('on a machine with no desktop, says so when asked to open a file and offers to save it to this device', async () => {
    const { bin, calls: called } = fakeXdgOpen();
    await withHaul(
      async (s) => {
        const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 800 } });
        const { page, errors } = await openUiIn(context, s.base, TOKEN);
        await api(s, '/api/downloads', { method: 'POST', body: { url: files.url('/fast/a.txt') } });
        await expect.poll(() => row(page, 'a.txt').getByText('Completed').isVisible(), { timeout: 10_000 }).toBe(true);
        await row(page, 'a.txt').dblclick();
        const offer = page.getByRole('alertdialog', { name: 'Save “a.txt” to this device?' });
        await expect.poll(() => offer.isVisible()).toBe(true);
        expect(await offer.textContent()).toContain('has no desktop');
        const saving = page.waitForEvent('download');
        await offer.getByRole('button', { name: 'Save to this device' }).click();
        const saved = await saving;
        expect(fs.readFileSync(await saved.path(), 'utf8')).toBe('alpha');
        // Nothing was started on the machine without a display; the one error is the server's 409, which the page answered.
        expect(called()).toEqual([]);
        expect(errors).toEqual(['Failed to load resource: the server responded with a status of 409 (Conflict)']);
        await context.close();
      },
      { PATH: `${bin}:${process.env['PATH'] ?? ''}`, DISPLAY: '', WAYLAND_DISPLAY: '' },
    );
  });

  it('asks about a link already downloaded: skip it, or download it again under a new name', async () => {
    await withHaul(async (s) => {
      const { page, errors } = await openUiIn(browser, s.base, TOKEN);
      const input = page.getByRole('textbox', { name: /Paste one or more links/u });
      await input.fill(files.url('/fast/a.txt'));
      await page.keyboard.press('Enter');
      await expect.poll(() => row(page, 'a.txt').getByText('Completed').isVisible(), { timeout: 10_000 }).toBe(true);
      await input.fill(files.url('/fast/a.txt'));
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog', { name: 'This link was downloaded before' });
      await expect.poll(() => dialog.isVisible()).toBe(true);
      await dialog.getByRole('button', { name: 'Continue' }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toMatch(/Skipped 1 link\./u);
      expect(await list(s)).toHaveLength(1);
      await input.fill(files.url('/fast/a.txt'));
      await page.keyboard.press('Enter');
      await dialog.getByRole('combobox').selectOption('again');
      await dialog.getByRole('button', { name: 'Continue' }).click();
      await expect.poll(() => row(page, 'a (1).txt').getByText('Completed').isVisible(), { timeout: 10_000 }).toBe(true);
      expect(errors).toEqual([]);
      await page.close();
    });
  });

  it('puts every dialog and menu above a long list: the mouse reaches each of their buttons over 30 rows', async () => {
    await withHaul(async (s) => {
      await api(s, '/api/downloads', { method: 'POST', body: { urls: Array.from({ length: 34 }, (_, i) => `http://127.0.0.1:9/row-${String(i).padStart(2, '0')}.bin`), paused: true } });
      await api(s, '/api/downloads', { method: 'POST', body: { url: files.url('/fast/a.txt') } });
      const { page, errors } = await openUiIn(browser, s.base, TOKEN, { viewport: { width: 1280, height: 800 } });
      await expect.poll(() => row(page, 'a.txt').getByText('Completed').isVisible(), { timeout: 10_000 }).toBe(true);
      // A click a row took instead would time out here (the row would be hit, not the button).
      const click = (locator: ReturnType<Page['locator']>) => locator.click({ timeout: 3_000 });
      const input = page.getByRole('textbox', { name: /Paste one or more links/u });
      const dialog = page.getByRole('dialog', { name: 'This link was downloaded before' });
      const again = async (): Promise<void> => {
        await input.fill(files.url('/fast/a.txt'));
        await page.keyboard.press('Enter');
        await expect.poll(() => dialog.isVisible()).toBe(true);
      };
      await again();
      await click(dialog.getByRole('group').getByRole('button', { name: 'Download again' }));
      expect(await dialog.getByRole('combobox').inputValue()).toBe('again');
      await click(dialog.getByRole('group').getByRole('button', { name: 'Skip' }));
      expect(await dialog.getByRole('combobox').inputValue()).toBe('skip');
      await click(dialog.getByRole('button', { name: 'Cancel' }));
      await expect.poll(() => dialog.isVisible()).toBe(false);
      await again();
      await click(dialog.getByRole('button', { name: 'Continue' }));
      await expect.poll(() => page.getByRole('status').textContent()).toMatch(/Skipped 1 link\./u);
      expect(await selected(page)).toEqual([]);
      // The remove question and the context menu, over the rows too.
      await row(page, 'row-20.bin').click({ button: 'right' });
      await click(page.getByRole('menuitem', { name: 'Remove…' }));
      const ask = page.getByRole('alertdialog', { name: 'Remove “row-20.bin”?' });
      await click(ask.getByRole('button', { name: 'Cancel' }));
      await row(page, 'row-20.bin').click({ button: 'right' });
      await click(page.getByRole('menuitem', { name: 'Remove…' }));
      await click(ask.getByRole('button', { name: 'Remove' }));
      await expect.poll(async () => (await list(s)).length).toBe(34);
      // Settings: its own buttons, over the list.
      await click(page.getByRole('button', { name: 'Settings' }));
      const settings = page.getByRole('dialog', { name: 'Settings' });
      await click(settings.getByRole('button', { name: 'Cancel' }));
      await expect.poll(() => settings.isVisible()).toBe(false);
      expect(errors).toEqual([]);
      await page.close();
    });
  });

  it('keeps focus in Settings, checks the folder, sets a limit by preset, and notifies when a download finishes', async () => {
    await withHaul(async (s, downloads) => {
      const context = await browser.newContext();
      await context.grantPermissions(['notifications'], { origin: new URL(s.base).origin });
      // The page's own notifications are counted on their way to the browser.
      await context.addInitScript(`(() => {
        const Real = window.Notification;
        window.shown = [];
        window.Notification = class extends Real { constructor(title, options) { super(title, options); window.shown.push(title + ': ' + (options && options.body)); } };
      })()`);
      const { page, errors } = await openUiIn(context, s.base, TOKEN);
      await page.getByRole('button', { name: 'Settings' }).click();
      const dialog = page.getByRole('dialog', { name: 'Settings' });
      await expect.poll(() => dialog.isVisible()).toBe(true);
      for (let i = 0; i < 25; i++) {
        await page.keyboard.press(i % 5 === 4 ? 'Shift+Tab' : 'Tab');
        expect(await page.evaluate(`document.querySelector('[role="dialog"]').contains(document.activeElement)`)).toBe(true);
      }
      const blocker = path.join(downloads, 'a-file');
      fs.writeFileSync(blocker, 'x');
      await dialog.getByRole('textbox', { name: 'Download folder' }).fill(path.join(blocker, 'inside'));
      await dialog.getByRole('button', { name: 'Save' }).click();
      await expect.poll(() => dialog.getByRole('alert').textContent()).toMatch(/a-file is a file, not a folder/u);
      // The refused save, as the browser reports it, is the one error allowed here.
      expect(errors.splice(0)).toEqual(['Failed to load resource: the server responded with a status of 400 (Bad Request)']);
      await dialog.getByRole('textbox', { name: 'Download folder' }).fill(path.join(downloads, 'new', 'place'));
      // The limit over all downloads (Torrents has presets of its own for uploads).
      await dialog.getByRole('button', { name: '1.0 MiB/s' }).first().click();
      await dialog.getByRole('checkbox', { name: 'Notify me when a download finishes' }).check();
      await dialog.getByRole('button', { name: 'Save' }).click();
      await expect.poll(() => dialog.isVisible()).toBe(false);
      await expect.poll(() => page.getByText('limited to 1.0 MiB/s').isVisible()).toBe(true);
      expect(fs.statSync(path.join(downloads, 'new', 'place')).isDirectory()).toBe(true);
      await api(s, '/api/downloads', { method: 'POST', body: { url: files.url('/fast/a.txt') } });
      await expect.poll(() => page.evaluate('window.shown'), { timeout: 10_000 }).toEqual(['Download finished: a.txt']);
      expect(errors).toEqual([]);
      await context.close();
    });
  });

  it('names the command that started Haul on a page opened without its token', async () => {
    for (const [env, command] of [
      [{}, 'haul serve'],
      [{ HAUL_LAUNCH_COMMAND: 'npm start' }, 'npm start'],
    ] as const) {
      await withHaul(async (s) => {
        const page = await browser.newPage();
        await page.goto(s.base);
        await expect.poll(() => page.getByRole('alert').textContent()).toBe(`No access token. Open Haul from the link printed by "${command}" (it ends in #token=…).`);
        await page.close();
      }, env);
    }
  });
});
