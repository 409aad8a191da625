/**
 * Lists of downloads to carry between programs: Haul's JSON export, aria2's input file (a link
 * per line, its options indented below it), or plain links, one per line. Pure: reading a list
 * says which line is wrong; writing one never includes a secret header.
 */
import type { Checksum, Download } from './api.ts';

export type ListFormat = 'json' | 'aria2' | 'text';
export const LIST_FORMATS: readonly ListFormat[] = ['json', 'aria2', 'text'];

/** One download of Haul's JSON export. */
export interface ListedDownload {
  url: string;
  filename: string;
  dir: string;
  status: Download['status'];
  maxConnections: number;
  speedLimit: number;
  checksum?: string | undefined;
}

/** What a list holds: Haul's own downloads, or links with aria2's options. */
export type ReadList = { kind: 'haul'; downloads: ListedDownload[] } | { kind: 'links'; entries: Array<{ line: number; uris: string[]; options: Record<string, string | string[]> }> };

/** The most entries one list may hold (as many as one add takes). */
export const MAX_LIST_ENTRIES = 10_000;

export class ListError extends Error {}

/** A checksum as aria2 spells it (`sha-256=…`, `md5=…`). */
export function aria2Checksum(checksum: Pick<Checksum, 'algorithm' | 'expected'>): string {
  return `${checksum.algorithm.replace(/^sha/u, 'sha-')}=${checksum.expected}`;
}

export function writeList(downloads: readonly Download[], format: ListFormat): string {
  switch (format) {
    case 'text':
      return downloads.map((d) => `${d.url}\n`).join('');
    case 'aria2':
      return downloads
        .map((d) => {
          const options = [`dir=${d.dir}`, `out=${d.filename}`];
          if (d.maxConnections > 0) options.push(`split=${d.maxConnections}`, `max-connection-per-server=${d.maxConnections}`);
          if (d.speedLimit > 0) options.push(`max-download-limit=${d.speedLimit}`);
          if (d.checksum !== undefined) options.push(`checksum=${aria2Checksum(d.checksum)}`);
          if (d.status === 'paused') options.push('pause=true');
          return `${d.url}\n${options.map((o) => ` ${o}\n`).join('')}`;
        })
        .join('');
    case 'json': {
      const listed: ListedDownload[] = downloads.map((d) => ({
        url: d.url,
        filename: d.filename,
        dir: d.dir,
        status: d.status,
        maxConnections: d.maxConnections,
        speedLimit: d.speedLimit,
        ...(d.checksum === undefined ? {} : { checksum: `${d.checksum.algorithm}=${d.checksum.expected}` }),
      }));
      return `${JSON.stringify({ haul: 1, downloads: listed }, null, 2)}\n`;
    }
  }
}

/** Reads a list in any of the three formats (Haul's JSON is recognised by its first character). */
export function readList(text: string): ReadList {
  if (text.trimStart().startsWith('{')) return readHaulJson(text);
  const entries: Array<{ line: number; uris: string[]; options: Record<string, string | string[]> }> = [];
  for (const [i, raw] of text.split(/\r?\n/u).entries()) {
    const line = raw.trimEnd();
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    if (/^\s/u.test(line)) {
      const entry = entries.at(-1);
      const m = /^\s+([a-z0-9-]+)=(.*)$/u.exec(line);
      if (entry === undefined || m?.[1] === undefined) throw new ListError(`Line ${i + 1}: "${line.trim().slice(0, 80)}" is not an option (NAME=VALUE, indented under its link).`);
      const [name, value] = [m[1], m[2] ?? ''];
      const before = entry.options[name];
      // A repeated option (header) keeps every value, as aria2 does.
      entry.options[name] = before === undefined ? value : [...(Array.isArray(before) ? before : [before]), value];
      continue;
    }
    // aria2 puts mirrors of one file on one line, separated by tabs.
    entries.push({
      line: i + 1,
      uris: line
        .split('\t')
        .map((u) => u.trim())
        .filter((u) => u !== ''),
      options: {},
    });
    if (entries.length > MAX_LIST_ENTRIES) throw new ListError(`The list holds more than ${MAX_LIST_ENTRIES} links; import it in parts.`);
  }
  return { kind: 'links', entries };
}

function readHaulJson(text: string): ReadList {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ListError(`The list looks like Haul's JSON export but is not valid JSON: ${(error as Error).message}.`);
  }
  const downloads = (value as { downloads?: unknown }).downloads;
  if ((value as { haul?: unknown }).haul !== 1 || !Array.isArray(downloads)) throw new ListError('The JSON is not a Haul export: it has no "haul": 1 and "downloads" list.');
  if (downloads.length > MAX_LIST_ENTRIES) throw new ListError(`The list holds more than ${MAX_LIST_ENTRIES} downloads; import it in parts.`);
  return {
    kind: 'haul',
    downloads: downloads.map((d: unknown, i) => {
      const x = (typeof d === 'object' && d !== null ? d : {}) as Record<string, unknown>;
      if (typeof x['url'] !== 'string') throw new ListError(`downloads[${i}] has no "url".`);
      return {
        url: x['url'],
        filename: typeof x['filename'] === 'string' ? x['filename'] : '',
        dir: typeof x['dir'] === 'string' ? x['dir'] : '',
        status: (typeof x['status'] === 'string' ? x['status'] : 'queued') as Download['status'],
        maxConnections: typeof x['maxConnections'] === 'number' ? x['maxConnections'] : 0,
        speedLimit: typeof x['speedLimit'] === 'number' ? x['speedLimit'] : 0,
        checksum: typeof x['checksum'] === 'string' ? x['checksum'] : undefined,
      };
    }),
  };
}
