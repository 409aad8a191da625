import type { IncomingMessage } from 'node:http';
import { HaulError, InputError } from '../engine/errors.ts';

/** Request bodies larger than this are refused with 413. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Reads a JSON request body. Only `application/json` is accepted, so no cross-site form or
 * "simple" request can carry one; size is capped before and while reading.
 */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new HaulError('UNSUPPORTED_MEDIA_TYPE', `Request bodies must be JSON (Content-Type: application/json), not "${type || 'none'}".`);
  }
  const text = await readBodyText(req, MAX_BODY_BYTES, tooLarge);
  if (text.trim() === '') throw new InputError('INVALID_JSON', 'The request body is empty; send a JSON object.', 'body');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InputError('INVALID_JSON', `The request body is not valid JSON: ${(error as Error).message}.`, 'body', { cause: error });
  }
}

function tooLarge(): HaulError {
  return new HaulError('PAYLOAD_TOO_LARGE', `The request body is over ${MAX_BODY_BYTES / 1024 / 1024} MiB; send fewer URLs at once.`);
}

/** Reads a request body as UTF-8 text, refusing (with `tooLarge()`) one over `max` bytes, declared or sent. */
export async function readBodyText(req: IncomingMessage, max: number, tooLarge: () => Error): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > max) throw tooLarge();
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= max) {
        chunks.push(chunk);
        return;
      }
      // Stop keeping bytes but let the rest drain; the answer closes the connection.
      req.off('data', onData);
      req.resume();
      chunks.length = 0;
      reject(tooLarge());
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    // The client went away mid-upload: its mistake, not Haul's, and nobody is left to answer.
    req.once('error', (cause) => reject(new HaulError('BAD_REQUEST', 'The request body was cut off before it ended.', { cause })));
  });
}
