import fs from 'node:fs';

/** Resolves once `check()` holds, polling every 10 ms; rejects after `timeoutMs` naming `what`. */
export async function waitUntil(check: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`${what} not met in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Resolves once `file` exists with at least `minBytes`. */
export function waitForFile(file: string, minBytes: number, timeoutMs = 15_000): Promise<void> {
  return waitUntil(() => fs.existsSync(file) && fs.statSync(file).size >= minBytes, timeoutMs, `${file} reaching ${minBytes} bytes`);
}

/** Polls an asynchronous `check` every 50 ms until it holds; rejects after `timeoutMs` naming `what`. */
export async function eventually(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const started = Date.now();
  while (!(await check().catch(() => false))) {
    if (Date.now() - started > timeoutMs) throw new Error(`${what} not met in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
