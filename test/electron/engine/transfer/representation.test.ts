import { describe, expect, it } from 'vitest';
import type { ResponseHeaders } from '../../../../electron/engine/http/send-get.ts';
import { planResponse, type Asked, type Held } from '../../../../electron/engine/transfer/representation.ts';

const url = new URL('http://h.test/f');
const head = (status: number, headers: ResponseHeaders = {}) => ({ status, headers, url });
const at = (from: number, more: Partial<Asked> = {}): Asked => ({ from, ranged: from > 0, hasCompany: false, ...more });
const held = (total: number | null, validators: Omit<Held, 'total'> = {}): Held => ({ total, ...validators });

describe('planResponse (RFC 9110 resume rules)', () => {
  it('appends a 206 whose Content-Range starts where we asked, with the same validator', () => {
    const plan = planResponse(head(206, { 'content-range': 'bytes 100-999/1000', etag: '"a"' }), at(100), held(1000, { etag: '"a"' }), 0);
    expect(plan).toEqual({ kind: 'write', from: 100, end: 1000, total: 1000, fresh: false, resumable: true, rangesUnusable: false, validators: { etag: '"a"' } });
  });

  it('starts over when a 206 starts elsewhere, the size changed, or the range cannot be read', () => {
    expect(planResponse(head(206, { 'content-range': 'bytes 0-499/1000' }), at(100), held(1000), 0)).toMatchObject({ kind: 'start-over' });
    expect(planResponse(head(206, { 'content-range': 'bytes 100-1999/2000' }), at(100), held(1000), 0)).toMatchObject({ kind: 'start-over', reason: expect.stringContaining('2000') });
    expect(planResponse(head(206, { 'content-type': 'multipart/byteranges' }), at(100), held(1000), 0)).toMatchObject({ kind: 'start-over' });
  });

  it('takes a 206 of the whole file to a range request as the whole file, written afresh on one connection', () => {
    expect(planResponse(head(206, { 'content-range': 'bytes 0-999/1000' }), at(100), held(1000), 0)).toMatchObject({ kind: 'write', from: 0, fresh: true, total: 1000, rangesUnusable: true });
    expect(planResponse(head(206, { 'content-range': 'bytes 0-999/1000', etag: '"v2"' }), at(100), held(1000, { etag: '"v1"' }), 0)).toMatchObject({ kind: 'start-over' });
  });

  it('starts over when a 206 carries another ETag or Last-Modified (a server that ignored If-Range)', () => {
    const range = { 'content-range': 'bytes 100-999/1000' };
    expect(planResponse(head(206, { ...range, etag: '"v2"' }), at(100), held(1000, { etag: '"v1"' }), 0)).toMatchObject({ kind: 'start-over', reason: expect.stringContaining('ETag') });
    const lm = { lastModified: 'Wed, 21 Oct 2015 07:28:00 GMT' };
    expect(planResponse(head(206, { ...range, 'last-modified': 'Thu, 22 Oct 2015 07:28:00 GMT' }), at(100), held(1000, lm), 0)).toMatchObject({
      kind: 'start-over',
      reason: expect.stringContaining('Last-Modified'),
    });
    // Same ETag, even with a newer date: the strong validator decides.
    expect(planResponse(head(206, { ...range, etag: '"v1"', 'last-modified': 'Thu, 22 Oct 2015 07:28:00 GMT' }), at(100), held(1000, { etag: '"v1"', ...lm }), 0)).toMatchObject({ kind: 'write' });
  });

  it('treats a 200 to a range request as a fresh representation from zero, one connection from then on', () => {
    const plan = planResponse(head(200, { 'content-length': '500', 'accept-ranges': 'bytes', etag: 'W/"weak"' }), at(100), held(1000), 0);
    expect(plan).toMatchObject({ kind: 'write', from: 0, fresh: true, total: 500, resumable: false, rangesUnusable: true, validators: {} });
  });

  it('starts over with one connection when a range request on an extra connection gets the whole file', () => {
    const plan = planResponse(head(200, { 'content-length': '1000' }), at(500, { hasCompany: true }), held(1000), 0);
    expect(plan).toMatchObject({ kind: 'start-over', rangesUnusable: true });
  });

  it('refuses a Content-Length that is not a safe whole number, at once', () => {
    const plan = planResponse(head(200, { 'content-length': '99999999999999999999' }), at(0), held(null), 0);
    expect(plan.kind === 'error' && !plan.error.transient && plan.error.message).toContain('invalid Content-Length');
  });

  it('reads 416 with the whole size as "already complete", otherwise starts over', () => {
    expect(planResponse(head(416, { 'content-range': 'bytes */1000' }), at(1000), held(1000), 0)).toEqual({ kind: 'complete' });
    expect(planResponse(head(416, { 'content-range': 'bytes */800' }), at(1000), held(1000), 0)).toMatchObject({ kind: 'start-over' });
    expect(planResponse(head(416), at(1000), held(1000), 0)).toMatchObject({ kind: 'start-over' });
  });

  it('marks 408, 429 and 5xx transient with Retry-After, other 4xx permanent', () => {
    const busy = planResponse(head(429, { 'retry-after': '7' }), at(0), held(null), 0);
    expect(busy.kind === 'error' && busy.error.transient && busy.error.retryAfterMs).toBe(7000);
    for (const code of [408, 500, 502, 503, 504]) {
      const plan = planResponse(head(code), at(0), held(null), 0);
      expect(plan.kind === 'error' && plan.error.transient).toBe(true);
    }
    for (const code of [400, 401, 403, 404, 410]) {
      const plan = planResponse(head(code), at(0), held(null), 0);
      expect(plan.kind === 'error' && !plan.error.transient && plan.error.message.includes(String(code))).toBe(true);
    }
  });

  it('has unknown length without Content-Length and is then not resumable', () => {
    expect(planResponse(head(200, { 'accept-ranges': 'bytes' }), at(0), held(null), 0)).toMatchObject({ kind: 'write', total: null, end: null, resumable: false });
  });
});
