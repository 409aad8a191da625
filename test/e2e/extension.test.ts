import bencode from 'bencode';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Download } from '../../shared/api.ts';
import { chromiumAvailable, CHROMIUM } from '../helpers/browser.ts';
import { REPO } from '../helpers/run-cli.ts';
import { serveBytes, sha256, startTestServer, testBytes, type TestServer } from '../helpers/test-server.ts';
import { makeHlsFixtures, probe, serveDir } from '../helpers/media-fixtures.ts';
import { lastingDir, tempDir } from '../helpers/temp-dir.ts';
import { serve, stop, type Serve } from '../helpers/ui-harness.ts';

const EXTENSION = path.join(REPO, 'dist', 'extension', 'chromium');
const TOKEN = 'e2e-extension-token-4b2a';
const secret = testBytes(3 * 1024 * 1024, 91);
let context: BrowserContext;
let worker: Worker;
let files: TestServer;

/** Behind a login: without the session cookie, the server answers with its login page, as real sites do. */
const behindLogin = (body: Buffer) => (req: Parameters<ReturnType<typeof serveBytes>>[0], res: Parameters<ReturnType<typeof serveBytes>>[1], hit: number) => {
  if (!/(^|;\s*)session=s3cret(;|$)/u.test(req.headers.cookie ?? '')) {
    res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body><form>Log in</form></body></html>');
    return;
  }
  serveBytes(body, { extraHeaders: { 'content-disposition': 'attachment; filename="report.bin"' } })(req, res, hit);
};

/** A small valid .torrent (one file of 20 KiB, no tracker): the browser downloads it, Haul reads it. */
function smallTorrent(): Buffer {
  return Buffer.from(bencode.encode({ info: { name: Buffer.from('tiny.bin'), length: 20_480, 'piece length': 16_384, pieces: Buffer.alloc(40, 1) } }));
}

beforeAll(async () => {
  if (!chromiumAvailable()) throw new Error(`Chromium is needed for the extension tests: apt-get install chromium (looked for ${CHROMIUM}).`);
  if (!fs.existsSync(path.join(EXTENSION, 'manifest.json'))) throw new Error('The extension is not built: run npm run build (npm test does it first).');
  files = await startTestServer({
    '/page.html': (_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><a id="get" href="/protected/report.bin">report</a>
        <a id="again" href="/protected/report.bin?copy=2">again</a>
        <a id="later" href="/protected/report.bin?copy=3">later</a>
        <form id="post" method="post" action="/post-download"><button>post</button></form>`),
    '/protected/report.bin': behindLogin(secret),
    '/links.html': (_req, res) =>
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(`<!doctype html><a href="/files/one.iso">one</a> <a href="/files/two.iso">two</a> <a href="/files/notes.txt">notes</a> <a href="/files/one.iso">one again</a>`),
    '/files/one.iso': serveBytes(testBytes(64 * 1024, 5)),
    '/files/two.iso': serveBytes(testBytes(64 * 1024, 6)),
    '/files/notes.txt': serveBytes(Buffer.from('notes')),
    '/slow/long.bin': serveBytes(testBytes(8 * 1024 * 1024, 7), { rate: 256 * 1024 }),
    '/player.html': (_req, res) =>
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(
          `<!doctype html><video></video><p id="loaded"></p><script>fetch('/ts/index.m3u8').then((r) => r.text()).then(() => { document.getElementById('loaded').textContent = 'loaded'; });</script>`,
        ),
    '/torrents.html': (_req, res) =>
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(`<!doctype html><a id="magnet" href="magnet:?xt=urn:btih:${'c'.repeat(40)}&amp;dn=from-page">magnet</a> <a id="file" href="/get/small.torrent">torrent</a>`),
    '/get/small.torrent': (req, res, hit) =>
      serveBytes(smallTorrent(), { extraHeaders: { 'content-type': 'application/x-bittorrent', 'content-disposition': 'attachment; filename="small.torrent"' } })(req, res, hit),
    '/post-download': (_req, res) => res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-disposition': 'attachment; filename="posted.bin"' }).end('from a form'),
  });
  // The browser's own downloads go to a folder of the test's (the profile's preference).
  const profile = tempDir('haul-chromium-profile-');
  fs.mkdirSync(path.join(profile, 'Default'));
  fs.writeFileSync(path.join(profile, 'Default', 'Preferences'), JSON.stringify({ download: { default_directory: tempDir('haul-browser-downloads-'), prompt_for_download: false } }));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: false,
    ignoreDefaultArgs: ['--disable-extensions'],
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', `--disable-extensions-except=${EXTENSION}`, `--load-extension=${EXTENSION}`],
  });
  worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  // Playwright takes downloads over (it names them itself, so no extension would see them):
  // hand them back to the browser's own handling, where extensions take part.
  const first = context.pages()[0] ?? (await context.newPage());
  const cdp = await context.newCDPSession(first);
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'default' });
  await context.addCookies([{ name: 'session', value: 's3cret', url: files.url('/') }]);
  // A stream the player page plays: ffmpeg's HLS output, served as it is.
  const streams = lastingDir('haul-ext-hls-');
  makeHlsFixtures(streams);
  for (const name of fs.readdirSync(path.join(streams, 'ts'))) files.route(`/ts/${name}`, serveDir(streams));
});
afterAll(async () => {
  await context?.close();
  await files?.close();
});

const extensionId = (): string => new URL(worker.url()).host;
const browserDownloads = () => worker.evaluate(`chrome.downloads.search({}).then((items) => items.map((d) => ({ url: d.url, state: d.state })))`) as Promise<Array<{ url: string; state: string }>>;
async function list(s: Serve): Promise<Download[]> {
  const res = await fetch(new URL('/api/downloads', s.base), { headers: { authorization: `Bearer ${TOKEN}` } });
  return ((await res.json()) as { downloads: Download[] }).downloads;
}
async function openPopup(): Promise<Page> {
  const popup = await context.newPage();
  await popup.goto(`chrome-extension://${extensionId()}/popup.html`);
  return popup;
}

/** Pairs the extension through the routes the popup uses, from the extension's own origin, and stores the pairing as the popup would. */
async function pairThroughRoutes(s: Serve): Promise<void> {
  const origin = `chrome-extension://${extensionId()}`;
  const post = (route: string, body: unknown) =>
    fetch(new URL(route, s.base), { method: 'POST', headers: { origin, 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json() as Promise<Record<string, string>>);
  const { pairingId } = await post('/api/ext/pair', { browser: 'Chromium (test)' });
  const pending = (await (await fetch(new URL('/api/extensions', s.base), { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { pending: Array<{ code: string }> };
  const { token, browserId } = await post('/api/ext/pair/complete', { pairingId, code: pending.pending[0]?.code });
  await worker.evaluate(
    `chrome.storage.local.set({ pairing: ${JSON.stringify({ base: s.base, token, browserId })}, settings: { enabled: true, minSize: 0, types: [], skipSites: [], base: ${JSON.stringify(s.base)} } })`,
  );
}

describe('the browser extension in Chromium against haul serve', () => {
  it('pairs by the code Haul shows, catches a download behind a login, and leaves what it cannot replay to the browser', async () => {
    const downloads = tempDir();
    const s = await serve({ HAUL_DATA_DIR: tempDir(), HAUL_DOWNLOAD_DIR: downloads, HAUL_TOKEN: TOKEN });
    try {
      await worker.evaluate(`chrome.storage.local.set({ settings: { enabled: true, minSize: 0, types: [], skipSites: [], base: ${JSON.stringify(s.base)} } })`);
      const haul = await context.newPage();
      await haul.goto(`${s.base}#token=${TOKEN}`);
      const popup = await openPopup();
      await popup.getByRole('button', { name: 'Pair with Haul' }).click();
      const code = haul.getByLabel('Pairing code');
      await expect.poll(() => code.isVisible(), { timeout: 10_000 }).toBe(true);
      const shown = (await code.textContent())?.replace(/\s/gu, '') ?? '';
      expect(shown).toMatch(/^\d{6}$/u);
      expect(await popup.content()).not.toContain(shown);
      await popup.getByLabel('Pairing code').fill(shown === '123456' ? '654321' : '123456');
      await popup.getByRole('button', { name: 'Pair' }).click();
      await expect.poll(() => popup.getByRole('alert').textContent()).toMatch(/not the code Haul shows.*2 tries left/u);
      await popup.getByLabel('Pairing code').fill(shown);
      await popup.getByRole('button', { name: 'Pair' }).click();
      await expect.poll(() => popup.locator('#summary').textContent(), { timeout: 10_000 }).toMatch(/^0 active/u);
      await expect.poll(() => code.count()).toBe(0);

      // A link to a file behind a login: Haul gets it, with the tab's cookie, and the browser keeps nothing.
      const page = await context.newPage();
      await page.goto(files.url('/page.html'));
      await page.click('#get');
      await expect.poll(async () => (await list(s)).find((d) => d.filename === 'report.bin')?.status, { timeout: 15_000 }).toBe('completed');
      expect(sha256(fs.readFileSync(path.join(downloads, 'report.bin')))).toBe(sha256(secret));
      expect(files.requestsTo('/protected/report.bin').some((r) => r.headers.cookie === 'session=s3cret' && /Chrome/u.test(r.headers['user-agent'] ?? ''))).toBe(true);
      await expect.poll(browserDownloads).toEqual([]);
      await expect.poll(() => popup.locator('#finished').textContent(), { timeout: 10_000 }).toContain('report.bin');

      // A form POST cannot be fetched again with a GET: the browser downloads it.
      await page.click('#post button');
      await expect.poll(async () => (await browserDownloads()).find((d) => d.url.endsWith('/post-download'))?.state, { timeout: 10_000 }).toBe('complete');
      expect((await list(s)).map((d) => d.filename)).toEqual(['report.bin']);

      // A web page cannot use the extension's routes, token or not.
      const answer = await page.evaluate(`fetch(${JSON.stringify(new URL('/api/ext/downloads', s.base).href)}, { method: 'POST', mode: 'no-cors', body: '{}' }).then(() => 'sent', () => 'refused')`);
      expect(['sent', 'refused']).toContain(answer);
      expect(await list(s)).toHaveLength(1);

      // Revoked in Haul's Settings: the next download stays in the browser, and the popup asks to pair.
      await haul.getByRole('button', { name: 'Settings' }).click();
      await haul.getByRole('button', { name: /^Revoke Chrome/u }).click();
      await expect.poll(() => haul.getByText('No browser is paired.').isVisible()).toBe(true);
      await page.click('#again');
      await expect.poll(async () => (await browserDownloads()).find((d) => d.url.includes('copy=2'))?.state, { timeout: 15_000 }).toBe('complete');
      expect(await list(s)).toHaveLength(1);
      const fresh = await openPopup();
      await expect.poll(() => fresh.getByRole('button', { name: 'Pair with Haul' }).isVisible(), { timeout: 10_000 }).toBe(true);
      for (const p of [popup, fresh, page, haul]) await p.close();
    } finally {
      await stop(s);
    }
  });

  it("sends a page's links of one type from the picker, and pauses everything from the popup", async () => {
    const s = await serve({ HAUL_DATA_DIR: tempDir(), HAUL_DOWNLOAD_DIR: tempDir(), HAUL_TOKEN: TOKEN });
    try {
      await pairThroughRoutes(s);
      const page = await context.newPage();
      await page.goto(files.url('/links.html'));
      const tabId = (await worker.evaluate(`chrome.tabs.query({ url: ${JSON.stringify(files.url('/links.html'))} }).then((tabs) => tabs[0].id)`)) as number;
      const picker = await context.newPage();
      await picker.goto(`chrome-extension://${extensionId()}/picker.html?tab=${tabId}`);
      await expect.poll(() => picker.getByRole('checkbox').count(), { timeout: 10_000 }).toBe(3);
      await picker.getByLabel('Only these types').fill('iso');
      await expect.poll(() => picker.getByRole('checkbox').count()).toBe(2);
      await picker.getByRole('button', { name: 'Select all shown' }).click();
      await picker.getByRole('button', { name: 'Send to Haul' }).click();
      await expect.poll(() => picker.getByRole('status').textContent()).toBe('Sent 2 to Haul.');
      await expect.poll(async () => (await list(s)).map((d) => d.filename).sort(), { timeout: 10_000 }).toEqual(['one.iso', 'two.iso']);
      expect((await list(s)).every((d) => d.url.startsWith(files.url('/files/')))).toBe(true);
      // A download running in Haul, paused from the popup.
      await fetch(new URL('/api/downloads', s.base), {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ url: files.url('/slow/long.bin') }),
      });
      const popup = await openPopup();
      await expect.poll(() => popup.locator('#summary').textContent(), { timeout: 10_000 }).toMatch(/^1 active/u);
      await popup.getByRole('button', { name: 'Pause all' }).click();
      await expect.poll(async () => (await list(s)).find((d) => d.filename === 'long.bin')?.status, { timeout: 10_000 }).toBe('paused');
      for (const p of [popup, picker, page]) await p.close();
    } finally {
      await stop(s);
    }
  });

  it('notices the HLS playlist a page plays and sends "Download video" to Haul, with the page as referrer, which saves its video', async () => {
    const s = await serve({ HAUL_DATA_DIR: tempDir(), HAUL_DOWNLOAD_DIR: tempDir(), HAUL_TOKEN: TOKEN });
    try {
      await pairThroughRoutes(s);
      // A page whose player fetches its playlist by script, as players do.
      const page = await context.newPage();
      await page.goto(files.url('/player.html'));
      const tabId = (await worker.evaluate(`chrome.tabs.query({ url: ${JSON.stringify(files.url('/player.html'))} }).then((tabs) => tabs[0].id)`)) as number;
      await expect.poll(() => page.locator('#loaded').textContent(), { timeout: 10_000 }).toBe('loaded');
      const popup = await context.newPage();
      await popup.goto(`chrome-extension://${extensionId()}/popup.html?tab=${tabId}`);
      await expect.poll(() => popup.locator('#videos').textContent(), { timeout: 10_000 }).toContain('HLS · index.m3u8');
      await popup.getByRole('button', { name: 'Download video' }).click();
      await expect.poll(() => popup.locator('#video-status').textContent(), { timeout: 10_000 }).toBe('Sent index.m3u8 to Haul.');
      await expect.poll(async () => (await list(s)).find((d) => d.media !== undefined)?.status, { timeout: 60_000 }).toBe('completed');
      const video = (await list(s)).find((d) => d.media !== undefined);
      expect(video).toMatchObject({ filename: 'index.mp4', media: { kind: 'hls', segments: 3 } });
      expect(
        probe(path.join(video?.dir ?? '', 'index.mp4'))
          .streams.map((st) => st.codec_type)
          .sort(),
      ).toEqual(['audio', 'video']);
      expect(files.requestsTo('/ts/index.m3u8').at(-1)?.headers.referer).toBe(files.url('/player.html'));
      for (const p of [popup, page]) await p.close();
    } finally {
      await stop(s);
    }
  }, 90_000);

  it('lets the browser download by itself while Haul is not running, and the popup says Haul is off', async () => {
    await worker.evaluate(
      `chrome.storage.local.set({ pairing: { base: 'http://127.0.0.1:9/', token: 'stale', browserId: 'x' }, settings: { enabled: true, minSize: 0, types: [], skipSites: [], base: 'http://127.0.0.1:9/' } })`,
    );
    const page = await context.newPage();
    await page.goto(files.url('/page.html'));
    await page.click('#later');
    await expect.poll(async () => (await browserDownloads()).find((d) => d.url.includes('copy=3'))?.state, { timeout: 20_000 }).toBe('complete');
    const popup = await openPopup();
    await expect.poll(() => popup.locator('#off').textContent(), { timeout: 10_000 }).toMatch(/^Haul is off, or not where this extension looks.*set Haul's address/u);
    expect(await popup.getByRole('button', { name: "Set Haul's address" }).isVisible()).toBe(true);
    await popup.close();
    await page.close();
    // The options page: Haul's look, and nothing to forget while nothing is paired.
    const options = await context.newPage();
    await options.goto(`chrome-extension://${extensionId()}/options.html`);
    await expect.poll(() => options.getByRole('button', { name: 'Forget the pairing' }).isDisabled()).toBe(false);
    await worker.evaluate(`chrome.storage.local.remove('pairing')`);
    await options.reload();
    await expect.poll(() => options.getByRole('button', { name: 'Forget the pairing' }).isDisabled()).toBe(true);
    expect(await options.evaluate('getComputedStyle(document.body).backgroundColor')).toBe('rgb(246, 247, 249)');
    expect(await options.evaluate("getComputedStyle(document.querySelector('#options button[type=submit]')).backgroundColor")).toBe('rgb(47, 111, 235)');
    await options.close();
  });
  it('sends a magnet link clicked in a page to Haul, and a small .torrent download too, whatever the size filter', async () => {
    const s = await serve({ HAUL_DATA_DIR: tempDir(), HAUL_DOWNLOAD_DIR: tempDir(), HAUL_TOKEN: TOKEN });
    try {
      await pairThroughRoutes(s);
      await worker.evaluate(`chrome.storage.local.get('settings').then(({ settings }) => chrome.storage.local.set({ settings: { ...settings, minSize: 1048576 } }))`);
      const page = await context.newPage();
      await page.goto(files.url('/torrents.html'));
      await page.click('#magnet');
      await expect.poll(async () => (await list(s)).map((d) => d.url), { timeout: 10_000 }).toEqual([`magnet:?xt=urn:btih:${'c'.repeat(40)}&dn=from-page`]);
      await page.click('#file');
      await expect.poll(async () => (await list(s)).find((d) => d.torrent?.name === 'tiny.bin')?.filename, { timeout: 10_000 }).toBe('tiny.bin');
      await expect.poll(async () => (await browserDownloads()).filter((d) => d.url.endsWith('small.torrent')), { timeout: 10_000 }).toEqual([]);
      await page.close();
    } finally {
      await stop(s);
    }
  });
});
