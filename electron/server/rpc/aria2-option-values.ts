import { SETTINGS_LIMITS } from '../../../shared/api.ts';
import { RpcError } from './rpc-error.ts';

// The values of aria2's options as Haul reads them, each refused by name when it does not read.

/**
 * Options that would make Haul run a program, read or write a file it did not choose, or
 * change how it is reached: refused by name whatever their value.
 */
const DANGEROUS =
  /^(on-|rpc-|input-file$|save-session|log$|log-level$|conf-path$|load-cookies$|save-cookies$|dht-file-path|netrc-path$|ca-certificate$|certificate$|private-key$|server-stat-|torrent-file$|metalink-file$|stop-with-process$|daemon$|index-out$|enable-rpc$|gid$)/u;

/**
 * Options clients send out of habit whose work Haul does its own way (retries, connection
 * growth, allocation, resuming): taken and left without effect, so a form that sends them works.
 */
const NO_EFFECT = new Set([
  'continue',
  'always-resume',
  'auto-file-renaming',
  'min-split-size',
  'max-tries',
  'retry-wait',
  'connect-timeout',
  'timeout',
  'lowest-speed-limit',
  'file-allocation',
  'remote-time',
  'conditional-get',
  'max-resume-failure-tries',
  'http-accept-gzip',
  'uri-selector',
  'stream-piece-selector',
  'piece-length',
  'no-file-allocation-limit',
  'enable-http-keep-alive',
  'enable-http-pipelining',
  'reuse-uri',
  'use-head',
  'http-no-cache',
  'max-file-not-found',
  'realtime-chunk-checksum',
  'max-upload-limit',
  'max-overall-upload-limit',
]);

export function refuseOrIgnore(name: string, taken: readonly string[]): void {
  if (NO_EFFECT.has(name)) return;
  if (DANGEROUS.test(name)) throw optionError(name, 'over RPC Haul runs no program and reads or writes no file it did not choose');
  throw optionError(name, `Haul does not take it here; it takes ${taken.join(', ')}`);
}

export function optionError(name: string, why: string): RpcError {
  return new RpcError(1, `The option "${name.slice(0, 100)}" is refused: ${why}.`);
}

export function text(name: string, raw: unknown): string {
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
  throw optionError(name, 'its value must be a string');
}

export function headerLines(raw: unknown): string[] {
  if (typeof raw === 'string') return [raw];
  if (Array.isArray(raw) && raw.every((line) => typeof line === 'string')) return raw;
  throw optionError('header', 'its value must be a string or a list of strings');
}

export function flag(name: string, value: string): boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw optionError(name, `"${value.slice(0, 50)}" is not true or false`);
}

export function integer(name: string, value: string, range: { min: number; max: number }): number {
  const n = /^\d{1,9}$/u.test(value) ? Number(value) : Number.NaN;
  if (!(n >= range.min && n <= range.max)) throw optionError(name, `"${value.slice(0, 50)}" is not a whole number from ${range.min} to ${range.max}`);
  return n;
}

export function connections(name: string, value: string): number {
  return integer(name, value, SETTINGS_LIMITS.connectionsPerDownload);
}

/** A speed as aria2 writes one: bytes per second, or with K or M (1024s); 0 = no limit. */
export function speed(name: string, value: string): number {
  const match = /^(\d{1,15})([KkMm]?)$/u.exec(value);
  if (match === null) throw optionError(name, `"${value.slice(0, 50)}" is not a speed such as 500K or 2M`);
  const unit = match[2]?.toLowerCase() === 'm' ? 1024 * 1024 : match[2]?.toLowerCase() === 'k' ? 1024 : 1;
  return Number(match[1]) * unit;
}

/** aria2's `sha-256=hex` as Haul's `sha256=hex` (the algorithms both know). */
export function checksum(value: string): string {
  const match = /^(sha-512|sha-256|sha-1|md5)=([0-9a-fA-F]+)$/u.exec(value);
  if (match === null) throw optionError('checksum', 'it must be sha-256=<hex>, sha-512=<hex>, sha-1=<hex> or md5=<hex>');
  return `${(match[1] ?? '').replace('-', '')}=${match[2] ?? ''}`;
}
