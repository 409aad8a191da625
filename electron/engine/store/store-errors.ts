import { HaulError } from '../errors.ts';

/**
 * What a write the data folder refused means for the user: the folder named, and what to do.
 * A full disk is said plainly, since that is what people can fix.
 */
export function storeWriteError(folder: string, cause: unknown): HaulError {
  if (cause instanceof HaulError) return cause;
  const detail = cause instanceof Error ? cause.message : String(cause);
  const full = /\bfull\b|ENOSPC|quota/iu.test(detail) || (cause as { code?: unknown } | null)?.code === 'ENOSPC';
  const message = full
    ? `Haul's data folder (${folder}) is full, so Haul cannot record downloads there. Free some space on that disk, then resume.`
    : `Haul could not write to its data folder (${folder}): ${detail}. Check that the folder is writable, then resume.`;
  return new HaulError('FILE_ERROR', message, { cause, params: { path: folder } });
}
