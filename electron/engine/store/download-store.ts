import type { HostLimit, Settings } from '../../../shared/api.ts';
import type { PairedRecord } from '../../../shared/extension-api.ts';

/** Where the engine keeps what is not a download's record (those go through a RecordJournal): settings, folders, host limits, counters. */
export interface DownloadStore {
  loadSettings(): Partial<Settings>;
  /** Folders the user picked (in the app's folder dialog, or with haul get -d) that downloads may be saved in. */
  loadApprovedFolders(): string[];
  saveApprovedFolders(folders: readonly string[]): void;
  saveSettings(settings: Settings): void;
  /** Per-host connection ceilings learnt from servers that refused extra connections. */
  loadHostLimits(): HostLimit[];
  saveHostLimit(host: string, connections: number, learnedAt: string): void;
  deleteHostLimit(host: string): void;
  /** Reserves `count` consecutive ids from a counter that survives restarts; returns the first. */
  nextSequence(name: string, count?: number): number;
  close(): void;
}

/** Keys of the settings table (or hash) that are not Settings fields: the folders approved, the browsers paired. */
export const APPROVED_KEY = 'approvedFolders';
export const PAIRED_KEY = 'pairedBrowsers';
export const NOT_SETTINGS: ReadonlySet<string> = new Set([APPROVED_KEY, PAIRED_KEY]);

/** The approved folders as stored (JSON): only strings count, anything else is none. */
export function approvedFoldersFrom(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** The paired browsers as stored (JSON): a list, or none. */
export function pairedBrowsersFrom(value: unknown): PairedRecord[] {
  return Array.isArray(value) ? (value as PairedRecord[]) : [];
}
