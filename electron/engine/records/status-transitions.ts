import type { RecordStatus } from './record.ts';
import type { WireError } from '../../../shared/error-codes.ts';

/**
 * What happened to a download, as far as its status goes. Code says what happened; the
 * table below decides the status that follows, so no caller can set a status directly and a
 * late or raced intent (a run that failed after the user paused it) is refused, not applied.
 */
export type StatusIntent =
  /** A run begins (or, after a restart, continues) here. */
  | { kind: 'started' }
  | { kind: 'paused' }
  /** A paused download waits for a slot again. */
  | { kind: 'resumed' }
  /** A failed download waits for a slot again (retry, or a fresh link). */
  | { kind: 'retried' }
  /** A run gives its slot back without finishing (more were running at start-up than may). */
  | { kind: 'requeued' }
  | { kind: 'completed' }
  | { kind: 'failed'; error: WireError };

export type IntentKind = StatusIntent['kind'];

/** From each status, the intents allowed and where each leads; anything else is illegal. */
const TRANSITIONS: { readonly [S in RecordStatus]: Partial<Record<IntentKind, RecordStatus>> } = {
  queued: { started: 'downloading', paused: 'paused', completed: 'completed' },
  downloading: { started: 'downloading', paused: 'paused', requeued: 'queued', completed: 'completed', failed: 'failed' },
  // A run that put every byte in place as the user paused it did finish: the file is there.
  paused: { resumed: 'queued', completed: 'completed' },
  failed: { retried: 'queued' },
  completed: {},
};

/** The status `intent` leads to from `from`, or undefined when it may not happen there. */
export function nextStatus(from: RecordStatus, intent: StatusIntent): RecordStatus | undefined {
  return TRANSITIONS[from][intent.kind];
}

export type TransitionOutcome =
  | { kind: 'moved'; from: RecordStatus; to: RecordStatus }
  | { kind: 'illegal'; from: RecordStatus; intent: IntentKind }
  /** This process no longer holds the right to run the download (see RecordJournal.holds). */
  | { kind: 'fenced' }
  /** The download was removed meanwhile. */
  | { kind: 'gone' };
