import { GID_PATTERN } from './gids.ts';
import { RpcError, wrongType } from './rpc-error.ts';
import type { Aria2Options } from './aria2-options.ts';

/** A call's parameters after the token, read by position with aria2's messages for the wrong type. */
export class RpcArgs {
  readonly #args: readonly unknown[];

  constructor(args: readonly unknown[]) {
    this.#args = args;
  }

  has(i: number): boolean {
    return this.#args[i] !== undefined && this.#args[i] !== null;
  }

  gid(i: number): string {
    const value = this.#args[i];
    if (typeof value !== 'string') throw wrongType(i, 'a GID is a string');
    if (!GID_PATTERN.test(value.toLowerCase())) throw new RpcError(1, `Bad GID ${value.slice(0, 40)}: a GID is 16 hex digits.`);
    return value.toLowerCase();
  }

  integer(i: number): number {
    const value = this.#args[i];
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw wrongType(i, 'a whole number is expected');
    return value;
  }

  string(i: number): string {
    const value = this.#args[i];
    if (typeof value !== 'string') throw wrongType(i, 'a string is expected');
    return value;
  }

  strings(i: number): string[] {
    const value = this.#args[i];
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw wrongType(i, 'a list of strings is expected');
    return value;
  }

  /** An options object, or none when the parameter is left out. */
  options(i: number): Aria2Options {
    const value = this.#args[i];
    if (value === undefined || value === null) return {};
    if (typeof value !== 'object' || Array.isArray(value)) throw wrongType(i, 'an object of options is expected');
    return value as Aria2Options;
  }

  /** The keys to keep of each answer, or undefined (every key) when left out or empty. */
  keys(i: number): ReadonlySet<string> | undefined {
    if (!this.has(i)) return undefined;
    const keys = this.strings(i);
    return keys.length === 0 ? undefined : new Set(keys);
  }
}
