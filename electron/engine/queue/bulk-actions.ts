import type { Download } from '../../../shared/api.ts';
import type { Engine } from '../engine.ts';

/** Which downloads an action may touch (a user's own, with accounts on); all by default. */
export type Scope = (d: Download) => boolean;
const all: Scope = () => true;

/**
 * Actions over many downloads at once, built on the engine's own single-download actions so
 * each obeys the same rules. Each returns how many downloads it changed.
 */
export function pauseAll(engine: Engine, scope: Scope = all): number {
  return each(
    engine,
    scope,
    (d) => d.status === 'queued' || d.status === 'downloading',
    (d) => engine.pause(d.id),
  );
}

/** Resumes every paused download and retries every failed one. */
export function resumeAll(engine: Engine, scope: Scope = all): number {
  return each(
    engine,
    scope,
    (d) => d.status === 'paused' || d.status === 'failed',
    (d) => engine.resume(d.id),
  );
}

export function retryFailed(engine: Engine, scope: Scope = all): number {
  return each(
    engine,
    scope,
    (d) => d.status === 'failed',
    (d) => engine.resume(d.id),
  );
}

/** Removes completed downloads from the list; their files stay. */
export function clearCompleted(engine: Engine, scope: Scope = all): Promise<number> {
  return removeEach(engine, scope, (d) => d.status === 'completed');
}

/** Removes failed downloads from the list, with their partial files. */
export function removeFailed(engine: Engine, scope: Scope = all): Promise<number> {
  return removeEach(engine, scope, (d) => d.status === 'failed');
}

function each(engine: Engine, scope: Scope, match: (d: Download) => boolean, act: (d: Download) => unknown): number {
  const chosen = engine.list().filter((d) => scope(d) && match(d));
  for (const d of chosen) act(d);
  return chosen.length;
}

async function removeEach(engine: Engine, scope: Scope, match: (d: Download) => boolean): Promise<number> {
  const chosen = engine.list().filter((d) => scope(d) && match(d));
  for (const d of chosen) await engine.remove(d.id);
  return chosen.length;
}
