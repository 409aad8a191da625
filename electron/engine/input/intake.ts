import type { LinkCheck, Settings } from '../../../shared/api.ts';
import type { Clock } from '../clock.ts';
import type { DownloadLog } from '../records/download-log.ts';
import type { ApprovedFolders } from './folders.ts';
import { checkLinks } from './link-check.ts';
import { newRecord } from '../records/new-record.ts';
import type { RecordBook } from '../records/record-book.ts';
import type { DownloadRecord } from '../records/record.ts';
import type { DownloadStore } from '../store/download-store.ts';
import { parseAddRequest, type NewDownload } from './validate.ts';
import { InputError } from '../errors.ts';
import { ruleFor, type SiteRule } from '../../../shared/site-rules.ts';
import path from 'node:path';

/** Who asks, with accounts on: their name, and the folder their downloads stay inside. */
export type Asker = { owner: string; root: string } | undefined;

export interface IntakeDeps {
  book: RecordBook;
  store: DownloadStore;
  folders: ApprovedFolders;
  log: DownloadLog;
  clock: Clock;
  newId(): string;
  /** The settings as they are now (the download folder, site rules with their secrets, actions). */
  settings(): Readonly<Pick<Settings, 'downloadDir' | 'siteRules' | 'actions'>>;
}

/**
 * Validates an add request and stores its downloads (see parseAddRequest): nothing is created
 * if any part is invalid or a folder is not the asker's to use. Returns the new records.
 */
export function intake(deps: IntakeDeps, request: unknown, who: Asker): DownloadRecord[] {
  const root = who?.root ?? deps.settings().downloadDir;
  const parsed = parseAddRequest(request);
  const known = deps.settings().actions.map((a) => a.name);
  const unknown = parsed.flatMap((item) => (item.actions ?? []).filter((name) => !known.includes(name)));
  // Only actions an admin defined can run: a name that is not one is refused, naming it.
  if (unknown.length > 0)
    throw new InputError('INVALID_FIELD', `"actions": "${unknown[0]}" is not an action Settings define${known.length === 0 ? ' (none are)' : `; they are ${known.join(', ')}`}.`, 'actions');
  for (const item of parsed) {
    const hash = item.torrent?.torrent.infoHash;
    const same = hash === undefined ? undefined : deps.book.all().find((rec) => rec.torrent?.infoHash === hash);
    if (same !== undefined) throw new InputError('INVALID_FIELD', `This torrent is already in the list ("${same.filename}"): resume or remove that one.`, 'url');
  }
  // A folder asked for (or a site rule's) is kept; without one, the download goes to its category's once its name is known.
  const items = parsed
    .map((item) => withSiteRule(item, ruleFor(item.url, deps.settings().siteRules), root))
    .map((item) => ({ ...item, dirRequested: item.dir !== undefined, dir: deps.folders.place(item.dir, root, who !== undefined) }));
  return items.map((item) => {
    const rec = newRecord(item, {
      id: deps.newId(),
      dir: item.dir,
      createdAt: new Date(deps.clock.now()).toISOString(),
      seq: deps.store.nextSequence('download'),
      ...(who === undefined ? {} : { owner: who.owner }),
    });
    deps.book.create(rec);
    deps.log.note(rec.id, 'added', rec.url);
    return rec;
  });
}

/**
 * Which of `urls` are already in the list or already saved in the folder (see checkLinks).
 * `dir` is confined as an add's is: a caller learns nothing of folders it could not download to.
 */
export function checkIntake(deps: IntakeDeps, urls: unknown, dir: unknown, visible: (owner: string | undefined) => boolean, who: Asker): Promise<LinkCheck[]> {
  const root = who?.root ?? deps.settings().downloadDir;
  const where = typeof dir === 'string' && dir !== '' ? deps.folders.place(dir, root, who !== undefined) : dir;
  return checkLinks(
    deps.book.all().filter((rec) => visible(rec.owner)),
    urls,
    where,
    root,
  );
}

/**
 * A download with what its site rule gives, where the add left it open: connections, a speed
 * limit, a folder below the download folder, and request headers (the add's own win, name by name).
 */
function withSiteRule(item: NewDownload, rule: SiteRule | undefined, root: string): NewDownload & { siteRule?: string } {
  if (rule === undefined) return item;
  const headers: Record<string, string> = {};
  const take = (name: string, value: string | undefined): void => {
    if (value === undefined) return;
    for (const key of Object.keys(headers)) if (key.toLowerCase() === name.toLowerCase()) delete headers[key];
    headers[name] = value;
  };
  for (const [name, value] of Object.entries(rule.headers ?? {})) take(name, value);
  take('User-Agent', rule.userAgent);
  take('Referer', rule.referer);
  for (const [name, value] of Object.entries(item.headers)) take(name, value);
  return {
    ...item,
    connections: item.connections === 0 ? (rule.connections ?? 0) : item.connections,
    speedLimit: item.speedLimit === 0 ? (rule.speedLimit ?? 0) : item.speedLimit,
    dir: item.dir ?? (rule.dir === undefined ? undefined : path.join(root, rule.dir)),
    headers,
    ...(rule.actions === undefined || rule.actions.length === 0 ? {} : { actions: [...new Set([...(item.actions ?? []), ...rule.actions])] }),
    siteRule: rule.match,
  };
}
