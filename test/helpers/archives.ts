// Archives written byte by byte, so a test can hold what honest tools refuse to make: names
// with `..` or a leading `/`, links, sizes that lie. Honest archives come from real zip and tar.
import zlib from 'node:zlib';

export interface CraftedEntry {
  name: string;
  data?: Buffer;
  /** A symbolic link to this target instead of a file. */
  link?: string;
  /** A size to declare instead of the true one (zip only). */
  declaredSize?: number;
}

const DOS_TIME = 0;
const DOS_DATE = (46 << 9) | (1 << 5) | 1; // 2026-01-01

/** A zip of `entries`, each deflated (links stored), made by "Unix" so modes and links count. */
export function craftZip(entries: readonly CraftedEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const raw = e.link === undefined ? (e.data ?? Buffer.alloc(0)) : Buffer.from(e.link);
    const body = e.link === undefined ? zlib.deflateRawSync(raw) : raw;
    const method = e.link === undefined ? 8 : 0;
    const crc = zlib.crc32(raw);
    const size = e.declaredSize ?? raw.length;
    const mode = e.link === undefined ? (e.name.endsWith('/') ? 0o040755 : 0o100644) : 0o120777;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE((mode << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** A ustar archive of `entries` (links as symbolic links), gzipped when asked. */
export function craftTar(entries: readonly CraftedEntry[], gzip = false): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const data = e.link === undefined ? (e.data ?? Buffer.alloc(0)) : Buffer.alloc(0);
    const header = Buffer.alloc(512);
    header.write(e.name, 0, 100, 'utf8');
    header.write('0000644\0', 100);
    header.write('0000000\0', 108);
    header.write('0000000\0', 116);
    header.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124);
    header.write('15000000000\0', 136);
    header.write('        ', 148);
    header.write(e.link === undefined ? (e.name.endsWith('/') ? '5' : '0') : '2', 156);
    if (e.link !== undefined) header.write(e.link, 157, 100, 'utf8');
    header.write('ustar\0', 257);
    header.write('00', 263);
    let sum = 0;
    for (const byte of header) sum += byte;
    header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    parts.push(header, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  const tar = Buffer.concat(parts);
  return gzip ? zlib.gzipSync(tar) : tar;
}
