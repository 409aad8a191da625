import { describe, expect, it } from 'vitest';
import type { ResponseHeaders } from '../../../../electron/engine/http/send-get.ts';
import { planResponse } from '../../../../electron/engine/transfer/representation.ts';

const url = new URL('http://h.test/f');
const head = (status: number, headers: ResponseHeaders = {}) => ({ status, headers, url });

describe('planResponse (RFC 9110 resume rules)', () => {
  it('appends a 206 whose Content-Range starts where we asked', () => {
    const plan = planResponse(head(206, { 'content-range': 'bytes 100-999/1000', etag: '"a"' }), 100, 1000, 0);
    expect(plan).toEqual({ kind: 'write', from: 100, end: 1000, total: 1000, fresh: false, resumable: true, validators: { etag: '"a"' } });
  });

  it('starts over when a 206 starts elsewhere or the size changed', () => {
    expect(planResponse(head(206, { 'content-range': 'bytes 0-999/1000' }), 100, 1000, 0)).toEqual({ kind: 'start-over' });
    expect(planResponse(head(206, { 'content-range': 'bytes 100-1999/2000' }), 100, 1000, 0)).toEqual({ kind: 'start-over' });
    expect(planResponse(head(206, { 'content-type': 'multipart/byteranges' }), 100, 1000, 0)).toEqual({ kind: 'start-over' });
  });

  it('treats a 200 to a range request as a fresh representation from zero', () => {
    const plan = planResponse(head(200, { 'content-length': '500', 'accept-ranges': 'bytes', etag: 'W/"weak"' }), 100, 1000, 0);
    expect(plan).toMatchObject({ kind: 'write', from: 0, fresh: true, total: 500, resumable: true, validators: {} });
  });

  it('reads 416 with the whole size as "already complete", otherwise starts over', () => {
    expect(planResponse(head(416, { 'content-range': 'bytes */1000' }), 1000, 1000, 0)).toEqual({ kind: 'complete' });
    expect(planResponse(head(416, { 'content-range': 'bytes */800' }), 1000, 1000, 0)).toEqual({ kind: 'start-over' });
    expect(planResponse(head(416), 1000, 1000, 0)).toEqual({ kind: 'start-over' });
  });

  it('marks 408, 429 and 5xx transient with Retry-After, other 4xx permanent', () => {
    const busy = planResponse(head(429, { 'retry-after': '7' }), 0, null, 0);
    expect(busy.kind === 'error' && busy.error.transient && busy.error.retryAfterMs).toBe(7000);
    for (const code of [408, 500, 502, 503, 504]) {
      const plan = planResponse(head(code), 0, null, 0);
      expect(plan.kind === 'error' && plan.error.transient).toBe(true);
    }
    for (const code of [400, 401, 403, 404, 410]) {
      const plan = planResponse(head(code), 0, null, 0);
      expect(plan.kind === 'error' && !plan.error.transient && plan.error.message.includes(String(code))).toBe(true);
    }
  });

  it('has unknown length without Content-Length and is then not resumable', () => {
    expect(planResponse(head(200, { 'accept-ranges': 'bytes' }), 0, null, 0)).toMatchObject({ kind: 'write', total: null, end: null, resumable: false });
  });
});
