import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { launchBrowser } from '../test/helpers/browser.ts';

// Runs in the page (browser globals), so it is kept as source text for page.evaluate.
const PROBE = `(() => {
  window.__frames = [];
  window.__long = [];
  let last = performance.now();
  const tick = (now) => { window.__frames.push(now - last); last = now; requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__long.push(e.duration); }).observe({ type: 'longtask' });
})()`;
const READ_PROBE = `({ frames: window.__frames.slice(1), long: window.__long, rows: document.querySelectorAll('[role="row"][aria-label]').length })`;

export interface RenderBenchResult {
  downloads: number;
  seconds: number;
  frameMs: { p50: number; p95: number; max: number };
  longTasks: { count: number; totalMs: number };
  mainThreadBusyPercent: number;
  scriptPercent: number;
  rowsInDom: number;
}

/**
 * Issue 4's render check: the real UI in Chromium, fed 1,000 downloads that all update 10
 * times a second through the real server. Reports frame intervals, long tasks and how busy
 * the page's main thread is (Chromium's own TaskDuration and ScriptDuration).
 */
export async function runRenderBench(opts: { downloads: number; seconds: number }): Promise<RenderBenchResult> {
  const server = spawn(process.execPath, [path.join(import.meta.dirname, 'lib', 'sse-server.ts'), String(opts.downloads)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: server.stdout! });
  const { url } = JSON.parse(await new Promise<string>((resolve) => lines.once('line', resolve))) as { url: string };
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${url}#token=bench`);
    await page.getByText(`${new Intl.NumberFormat('en').format(opts.downloads)} active`).waitFor({ timeout: 20_000 });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const metric = async (): Promise<Record<string, number>> =>
      Object.fromEntries(((await cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> }).metrics.map((m) => [m.name, m.value]));
    await page.evaluate(PROBE);
    const before = await metric();
    await page.waitForTimeout(opts.seconds * 1000);
    const after = await metric();
    const { frames, long, rows } = (await page.evaluate(READ_PROBE)) as { frames: number[]; long: number[]; rows: number };
    const sorted = [...frames].sort((a, b) => a - b);
    const at = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
    const wall = (after['Timestamp'] ?? 0) - (before['Timestamp'] ?? 0);
    const busy = ((after['TaskDuration'] ?? 0) - (before['TaskDuration'] ?? 0)) / wall;
    const script = ((after['ScriptDuration'] ?? 0) - (before['ScriptDuration'] ?? 0)) / wall;
    return {
      downloads: opts.downloads,
      seconds: wall,
      frameMs: { p50: at(50), p95: at(95), max: sorted.at(-1) ?? NaN },
      longTasks: { count: long.length, totalMs: long.reduce((a, b) => a + b, 0) },
      mainThreadBusyPercent: busy * 100,
      scriptPercent: script * 100,
      rowsInDom: rows,
    };
  } finally {
    await browser.close();
    server.stdin!.write('exit\n');
    await new Promise((resolve) => server.once('exit', resolve));
  }
}

export function formatRenderResult(r: RenderBenchResult): string {
  const f = (n: number, d = 1) => n.toFixed(d);
  return [
    '| measure | value |',
    '| --- | ---: |',
    `| frame interval p50 / p95 / max | ${f(r.frameMs.p50)} / ${f(r.frameMs.p95)} / ${f(r.frameMs.max)} ms |`,
    `| long tasks (> 50 ms) | ${r.longTasks.count} (${f(r.longTasks.totalMs, 0)} ms in ${f(r.seconds, 0)} s) |`,
    `| page main thread busy | ${f(r.mainThreadBusyPercent)}% (script ${f(r.scriptPercent)}%) |`,
    `| rows in the DOM (virtualised) | ${r.rowsInDom} of ${r.downloads} |`,
  ].join('\n');
}
