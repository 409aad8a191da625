import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM } from '../helpers/browser.ts';
import { makeCa, type TestCa } from '../helpers/make-ca.ts';
import { waitForPort } from '../helpers/proxies.ts';
import { serveBytes, startTestServer, testBytes, type TestServer } from '../helpers/test-server.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { runHaulWithInput } from '../helpers/run-cli.ts';
import { row, serve, stop } from '../helpers/ui-harness.ts';

const TOKEN = 'e2e-proxy-token-91c3';
const NGINX = '/usr/sbin/nginx';
const CADDY = '/usr/bin/caddy';
let ca: TestCa;
let caDir: string;
let browser: Browser;
let files: TestServer;

/** The certificate's public key hash, which Chromium is told to accept (it does not read NODE_EXTRA_CA_CERTS). */
function spki(certFile: string): string {
  const pub = execFileSync('openssl', ['x509', '-in', certFile, '-pubkey', '-noout']);
  const der = execFileSync('openssl', ['pkey', '-pubin', '-outform', 'der'], { input: pub });
  return execFileSync('openssl', ['dgst', '-sha256', '-binary'], { input: der }).toString('base64');
}

/** nginx on 443 with TLS, proxying https://nas.example/haul/ to Haul with its default proxy settings. */
async function startNginx(upstreamPort: number): Promise<ChildProcess> {
  const dir = tempDir('haul-nginx-');
  fs.mkdirSync(path.join(dir, 'logs'));
  fs.writeFileSync(
    path.join(dir, 'nginx.conf'),
    `daemon off; worker_processes 1; pid ${dir}/nginx.pid; error_log ${dir}/logs/error.log warn;
events { worker_connections 256; }
http { access_log off;
  client_body_temp_path ${dir}/tmp; proxy_temp_path ${dir}/tmp; fastcgi_temp_path ${dir}/tmp; uwsgi_temp_path ${dir}/tmp; scgi_temp_path ${dir}/tmp;
  server { listen 127.0.0.1:443 ssl; server_name nas.example; ssl_certificate ${ca.certFile}; ssl_certificate_key ${ca.keyFile};
    location /haul/ { proxy_pass http://127.0.0.1:${upstreamPort}/; } } }
`,
  );
  const child = spawn(NGINX, ['-c', path.join(dir, 'nginx.conf'), '-p', dir], { stdio: 'ignore' });
  await waitForPort(443);
  return child;
}

/** Caddy on 443 with the same certificate: `handle_path` strips /haul, `reverse_proxy` streams as it is. */
async function startCaddy(upstreamPort: number): Promise<ChildProcess> {
  const dir = tempDir('haul-caddy-');
  fs.writeFileSync(
    path.join(dir, 'Caddyfile'),
    `{
  admin off
  auto_https disable_redirects
  skip_install_trust
}
https://nas.example:443 {
  bind 127.0.0.1
  tls ${ca.certFile} ${ca.keyFile}
  handle_path /haul/* {
    reverse_proxy 127.0.0.1:${upstreamPort}
  }
}
`,
  );
  const child = spawn(CADDY, ['run', '--config', path.join(dir, 'Caddyfile'), '--adapter', 'caddyfile'], {
    stdio: 'ignore',
    env: { ...process.env, HOME: dir, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir },
  });
  await waitForPort(443);
  return child;
}

beforeAll(async () => {
  if (!fs.existsSync(NGINX)) throw new Error('nginx is needed for the reverse-proxy tests: apt-get install nginx-light.');
  // Kept for the whole file (temporary folders from tempDir go after each test).
  caDir = fs.mkdtempSync(path.join(os.tmpdir(), 'haul-ca-'));
  ca = makeCa(caDir, ['nas.example']);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--host-resolver-rules=MAP nas.example 127.0.0.1', `--ignore-certificate-errors-spki-list=${spki(ca.certFile)}`],
  });
  files = await startTestServer({ '/slow/video.mp4': serveBytes(testBytes(2 * 1024 * 1024, 55), { rate: 1024 * 1024 }) });
});
afterAll(async () => {
  await browser?.close();
  await files?.close();
  fs.rmSync(caDir, { recursive: true, force: true });
});

/** Opens Haul at its public address, adds a paced download and watches it move and finish. */
async function addThroughProxy(page: Page): Promise<void> {
  await page.goto(`https://nas.example/haul/#token=${TOKEN}`);
  await expect.poll(() => page.getByText('Nothing downloading yet').isVisible(), { timeout: 10_000 }).toBe(true);
  await page.getByRole('textbox', { name: /Paste one or more links/u }).fill(files.url('/slow/video.mp4'));
  await page.keyboard.press('Enter');
  const bar = row(page, 'video.mp4').getByRole('progressbar');
  // Progress arrives live through the proxy: the event stream is not buffered.
  await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow')), { timeout: 10_000 }).toBeGreaterThan(0);
  await expect.poll(() => row(page, 'video.mp4').getByText('Completed').isVisible(), { timeout: 15_000 }).toBe(true);
}

describe('Haul behind a reverse proxy', () => {
  it('works behind nginx with TLS on 443 under /haul with default proxy settings, and reconnects when Haul comes back', async () => {
    const env = { HAUL_DATA_DIR: tempDir(), HAUL_DOWNLOAD_DIR: tempDir(), HAUL_TOKEN: TOKEN };
    const first = await serve(env, ['--port', '0', '--public-url', 'https://nas.example/haul']);
    const port = new URL(first.base).port;
    const nginx = await startNginx(Number(port));
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await addThroughProxy(page);
      // Haul goes away: nginx answers 502 in its place; the page waits, then is right again.
      await stop(first);
      await expect.poll(() => page.getByText(/Reconnecting/u).isVisible(), { timeout: 10_000 }).toBe(true);
      const second = await serve(env, ['--port', port, '--public-url', 'https://nas.example/haul']);
      try {
        await expect.poll(() => page.getByText(/Reconnecting/u).isVisible(), { timeout: 15_000 }).toBe(false);
        expect(await page.getByText(/no longer authorised/u).count()).toBe(0);
        expect(await row(page, 'video.mp4').getByText('Completed').isVisible()).toBe(true);
      } finally {
        await stop(second);
      }
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      nginx.kill('SIGTERM');
      await new Promise((resolve) => nginx.once('exit', resolve));
    }
  });

  it('asks for a sign-in once the first user exists: the login page, the cookie, signing out, behind the same proxy', async () => {
    const env = { HAUL_DATA_DIR: tempDir(), HAUL_DOWNLOAD_DIR: tempDir(), HAUL_TOKEN: TOKEN };
    const added = await runHaulWithInput(['user', 'add', 'ann', '--role', 'admin'], env, 'correct horse battery\n');
    expect(added).toMatchObject({ code: 0, stdout: 'Added ann (admin). Accounts are on: signing in is now required.\n' });
    const short = await runHaulWithInput(['user', 'add', 'bob'], env, 'short\n');
    expect(short).toMatchObject({ code: 2, stderr: 'haul user: The password must have at least 8 characters.\nRun "haul help user" for usage.\n' });
    expect((await runHaulWithInput(['user', 'list'], env, '')).stdout).toMatch(/^ann\tadmin\t\d{4}-/u);
    const s = await serve(env, ['--port', '0', '--public-url', 'https://nas.example/haul']);
    const nginx = await startNginx(Number(new URL(s.base).port));
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto('https://nas.example/haul/');
      await page.getByRole('textbox', { name: 'Name' }).fill('ann');
      await page.getByLabel('Password').fill('not the password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect.poll(() => page.getByRole('alert').textContent()).toBe('The name or the password is wrong.');
      await page.getByLabel('Password').fill('correct horse battery');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect.poll(() => page.getByText('Nothing downloading yet').isVisible(), { timeout: 10_000 }).toBe(true);
      const [cookie] = await context.cookies();
      expect(cookie).toMatchObject({ name: 'haul_session', path: '/haul/', httpOnly: true, secure: true, sameSite: 'Strict' });
      await page.getByRole('textbox', { name: /Paste one or more links/u }).fill(files.url('/slow/video.mp4'));
      await page.keyboard.press('Enter');
      await expect.poll(() => row(page, 'video.mp4').getByText('Completed').isVisible(), { timeout: 15_000 }).toBe(true);
      // An admin adds a user in Settings, and makes themselves an API token there.
      await page.getByRole('button', { name: 'Settings' }).click();
      const users = page.getByRole('region', { name: 'Users' });
      await users.getByRole('textbox', { name: 'Name' }).fill('bob');
      await users.getByLabel('Password').fill('bobs long password');
      await users.getByRole('button', { name: 'Add user' }).click();
      await expect.poll(() => users.getByRole('button', { name: 'Remove bob' }).isVisible()).toBe(true);
      expect((await runHaulWithInput(['user', 'list'], env, '')).stdout).toMatch(/^ann\tadmin\t.*\nbob\tuser\t/u);
      await page.getByRole('button', { name: 'Create an API token' }).click();
      const token = await page.getByRole('textbox', { name: 'API token' }).inputValue();
      expect(token).toMatch(/^hu_[\w-]{43}$/u);
      expect((await fetch(new URL('/api/downloads', s.base), { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
      await page.keyboard.press('Escape');
      await page.getByRole('button', { name: 'Sign out' }).click();
      await expect.poll(() => page.getByRole('button', { name: 'Sign in' }).isVisible(), { timeout: 10_000 }).toBe(true);
    } finally {
      await context.close();
      nginx.kill('SIGTERM');
      await new Promise((resolve) => nginx.once('exit', resolve));
      await stop(s);
    }
  }, 60_000);

  it('works behind Caddy with TLS on 443 under /haul: the page, an added download, live progress', async () => {
    if (!fs.existsSync(CADDY)) throw new Error('Caddy is needed for this test: apt-get install caddy.');
    const s = await serve({ HAUL_DATA_DIR: tempDir(), HAUL_DOWNLOAD_DIR: tempDir(), HAUL_TOKEN: TOKEN }, ['--port', '0', '--public-url', 'https://nas.example/haul']);
    const caddy = await startCaddy(Number(new URL(s.base).port));
    try {
      const page = await browser.newPage();
      await addThroughProxy(page);
      await page.close();
    } finally {
      caddy.kill('SIGTERM');
      await new Promise((resolve) => caddy.once('exit', resolve));
      await stop(s);
    }
  });

  it('serves HTTPS itself with --tls-cert and --tls-key, and takes its own https origin', async () => {
    const s = await serve({ HAUL_DATA_DIR: tempDir(), HAUL_DOWNLOAD_DIR: tempDir(), HAUL_TOKEN: TOKEN }, ['--port', '0', '--tls-cert', ca.certFile, '--tls-key', ca.keyFile]);
    try {
      expect(s.base).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/u);
      const origin = s.base.slice(0, -1);
      const status = await new Promise<number>((resolve, reject) => {
        const req = https.request(
          new URL('/api/downloads', s.base),
          { method: 'POST', ca: ca.caCert, headers: { authorization: `Bearer ${TOKEN}`, origin, 'content-type': 'application/json' } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.once('error', reject);
        req.end(JSON.stringify({ url: 'http://127.0.0.1:9/x', paused: true }));
      });
      expect(status).toBe(201);
    } finally {
      await stop(s);
    }
  });
});
