import type { BodyParser, Parsed } from './route-bodies.ts';

/** A failure that names its field, thrown inside a parser and turned into its answer at the edge. */
export class Wrong extends Error {
  readonly field: string;
  readonly code: 'INVALID_FIELD' | 'INVALID_URL' | 'UNSUPPORTED_PROTOCOL';
  constructor(field: string, message: string, code: Wrong['code'] = 'INVALID_FIELD') {
    super(message);
    this.field = field;
    this.code = code;
  }
}

/** Runs a parser written with `Wrong` throws as a BodyParser. */
export function parser<T>(read: (raw: unknown) => T): BodyParser<T> {
  return (raw): Parsed<T> => {
    try {
      return { ok: true, value: read(raw) };
    } catch (error) {
      if (error instanceof Wrong) return { ok: false, field: error.field, message: error.message, code: error.code };
      throw error;
    }
  };
}

export function asObject(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Wrong(field, `"${field}" must be a JSON object.`);
  return value as Record<string, unknown>;
}

export function optionalString(obj: Record<string, unknown>, field: string): string | undefined {
  const value = obj[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new Wrong(field, `"${field}" must be a string.`);
  return value;
}

export function integerIn(value: unknown, field: string, range: { min: number; max: number }): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < range.min || value > range.max) throw new Wrong(field, `"${field}" must be a whole number from ${range.min} to ${range.max}.`);
  return value;
}

export function bool(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw new Wrong(field, `"${field}" must be true or false.`);
  return value;
}

/** A folder as given: a non-empty path without NUL (absolute, on this machine's terms, is the engine's to check). */
export function folder(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new Wrong(field, `"${field}" must be a folder path.`);
  if (value.includes('\0')) throw new Wrong(field, `"${field}" contains a NUL character.`);
  return value;
}

// Hop-by-hop and framing headers are ours to set; letting users set them would corrupt requests.
const RESERVED_HEADERS = new Set(['host', 'range', 'if-range', 'accept-encoding', 'content-length', 'transfer-encoding', 'connection', 'upgrade', 'te', 'trailer', 'keep-alive']);

export function headersOf(value: unknown): Record<string, string> {
  const obj = asObject(value, 'headers');
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(obj)) {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/u.test(name)) throw new Wrong('headers', `headers: "${name}" is not a valid header name.`);
    if (RESERVED_HEADERS.has(name.toLowerCase())) throw new Wrong('headers', `headers: "${name}" is set by Haul itself and cannot be overridden.`);
    if (typeof v !== 'string' || /[\r\n\0]/u.test(v)) throw new Wrong('headers', `headers: the value of "${name}" must be a single-line string.`);
    out[name] = v;
  }
  return out;
}
