/** The parts of m3u8-parser's output Haul reads (the package ships no types). */
declare module 'm3u8-parser' {
  export interface ByteRange {
    length: number;
    offset: number;
  }
  export interface SegmentKey {
    method: string;
    uri?: string;
    /** The IV attribute, as four big-endian 32-bit words. */
    iv?: Uint32Array;
  }
  export interface Segment {
    uri: string;
    duration: number;
    byterange?: ByteRange;
    key?: SegmentKey;
    map?: { uri: string; byterange?: ByteRange; key?: SegmentKey };
    discontinuity?: boolean;
  }
  export interface VariantAttributes {
    BANDWIDTH?: number;
    'AVERAGE-BANDWIDTH'?: number;
    RESOLUTION?: { width: number; height: number };
    CODECS?: string;
    AUDIO?: string;
  }
  export interface Variant {
    uri: string;
    attributes: VariantAttributes;
  }
  export interface Rendition {
    default?: boolean;
    autoselect?: boolean;
    language?: string;
    uri?: string;
  }
  export interface Manifest {
    endList?: boolean;
    mediaSequence?: number;
    segments: Segment[];
    playlists?: Variant[];
    mediaGroups?: { AUDIO?: Record<string, Record<string, Rendition>> };
    contentProtection?: unknown;
  }
  export class Parser {
    constructor(options?: { url?: string });
    manifest: Manifest;
    push(chunk: string): void;
    end(): void;
    on(event: 'warn' | 'info', listener: (event: { message: string }) => void): void;
  }
}
