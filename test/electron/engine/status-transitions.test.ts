import { describe, expect, it } from 'vitest';
import { DOWNLOAD_STATUSES, type DownloadStatus } from '../../../shared/api.ts';
import { nextStatus, type IntentKind, type StatusIntent } from '../../../electron/engine/records/status-transitions.ts';

const INTENTS: StatusIntent[] = [
  { kind: 'started' },
  { kind: 'paused' },
  { kind: 'resumed' },
  { kind: 'retried' },
  { kind: 'requeued' },
  { kind: 'completed' },
  { kind: 'failed', error: { code: 'NETWORK_ERROR', message: 'reset' } },
];

/** Every legal move, written out as a person would check it: from, intent → to. */
const LEGAL: Array<[DownloadStatus, IntentKind, DownloadStatus]> = [
  ['queued', 'started', 'downloading'],
  ['queued', 'paused', 'paused'],
  ['queued', 'completed', 'completed'],
  ['downloading', 'started', 'downloading'],
  ['downloading', 'paused', 'paused'],
  ['downloading', 'requeued', 'queued'],
  ['downloading', 'completed', 'completed'],
  ['downloading', 'failed', 'failed'],
  ['paused', 'resumed', 'queued'],
  ['paused', 'completed', 'completed'],
  ['failed', 'retried', 'queued'],
];

describe('the status transition table', () => {
  it('allows exactly the listed moves, from every status and for every intent', () => {
    const found: Array<[DownloadStatus, IntentKind, DownloadStatus]> = [];
    for (const from of DOWNLOAD_STATUSES) {
      for (const intent of INTENTS) {
        const to = nextStatus(from, intent);
        if (to !== undefined) found.push([from, intent.kind, to]);
      }
    }
    expect(found).toEqual(LEGAL);
  });

  it('never leaves completed, and never turns a pause into a failure', () => {
    for (const intent of INTENTS) expect(nextStatus('completed', intent)).toBeUndefined();
    expect(nextStatus('paused', { kind: 'failed', error: { code: 'NETWORK_ERROR', message: 'reset' } })).toBeUndefined();
    expect(nextStatus('paused', { kind: 'started' })).toBeUndefined();
  });
});
