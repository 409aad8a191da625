import { describe, expect, it } from 'vitest';
import { DOWNLOAD_STATUSES } from '../../../shared/api.ts';
import type { RecordStatus } from '../../../electron/engine/records/record.ts';

/** A record's states: every status but `scheduled`, which is only how a queued one is shown. */
const RECORD_STATUSES = DOWNLOAD_STATUSES.filter((s): s is RecordStatus => s !== 'scheduled');
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
const LEGAL: Array<[RecordStatus, IntentKind, RecordStatus]> = [
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
    const found: Array<[RecordStatus, IntentKind, RecordStatus]> = [];
    for (const from of RECORD_STATUSES) {
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
