import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser.ts';
import { serveBytes, startTestServer, testBytes, type TestServer } from '../helpers/test-server.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { openUiIn, row, serve, stop, type Serve } from '../helpers/ui-harness.ts';

const TOKEN = 'e2e-a11y-token-5f2a';
const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
let browser: Browser;
let files: TestServer;
let haul: Serve;

beforeAll(async () => {
  browser = await launchBrowser();
  files = await startTestServer({
    '/done.txt': serveBytes(Buffer.from('done')),
    '/slow.iso': serveBytes(testBytes(32 * 1024 * 1024, 91), { rate: 256 * 1024, etag: '"s"' }),
  });
  haul = await serve({ HAUL_DATA_DIR: tempDir(), HAUL_DOWNLOAD_DIR: tempDir(), HAUL_TOKEN: TOKEN });
  const add = (body: unknown) =>
    fetch(new URL('/api/downloads', haul.base), { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  // One of each state the list shows: completed, running, paused, failed, queued.
  await add({ urls: [files.url('/done.txt'), files.url('/slow.iso')] });
  await add({ url: 'http://127.0.0.1:9/paused.bin', paused: true });
  await add({ url: files.url('/missing.pdf') });
});
afterAll(async () => {
  await browser?.close();
  await stop(haul);
  await files?.close();
});

interface Finding {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** axe-core's WCAG 2 A and AA rules on the page as it is now; the serious and critical findings. */
async function audit(page: Page): Promise<Finding[]> {
  // Evaluated through the DevTools protocol: the page's own CSP (script-src 'self') stays as it is.
  await page.evaluate(AXE_SOURCE);
  const result = (await page.evaluate(
    `axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ') + ' :: ' + n.failureSummary) })))`,
  )) as Finding[];
  return result.filter((f) => f.impact === 'serious' || f.impact === 'critical');
}

describe('every screen meets WCAG AA in both themes and both languages (axe-core, in Chromium)', () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    for (const locale of ['en-US', 'zh-CN']) {
      it(`${colorScheme}, ${locale}: the list, the detail panel and Settings`, async () => {
        const { page } = await openUiIn(browser, haul.base, TOKEN, { colorScheme, locale, viewport: { width: 1280, height: 800 } });
        await page.waitForSelector('[role="row"][aria-label="done.txt"]');
        await expect.poll(() => page.locator('[role="row"][aria-label="missing.pdf"]').getAttribute('class'), { timeout: 15_000 }).toMatch(/tone/u);
        const list = await audit(page);
        await row(page, 'slow.iso').click();
        await page.waitForSelector('aside.detail');
        const detail = await audit(page);
        await page.locator('.header-actions button.icon-button').click();
        await page.waitForSelector('[role="dialog"]');
        const settings = await audit(page);
        expect({ list, detail, settings }).toEqual({ list: [], detail: [], settings: [] });
        await page.close();
      });
    }
  }
});
