import { rawGet } from '../../electron/engine/http/raw/raw-get.ts';
import type { RawPool } from '../../electron/engine/http/raw/raw-pool.ts';

/** One GET through the raw client, collecting the status, head and whole body (as latin1 text). */
export async function rawFetch(url: URL, opts: { pool?: RawPool } = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  const parts: Buffer[] = [];
  let status = 0;
  let headers: Record<string, unknown> = {};
  await rawGet(
    { url, headers: {} },
    (head) => {
      status = head.status;
      headers = head.headers;
      // Chunks are only valid during the call: copy them.
      return {
        write: (chunk) => {
          parts.push(Buffer.from(chunk));
          return true;
        },
      };
    },
    opts,
  );
  return { status, headers, body: Buffer.concat(parts).toString('latin1') };
}
