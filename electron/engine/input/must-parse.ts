import type { Parsed } from '../../../shared/route-bodies.ts';
import { InputError } from '../errors.ts';

/** A parsed body's value, or the InputError its failure names (a field, and the code a bad link has). */
export function mustParse<T>(parsed: Parsed<T>): T {
  if (!parsed.ok) throw new InputError(parsed.code ?? 'INVALID_FIELD', parsed.message, parsed.field);
  return parsed.value;
}
