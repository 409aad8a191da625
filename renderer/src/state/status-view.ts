import type { Download, DownloadStatus } from '../../../shared/api.ts';
import { assertNever } from '../../../shared/assert-never.ts';
import type { MessageKey } from '../i18n/messages.ts';

export type Filter = 'all' | 'active' | 'completed' | 'failed';
export const FILTERS: readonly Filter[] = ['all', 'active', 'completed', 'failed'];

export type Tone = 'neutral' | 'active' | 'success' | 'danger' | 'muted';

export interface StatusView {
  label: MessageKey;
  tone: Tone;
  canPause: boolean;
  canResume: boolean;
  canRetry: boolean;
  canOpen: boolean;
}

/** How each state looks and what can be done in it. */
export function statusView(status: DownloadStatus): StatusView {
  switch (status) {
    case 'queued':
      return { label: 'status.queued', tone: 'neutral', canPause: true, canResume: false, canRetry: false, canOpen: false };
    case 'scheduled':
      return { label: 'status.scheduled', tone: 'neutral', canPause: true, canResume: false, canRetry: false, canOpen: false };
    case 'downloading':
      return { label: 'status.downloading', tone: 'active', canPause: true, canResume: false, canRetry: false, canOpen: false };
    case 'paused':
      return { label: 'status.paused', tone: 'muted', canPause: false, canResume: true, canRetry: false, canOpen: false };
    case 'completed':
      return { label: 'status.completed', tone: 'success', canPause: false, canResume: false, canRetry: false, canOpen: true };
    case 'failed':
      return { label: 'status.failed', tone: 'danger', canPause: false, canResume: false, canRetry: true, canOpen: false };
    default:
      return assertNever(status, 'status');
  }
}

export function matchesFilter(d: Download, filter: Filter): boolean {
  switch (filter) {
    case 'all':
      return true;
    case 'active':
      return d.status === 'queued' || d.status === 'scheduled' || d.status === 'downloading' || d.status === 'paused';
    case 'completed':
      return d.status === 'completed';
    case 'failed':
      return d.status === 'failed';
    default:
      return assertNever(filter, 'filter');
  }
}

/** A time people read at a glance: "01:00" today, "Tue 01:00" on another day. */
export function clockTime(iso: string, locale: string, now: number): string {
  const at = new Date(iso);
  const time = at.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
  return at.toDateString() === new Date(now).toDateString() ? time : `${at.toLocaleDateString(locale, { weekday: 'short' })} ${time}`;
}

export function matchesSearch(d: Download, query: string): boolean {
  const q = query.trim().toLowerCase();
  return q === '' || d.filename.toLowerCase().includes(q) || d.url.toLowerCase().includes(q);
}

/** Share of the file received, 0 to 1, or null when the size is unknown. */
export function fraction(d: Pick<Download, 'received' | 'total'>): number | null {
  if (d.total === null || d.total <= 0) return d.total === 0 ? 1 : null;
  return Math.min(1, d.received / d.total);
}

export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}
