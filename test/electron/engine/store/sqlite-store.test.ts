import { DatabaseSync } from 'node:sqlite';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../../../electron/engine/store/sqlite-store.ts';
import type { DownloadRecord } from '../../../../electron/engine/records/record.ts';
import { tempDir } from '../../../helpers/temp-dir.ts';

const record = (id: string): DownloadRecord => ({
  id,
  url: `http://h.test/${id}`,
  dir: '/d',
  filename: id,
  filenameFixed: true,
  filenameRequested: false,
  status: 'paused',
  received: 10,
  total: 100,
  resumable: true,
  createdAt: '2026-01-01T00:00:00Z',
  headers: {},
  connections: 0,
  speedLimit: 0,
  seq: 1,
});

describe('SqliteStore', () => {
  it('upgrades a store written by the first schema, keeping its downloads and settings', () => {
    const file = path.join(tempDir(), 'haul.sqlite');
    // Exactly what Haul's first schema created.
    const old = new DatabaseSync(file);
    old.exec(`CREATE TABLE downloads (id TEXT PRIMARY KEY, seq INTEGER NOT NULL, received INTEGER NOT NULL, data TEXT NOT NULL);
      CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE hosts (host TEXT PRIMARY KEY, max_connections INTEGER NOT NULL);
      CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
      PRAGMA user_version = 1;`);
    old.prepare('INSERT INTO downloads (id, seq, received, data) VALUES (?, ?, ?, ?)').run('a', 1, 10, JSON.stringify(record('a')));
    old.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run('maxConcurrent', '5');
    old.close();

    const store = new SqliteStore(file);
    expect(store.loadDownloads()).toEqual([{ ...record('a'), ranges: undefined }]);
    expect(store.loadSettings()).toEqual({ maxConcurrent: 5 });
    store.saveProgress('a', 30, [
      [0, 20],
      [50, 60],
    ]);
    expect(store.loadDownloads()[0]).toMatchObject({
      received: 30,
      ranges: [
        [0, 20],
        [50, 60],
      ],
    });
    store.close();
  });

  it('refuses a store from a newer Haul instead of damaging it', () => {
    const file = path.join(tempDir(), 'haul.sqlite');
    const future = new DatabaseSync(file);
    future.exec('PRAGMA user_version = 99;');
    future.close();
    expect(() => new SqliteStore(file)).toThrow(/newer Haul/u);
  });

  it('hands out ids from counters that survive reopening', () => {
    const file = path.join(tempDir(), 'haul.sqlite');
    const one = new SqliteStore(file);
    expect(one.nextSequence('event', 10)).toBe(1);
    expect(one.nextSequence('event', 10)).toBe(11);
    one.close();
    const two = new SqliteStore(file);
    expect(two.nextSequence('event', 1)).toBe(21);
    two.saveHostLimit('h.test:80', 3, '2026-01-02T03:04:05.000Z');
    two.saveHostLimit('other:80', 2, '2026-01-02T03:04:05.000Z');
    two.deleteHostLimit('other:80');
    expect(two.loadHostLimits()).toEqual([{ host: 'h.test:80', connections: 3, learnedAt: '2026-01-02T03:04:05.000Z' }]);
    two.close();
  });
});
