import { CHECKSUM_HEX_DIGITS, type Checksum, type ChecksumAlgorithm, type DigestHeader } from '../../../shared/api.ts';
import { headerValue } from './headers.ts';
import type { ResponseHeaders } from './send-get.ts';

/** A digest of the whole file a response announced, to check the finished file against. */
export type ServerDigest = Required<Pick<Checksum, 'algorithm' | 'expected' | 'from'>>;

/** Strongest first: when a server sends several, the strongest is checked. */
const STRENGTH: readonly ChecksumAlgorithm[] = ['sha512', 'sha256', 'sha1', 'md5'];

/** RFC 9530's and RFC 3230's names for the algorithms Haul can check. */
const NAMES: Readonly<Record<string, ChecksumAlgorithm>> = { 'sha-512': 'sha512', 'sha-256': 'sha256', sha: 'sha1', 'sha-1': 'sha1', md5: 'md5' };

/**
 * The digest of the whole representation a response announces: `Repr-Digest` (RFC 9530, a
 * dictionary of byte sequences), else `Digest` (RFC 3230, base64 values), else `Content-MD5`
 * (RFC 1864) on a 200 only (on a 206 it covers just that part). The strongest algorithm Haul
 * can check wins; a value that is not a digest of its algorithm's length is ignored, as an
 * unknown algorithm is: a server's header never fails a download by being unreadable.
 */
export function digestOf(headers: ResponseHeaders, status: number): ServerDigest | undefined {
  const repr = headerValue(headers, 'repr-digest');
  const fromRepr = repr === undefined ? undefined : strongest(entries(repr, /^\s*([A-Za-z0-9-]+)\s*=\s*:([A-Za-z0-9+/=]*):\s*$/u), 'Repr-Digest');
  if (fromRepr !== undefined) return fromRepr;
  const digest = headerValue(headers, 'digest');
  const fromDigest = digest === undefined ? undefined : strongest(entries(digest, /^\s*([A-Za-z0-9-]+)\s*=\s*([A-Za-z0-9+/=]+)\s*$/u), 'Digest');
  if (fromDigest !== undefined) return fromDigest;
  const md5 = headerValue(headers, 'content-md5');
  if (md5 === undefined || status !== 200) return undefined;
  return strongest([['md5', md5.trim()]], 'Content-MD5');
}

function entries(value: string, pattern: RegExp): Array<[string, string]> {
  return value.split(',').flatMap((item) => {
    const m = pattern.exec(item);
    return m?.[1] === undefined || m[2] === undefined ? [] : [[m[1].toLowerCase(), m[2]] as [string, string]];
  });
}

function strongest(found: ReadonlyArray<[string, string]>, from: DigestHeader): ServerDigest | undefined {
  const usable = found.flatMap(([name, base64]) => {
    const algorithm = NAMES[name];
    const hex = Buffer.from(base64, 'base64').toString('hex');
    return algorithm !== undefined && hex.length === CHECKSUM_HEX_DIGITS[algorithm] ? [{ algorithm, expected: hex, from }] : [];
  });
  return usable.sort((a, b) => STRENGTH.indexOf(a.algorithm) - STRENGTH.indexOf(b.algorithm))[0];
}
