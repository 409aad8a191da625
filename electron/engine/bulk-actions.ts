import type { Download } from '../../shared/api.ts';
import type { Engine } from './engine.ts';

/**
 * Actions over many downloads at once, built on the engine's own single-download actions so
 * each obeys the same rules. Each returns how many downloads it changed.
 */
export function pauseAll(engine: Engine): number {
  return each(
    engine,
    (d) => d.status === 'queued' || d.status === 'downloading',
    (d) => engine.pause(d.id),
  );
}

/** Resumes every paused download and retries every failed one. */
export function resumeAll(engine: Engine): number {
  return each(
    engine,
    (d) => d.status === 'paused' || d.status === 'failed',
    (d) => engine.resume(d.id),
  );
}

export function retryFailed(engine: Engine): number {
  return each(
    engine,
    (d) => d.status === 'failed',
    (d) => engine.resume(d.id),
  );
}

/** Removes completed downloads from the list; their files stay. */
export function clearCompleted(engine: Engine): Promise<number> {
  return removeEach(engine, (d) => d.status === 'completed');
}

/** Removes failed downloads from the list, with their partial files. */
export function removeFailed(engine: Engine): Promise<number> {
  return removeEach(engine, (d) => d.status === 'failed');
}

function each(engine: Engine, match: (d: Download) => boolean, act: (d: Download) => unknown): number {
  const chosen = engine.list().filter(match);
  for (const d of chosen) act(d);
  return chosen.length;
}

async function removeEach(engine: Engine, match: (d: Download) => boolean): Promise<number> {
  const chosen = engine.list().filter(match);
  for (const d of chosen) await engine.remove(d.id);
  return chosen.length;
}
