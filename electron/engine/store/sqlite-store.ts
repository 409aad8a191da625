import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import type { HostLimit, Settings } from '../../../shared/api.ts';
import type { PairedRecord } from '../../../shared/extension-api.ts';
import type { DownloadRecord } from '../records/record.ts';
import type { RecordRows } from '../records/local-journal.ts';
import { storeWriteError } from './store-errors.ts';
import { APPROVED_KEY, approvedFoldersFrom, NOT_SETTINGS, PAIRED_KEY, pairedBrowsersFrom, type DownloadStore } from './download-store.ts';

const SCHEMA_VERSION = 3;

/**
 * The embedded store: node:sqlite (built into Node 24 and Electron 45, no native addon).
 * WAL journaling keeps writers from blocking readers and survives a killed process; each
 * record is JSON with `received` in its own column so progress checkpoints stay cheap.
 */
export class SqliteStore implements DownloadStore, RecordRows {
  readonly #db: DatabaseSync;
  /** The data folder, named in the error when a write is refused (a full disk). */
  readonly #folder: string;
  readonly #stmts: {
    upsert: StatementSync;
    progress: StatementSync;
    remove: StatementSync;
    all: StatementSync;
    setSetting: StatementSync;
    allSettings: StatementSync;
    allHosts: StatementSync;
    setHost: StatementSync;
    removeHost: StatementSync;
    bumpCounter: StatementSync;
  };

  /** Opens (creating if needed) `file`; use ':memory:' for a throwaway store. */
  constructor(file: string) {
    this.#folder = file === ':memory:' ? file : path.dirname(path.resolve(file));
    if (file !== ':memory:') {
      mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      // The store holds request headers (cookies, credentials): owner only. SQLite gives its
      // -wal and -shm files the database file's mode, so creating it 0600 covers them.
      closeSync(openSync(file, 'a', 0o600));
      chmodSync(file, 0o600);
    }
    this.#db = new DatabaseSync(file);
    this.#db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;');
    this.#migrate();
    const db = this.#db;
    this.#stmts = {
      upsert: db.prepare(
        'INSERT INTO downloads (id, seq, received, ranges, data) VALUES (?, ?, ?, ?, ?) ' +
          'ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, received = excluded.received, ranges = excluded.ranges, data = excluded.data',
      ),
      progress: db.prepare('UPDATE downloads SET received = ?, ranges = ? WHERE id = ?'),
      remove: db.prepare('DELETE FROM downloads WHERE id = ?'),
      all: db.prepare('SELECT received, ranges, data FROM downloads ORDER BY seq'),
      setSetting: db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
      allSettings: db.prepare('SELECT key, value FROM settings'),
      allHosts: db.prepare('SELECT host, max_connections, learned_at FROM hosts ORDER BY host'),
      setHost: db.prepare(
        'INSERT INTO hosts (host, max_connections, learned_at) VALUES (?, ?, ?) ON CONFLICT(host) DO UPDATE SET max_connections = excluded.max_connections, learned_at = excluded.learned_at',
      ),
      removeHost: db.prepare('DELETE FROM hosts WHERE host = ?'),
      bumpCounter: db.prepare('INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = value + excluded.value RETURNING value'),
    };
  }

  /** Brings an older store up to SCHEMA_VERSION, one step at a time, each in a transaction. */
  #migrate(): void {
    const row = this.#db.prepare('PRAGMA user_version').get() as { user_version: number };
    const version = row.user_version;
    if (version > SCHEMA_VERSION) {
      throw new Error(`The data store was written by a newer Haul (schema ${version}); update Haul to open it.`);
    }
    const steps: Array<[number, string]> = [
      [
        1,
        `CREATE TABLE IF NOT EXISTS downloads (id TEXT PRIMARY KEY, seq INTEGER NOT NULL, received INTEGER NOT NULL, data TEXT NOT NULL);
         CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
         CREATE TABLE IF NOT EXISTS hosts (host TEXT PRIMARY KEY, max_connections INTEGER NOT NULL);
         CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);`,
      ],
      // Segmented downloads: durable progress becomes a set of byte ranges.
      [2, 'ALTER TABLE downloads ADD COLUMN ranges TEXT;'],
      // Host ceilings recover with time: remember when each was learnt.
      [3, "ALTER TABLE hosts ADD COLUMN learned_at TEXT NOT NULL DEFAULT '1970-01-01T00:00:00.000Z';"],
    ];
    for (const [to, sql] of steps) {
      if (version >= to) continue;
      this.#db.exec(`BEGIN; ${sql} PRAGMA user_version = ${to}; COMMIT;`);
    }
  }

  loadDownloads(): DownloadRecord[] {
    return this.#stmts.all.all().map((row) => {
      const rec = JSON.parse(String(row['data'])) as DownloadRecord;
      rec.received = Number(row['received']);
      rec.ranges = row['ranges'] === null ? undefined : (JSON.parse(String(row['ranges'])) as DownloadRecord['ranges']);
      return rec;
    });
  }

  saveDownload(rec: DownloadRecord): void {
    const { ranges, ...rest } = rec;
    this.#write(() => this.#stmts.upsert.run(rec.id, rec.seq, rec.received, ranges === undefined ? null : JSON.stringify(ranges), JSON.stringify(rest)));
  }

  saveProgress(id: string, received: number, ranges?: DownloadRecord['ranges']): void {
    this.#write(() => this.#stmts.progress.run(received, ranges === undefined ? null : JSON.stringify(ranges), id));
  }

  deleteDownload(id: string): void {
    this.#write(() => this.#stmts.remove.run(id));
  }

  loadSettings(): Partial<Settings> {
    const out: Record<string, unknown> = {};
    for (const row of this.#stmts.allSettings.all()) {
      const key = String(row['key']);
      if (!NOT_SETTINGS.has(key)) out[key] = JSON.parse(String(row['value']));
    }
    return out as Partial<Settings>;
  }

  loadApprovedFolders(): string[] {
    const row = this.#stmts.allSettings.all().find((r) => String(r['key']) === APPROVED_KEY);
    return approvedFoldersFrom(row === undefined ? [] : JSON.parse(String(row['value'])));
  }

  saveApprovedFolders(folders: readonly string[]): void {
    this.#write(() => this.#stmts.setSetting.run(APPROVED_KEY, JSON.stringify(folders)));
  }

  /** Browsers paired with Haul (the server's, kept here so one file holds Haul's state). */
  loadPairedBrowsers(): PairedRecord[] {
    const row = this.#stmts.allSettings.all().find((r) => String(r['key']) === PAIRED_KEY);
    return pairedBrowsersFrom(row === undefined ? [] : JSON.parse(String(row['value'])));
  }

  savePairedBrowsers(records: readonly PairedRecord[]): void {
    this.#write(() => this.#stmts.setSetting.run(PAIRED_KEY, JSON.stringify(records)));
  }

  saveSettings(settings: Settings): void {
    this.#write(() => {
      this.#db.exec('BEGIN');
      try {
        for (const [key, value] of Object.entries(settings)) this.#stmts.setSetting.run(key, JSON.stringify(value));
        this.#db.exec('COMMIT');
      } catch (error) {
        if (this.#db.isTransaction) this.#db.exec('ROLLBACK');
        throw error;
      }
    });
  }

  loadHostLimits(): HostLimit[] {
    return this.#stmts.allHosts.all().map((row) => ({ host: String(row['host']), connections: Number(row['max_connections']), learnedAt: String(row['learned_at']) }));
  }

  saveHostLimit(host: string, connections: number, learnedAt: string): void {
    this.#write(() => this.#stmts.setHost.run(host, connections, learnedAt));
  }

  deleteHostLimit(host: string): void {
    this.#write(() => this.#stmts.removeHost.run(host));
  }

  nextSequence(name: string, count = 1): number {
    const row = this.#write(() => this.#stmts.bumpCounter.get(name, count) as { value: number });
    return Number(row.value) - count + 1;
  }

  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }

  /** Runs one write; a refusal (a full disk, a read-only folder) becomes an error that names the data folder and what to do. */
  #write<T>(run: () => T): T {
    try {
      return run();
    } catch (error) {
      throw storeWriteError(this.#folder, error);
    }
  }
}
