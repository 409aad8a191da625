import { checkMagnet, type TorrentProbe } from '../../../shared/torrent.ts';
import { InputError } from '../errors.ts';
import type { TorrentRecord } from '../records/record.ts';
import { readTorrentFile } from './metainfo.ts';
import { chosenBytes } from './torrent-files.ts';

/** A torrent's own options from an add. */
export interface TorrentChoices {
  files?: number[] | undefined;
  seedRatio?: number | undefined;
  seedMinutes?: number | undefined;
}

/** What an added torrent starts with: its record, the link it is known by, and its size once known. */
export interface NewTorrent {
  url: string;
  torrent: TorrentRecord;
  total: number | null;
}

const own = (choices: TorrentChoices): Pick<TorrentRecord, 'selected' | 'seedRatio' | 'seedMinutes'> => ({
  ...(choices.files === undefined ? {} : { selected: choices.files }),
  ...(choices.seedRatio === undefined ? {} : { seedRatio: choices.seedRatio }),
  ...(choices.seedMinutes === undefined ? {} : { seedMinutes: choices.seedMinutes }),
});

/** A .torrent file given with the add: read and checked now (a BAD_TORRENT error names what is wrong); it is known by its magnet link. */
export function torrentFromFile(base64: string, choices: TorrentChoices): NewTorrent {
  const bytes = Buffer.from(base64, 'base64');
  const meta = readTorrentFile(bytes);
  if (choices.files?.some((i) => i >= meta.files.length))
    throw new InputError(
      'INVALID_FIELD',
      `"files": the torrent has ${meta.files.length} file${meta.files.length === 1 ? '' : 's'} (0 to ${meta.files.length - 1}); ${Math.max(...(choices.files ?? []))} is not one.`,
      'files',
    );
  const params = new URLSearchParams({ xt: `urn:btih:${meta.infoHash}`, dn: meta.name });
  for (const tracker of meta.announce) params.append('tr', tracker);
  const torrent: TorrentRecord = {
    infoHash: meta.infoHash,
    metainfo: bytes.toString('base64'),
    name: meta.name,
    files: meta.files,
    pieceLength: meta.pieceLength,
    pieces: meta.pieces,
    uploaded: 0,
    ...own(choices),
  };
  return { url: `magnet:?${params.toString().replaceAll('%3A', ':')}`, torrent, total: chosenBytes(torrent) };
}

/** A magnet link: its metadata comes from peers when it runs; its name until then is the link's `dn`. */
export function torrentFromMagnet(url: string, choices: TorrentChoices): NewTorrent {
  const magnet = checkMagnet(url);
  if (!magnet.ok) throw new InputError('INVALID_URL', magnet.message, 'url');
  const name = new URLSearchParams(url.slice(url.indexOf('?') + 1)).get('dn') ?? undefined;
  return { url, torrent: { infoHash: magnet.infoHash, ...(name === undefined || name.trim() === '' ? {} : { name }), uploaded: 0, ...own(choices) }, total: null };
}

/** What a .torrent holds, for choosing its files before it is added. */
export function probeTorrentFile(base64: string): TorrentProbe {
  const meta = readTorrentFile(Buffer.from(base64, 'base64'));
  return { infoHash: meta.infoHash, name: meta.name, files: meta.files.map((f, index) => ({ index, ...f })), total: meta.total };
}
