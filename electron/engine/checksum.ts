import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { CHECKSUM_ALGORITHMS, type Checksum, type ChecksumAlgorithm } from '../../shared/api.ts';
import { InputError } from './errors.ts';

const HEX_LENGTH: Record<ChecksumAlgorithm, number> = { sha256: 64, sha1: 40, md5: 32 };

/** Parses `"sha256=<hex>"` (also sha1, md5); throws an InputError naming `field`. */
export function parseChecksum(text: unknown, field = 'checksum'): Checksum {
  if (typeof text !== 'string') {
    throw new InputError('INVALID_FIELD', `"${field}" must be a string such as "sha256=<hex digest>".`, field);
  }
  const match = /^\s*([a-z0-9]+)\s*[=:]\s*([0-9a-f]+)\s*$/iu.exec(text);
  const algorithm = match?.[1]?.toLowerCase() as ChecksumAlgorithm | undefined;
  const expected = match?.[2]?.toLowerCase();
  if (algorithm === undefined || expected === undefined || !CHECKSUM_ALGORITHMS.includes(algorithm)) {
    throw new InputError('INVALID_FIELD', `"${field}" must look like "sha256=<hex digest>" (sha256, sha1 or md5).`, field);
  }
  if (expected.length !== HEX_LENGTH[algorithm]) {
    throw new InputError('INVALID_FIELD', `"${field}": a ${algorithm} digest has ${HEX_LENGTH[algorithm]} hex digits, not ${expected.length}.`, field);
  }
  return { algorithm, expected };
}

/** Hex digest of a file. */
export async function hashFile(filePath: string, algorithm: ChecksumAlgorithm): Promise<string> {
  const hash = createHash(algorithm);
  for await (const chunk of createReadStream(filePath, { highWaterMark: 1024 * 1024 })) {
    hash.update(chunk as Buffer);
  }
  return hash.digest('hex');
}
