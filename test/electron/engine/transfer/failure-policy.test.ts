import { describe, expect, it } from 'vitest';
import { FileError, HaulError, TransferError } from '../../../../electron/engine/errors.ts';
import { DEFAULT_RETRY } from '../../../../electron/engine/policy/retry.ts';
import { classifyNetworkError } from '../../../../electron/engine/http/classify.ts';
import { decideFailure, decideStartOver, MAX_START_OVERS } from '../../../../electron/engine/transfer/failure-policy.ts';

const opts = { ...DEFAULT_RETRY, retries: 3, baseDelayMs: 1000, maxDelayMs: 8000 };
const half = () => 0.5;
const transient = (status?: number, retryAfterMs?: number) =>
  new TransferError(status === undefined ? 'NETWORK_ERROR' : 'HTTP_ERROR', status === undefined ? 'The connection to h failed (reset).' : `h answered HTTP ${status}.`, {
    hint: status === undefined ? 'Haul retries automatically.' : 'Haul retries automatically; if it keeps failing, try again later.',
    transient: true,
    ...(status === undefined ? {} : { status }),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });

describe('decideFailure', () => {
  it('retries a transient failure with backoff, honouring Retry-After', () => {
    expect(decideFailure(transient(503), { failures: 1, hasCompany: false }, opts, half)).toEqual({ kind: 'retry', delayMs: 750 });
    expect(decideFailure(transient(503), { failures: 3, hasCompany: false }, opts, half)).toEqual({ kind: 'retry', delayMs: 3000 });
    expect(decideFailure(transient(429, 5000), { failures: 1, hasCompany: false }, opts, half)).toEqual({ kind: 'retry', delayMs: 5000 });
  });

  it('gives up after `retries` tries in a row that got nowhere, saying so and no longer promising a retry', () => {
    const decision = decideFailure(transient(), { failures: 4, hasCompany: false }, opts, half);
    expect(decision.kind).toBe('fail');
    const error = decision.kind === 'fail' ? decision.error : undefined;
    expect(error).toBeInstanceOf(TransferError);
    expect((error as TransferError).transient).toBe(false);
    expect(error?.code).toBe('NETWORK_ERROR');
    expect(error?.message).toMatch(/retried 3 times without getting further/u);
    expect(error?.message).not.toMatch(/retries automatically/u);
    expect(error?.message.startsWith('The connection to h failed (reset). Haul retried')).toBe(true);
  });

  it('fails permanent errors at once, whatever the count', () => {
    const notFound = new TransferError('HTTP_ERROR', 'h answered HTTP 404. The file is not there: check the URL.', { transient: false, status: 404 });
    expect(decideFailure(notFound, { failures: 1, hasCompany: false }, opts, half)).toEqual({ kind: 'fail', error: notFound });
    const tls = new TransferError('TLS_ERROR', 'not trusted', { transient: false });
    expect(decideFailure(tls, { failures: 1, hasCompany: true }, opts, half)).toEqual({ kind: 'fail', error: tls });
    const disk = new FileError('DISK_FULL', 'full');
    expect(decideFailure(disk, { failures: 1, hasCompany: true }, opts, half)).toEqual({ kind: 'fail', error: disk });
    const internal = new HaulError('INTERNAL', 'bug');
    expect(decideFailure(internal, { failures: 1, hasCompany: false }, opts, half).kind).toBe('fail');
  });

  it('steps an extra connection down on a refusal or a reset, but never the only one', () => {
    for (const status of [403, 429, 503]) {
      const refusal = new TransferError('HTTP_ERROR', `h answered HTTP ${status}.`, { transient: status !== 403, status });
      expect(decideFailure(refusal, { failures: 1, hasCompany: true }, opts, half)).toEqual({ kind: 'step-down' });
    }
    expect(decideFailure(transient(), { failures: 1, hasCompany: true }, opts, half)).toEqual({ kind: 'step-down' });
    expect(decideFailure(transient(), { failures: 1, hasCompany: false }, opts, half).kind).toBe('retry');
    expect(decideFailure(transient(500), { failures: 1, hasCompany: true }, opts, half).kind).toBe('retry');
  });
});

describe('decideStartOver', () => {
  it(`allows ${MAX_START_OVERS} start-overs in a run, then fails naming the host and why`, () => {
    for (let n = 0; n < MAX_START_OVERS; n++) expect(decideStartOver(n, 'h.test', 'sent another version of the file').kind).toBe('restart');
    const last = decideStartOver(MAX_START_OVERS, 'h.test', 'sent another version of the file');
    expect(last.kind).toBe('fail');
    expect(last.kind === 'fail' && last.error.message).toMatch(/^h\.test sent another version of the file 4 times in a row/u);
  });
});

describe('a name that does not resolve', () => {
  const resolverError = (code: string) => Object.assign(new Error(`getaddrinfo ${code} files.example`), { code, errno: -3008, syscall: 'getaddrinfo', hostname: 'files.example' });
  it('fails at once (ENOTFOUND is the resolver saying no such name), naming the name', () => {
    const error = classifyNetworkError(resolverError('ENOTFOUND'), new URL('https://files.example/a.iso'), false);
    expect(error.message).toMatch(/^The name files\.example does not resolve to any address \(ENOTFOUND\)\. Check the link for a typo/u);
    expect(decideFailure(error, { failures: 1, hasCompany: false }, opts, half).kind).toBe('fail');
  });

  it('is tried again when the resolver could not answer now (EAI_AGAIN)', () => {
    const error = classifyNetworkError(resolverError('EAI_AGAIN'), new URL('https://files.example/a.iso'), false);
    expect(decideFailure(error, { failures: 1, hasCompany: false }, opts, half).kind).toBe('retry');
  });
});
