import { execFile } from 'node:child_process';
import path from 'node:path';
import { actionArgs, type ActionDef } from '../../shared/actions.ts';
import type { Settings } from '../../shared/api.ts';
import type { LogKind } from '../../shared/views.ts';
import { sleep, type Clock } from './clock.ts';
import type { ExtractOutcome } from './extract/extract-archive.ts';
import type { DownloadRecord } from './records/record.ts';

/** Runs a program with arguments (never a shell) within `timeoutMs`: its exit code and the start of its output. */
export type RunWithOutput = (program: string, args: readonly string[], timeoutMs: number) => Promise<{ code: number | null; output: string }>;

const OUTPUT_SHOWN = 500;

export const runWithOutput: RunWithOutput = (program, args, timeoutMs) =>
  new Promise((resolve) => {
    execFile(program, [...args], { timeout: timeoutMs, maxBuffer: 64 * 1024, windowsHide: true }, (error, stdout, stderr) => {
      const output = `${stdout}${stderr}`.trim().slice(0, OUTPUT_SHOWN);
      const code = error === null ? 0 : typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : null;
      resolve({ code, output: error !== null && code === null ? `${error.message.split('\n')[0]}${output === '' ? '' : `; ${output}`}` : output });
    });
  });

export interface ActionRunnerOptions {
  settings: () => Settings;
  clock: Clock;
  note: (id: string, kind: LogKind, detail: string) => void;
  run?: RunWithOutput;
  /** Whether a URL is Haul's own server (a webhook never calls Haul). */
  isHaul?: (url: URL) => boolean;
  fetch?: typeof fetch;
}

/** Tries a webhook gets before it is given up: the first and two more, 1 s then 4 s apart. */
const WEBHOOK_WAITS = [1_000, 4_000];

/**
 * What runs when a download finishes: its own actions, then its category's, each by the name
 * Settings define (a name that no longer exists is said and skipped). Each outcome goes to the
 * download's log; none fails the download or stops the others. The one owner of their promises.
 */
export class ActionRunner {
  readonly #opts: ActionRunnerOptions;
  readonly #running = new Set<Promise<void>>();

  constructor(opts: ActionRunnerOptions) {
    this.#opts = opts;
  }

  /** Starts download `rec`'s actions (it has just completed); returns at once. */
  completed(rec: Readonly<DownloadRecord>): void {
    const settings = this.#opts.settings();
    const category = rec.category === undefined ? undefined : settings.categories.find((c) => c.name === rec.category);
    const names = [...new Set([...(rec.actions ?? []), ...(category?.actions ?? [])])];
    if (names.length === 0) return;
    const work = this.#runAll(rec, names, settings.actions).catch((error: unknown) => this.#opts.note(rec.id, 'action', `the actions stopped: ${(error as Error).message}`));
    this.#running.add(work);
    void work.finally(() => this.#running.delete(work));
  }

  /** Waits for the actions under way (shutdown, tests). */
  async settled(): Promise<void> {
    await Promise.all([...this.#running]);
  }

  async #runAll(rec: Readonly<DownloadRecord>, names: readonly string[], defs: readonly ActionDef[]): Promise<void> {
    for (const name of names) {
      const def = defs.find((d) => d.name === name);
      if (def === undefined) this.#opts.note(rec.id, 'action', `${name}: no longer defined in Settings; skipped`);
      else if ('run' in def) await this.#run(rec, def);
      else if ('webhook' in def) await this.#webhook(rec, def);
      else this.#opts.note(rec.id, 'action', `${def.name}: ${extractSummary(await extract(path.join(rec.dir, rec.filename)))}`);
    }
  }

  async #run(rec: Readonly<DownloadRecord>, def: Extract<ActionDef, { run: string[] }>): Promise<void> {
    const file = path.join(rec.dir, rec.filename);
    const [program, ...args] = actionArgs(def.run, { path: file, name: rec.filename, dir: rec.dir, url: rec.url, id: rec.id });
    const { code, output } = await (this.#opts.run ?? runWithOutput)(program ?? '', args, (def.timeoutSeconds ?? 60) * 1000);
    this.#opts.note(rec.id, 'action', `${def.name}: ${code === null ? 'did not finish' : `exit ${code}`}${output === '' ? '' : `: ${output}`}`);
  }

  async #webhook(rec: Readonly<DownloadRecord>, def: Extract<ActionDef, { webhook: string }>): Promise<void> {
    const url = new URL(def.webhook);
    if (this.#opts.isHaul?.(url) === true) {
      this.#opts.note(rec.id, 'action', `${def.name}: refused, the webhook is Haul itself`);
      return;
    }
    const body = JSON.stringify({ id: rec.id, url: rec.url, dir: rec.dir, filename: rec.filename, path: path.join(rec.dir, rec.filename), size: rec.total, completedAt: rec.completedAt });
    let last = '';
    for (let attempt = 0; attempt <= WEBHOOK_WAITS.length; attempt++) {
      if (attempt > 0) await sleep(this.#opts.clock, WEBHOOK_WAITS[attempt - 1] ?? 0);
      try {
        const res = await (this.#opts.fetch ?? fetch)(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, redirect: 'manual', signal: AbortSignal.timeout(15_000) });
        await res.body?.cancel();
        if (res.ok) {
          this.#opts.note(rec.id, 'action', `${def.name}: webhook answered ${res.status}`);
          return;
        }
        last = `answered ${res.status}`;
        if (res.status < 500 && res.status !== 429) break;
      } catch (error) {
        last = (error as Error).message;
      }
    }
    this.#opts.note(rec.id, 'action', `${def.name}: webhook failed (${last})`);
  }
}

/** How an extraction went, for the download's log; refused entries named (the first ten). */
function extractSummary(outcome: ExtractOutcome): string {
  switch (outcome.kind) {
    case 'not-an-archive':
      return 'not a zip or tar archive; nothing extracted';
    case 'failed':
      return `not extracted: ${outcome.reason}; nothing of it was kept`;
    case 'extracted': {
      const refused = outcome.refused.slice(0, 10).map((r) => `${JSON.stringify(r.name)} ${r.reason}`);
      const more = outcome.refused.length > 10 ? `, and ${outcome.refused.length - 10} more` : '';
      return `extracted ${outcome.files} file${outcome.files === 1 ? '' : 's'} into ${JSON.stringify(path.basename(outcome.folder))}${refused.length === 0 ? '' : `; refused: ${refused.join(', ')}${more}`}`;
    }
  }
}

/** The archive readers (tar, yauzl, zlib) load only when an archive is extracted: not at every start of Haul. */
async function extract(file: string): Promise<ExtractOutcome> {
  const { extractArchive } = await import('./extract/extract-archive.ts');
  return extractArchive(file);
}
