import fs from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { SECURITY_HEADERS } from './respond.ts';

/** Scripts and connections only to the server itself; nothing inline, no framing. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Haul</title><p>Haul is running, but its interface has not been built. Run <code>npm run build</code> and reload.</p>`;

/**
 * Serves the built renderer. Paths are resolved inside `root` only; unknown paths get the
 * app's index (client-side routes), and every page carries the CSP.
 */
export function serveStatic(root: string, pathname: string, res: ServerResponse, headOnly: boolean, launchCommand?: string): void {
  const headers = { ...SECURITY_HEADERS, 'content-security-policy': CONTENT_SECURITY_POLICY };
  const index = path.join(root, 'index.html');
  let relative: string;
  try {
    relative = decodeURIComponent(pathname);
  } catch {
    relative = '/';
  }
  const candidate = path.resolve(root, `.${path.posix.normalize(relative)}`);
  const inside = candidate === root || candidate.startsWith(`${root}${path.sep}`);
  let file = inside && fs.existsSync(candidate) && fs.statSync(candidate).isFile() ? candidate : index;
  if (!fs.existsSync(file)) {
    res.writeHead(200, { ...headers, 'content-type': TYPES['.html']!, 'cache-control': 'no-store' });
    res.end(headOnly ? undefined : NOT_BUILT);
    return;
  }
  if (file !== index && path.extname(file) === '') file = index;
  const immutable = file.includes(`${path.sep}assets${path.sep}`);
  const body = file === index && launchCommand !== undefined ? withLaunchCommand(fs.readFileSync(file), launchCommand) : fs.readFileSync(file);
  res.writeHead(200, {
    ...headers,
    'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
    'content-length': body.length,
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-store',
  });
  res.end(headOnly ? undefined : body);
}

/**
 * The page names the command that started Haul (so a page opened without its token can say
 * which command prints the link): the `haul-launch` meta tag, escaped for an attribute.
 */
function withLaunchCommand(html: Buffer, command: string): Buffer {
  const escaped = command.replace(/[&"<>]/gu, (c) => `&#${c.charCodeAt(0)};`);
  return Buffer.from(html.toString('utf8').replace('<meta name="haul-launch" content="haul serve"', `<meta name="haul-launch" content="${escaped}"`));
}
