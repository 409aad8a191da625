/**
 * Encodes one server-sent event. Data is JSON (which never contains a raw newline), so each
 * event is exactly `id:`, `event:` and one `data:` line, ending with a blank line; ids are
 * decimal integers, so no CR, LF or NUL can ever appear in them.
 */
export function encodeEvent(id: number, name: string, data: unknown): string {
  return `id: ${id}\nevent: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** An event outside the replayable history (no `id:`, so a client's Last-Event-ID stays as it was). */
export function encodeNotice(name: string, data: unknown): string {
  return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}

export function encodeRetry(ms: number): string {
  return `retry: ${ms}\n\n`;
}

export const PING = ': ping\n\n';

/** Parses a Last-Event-ID header or query value; undefined unless it is a plain decimal id. */
export function parseLastEventId(value: string | string[] | null | undefined): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || text === null || !/^\d{1,15}$/u.test(text.trim())) return undefined;
  return Number(text.trim());
}
