/** The parts of mpd-parser's output Haul reads (the package ships no types). */
declare module 'mpd-parser' {
  export interface ByteRange {
    length: number;
    offset: number;
  }
  export interface Segment {
    resolvedUri: string;
    duration: number;
    byterange?: ByteRange;
    map?: { resolvedUri: string; byterange?: ByteRange };
  }
  export interface Playlist {
    attributes: { BANDWIDTH?: number; RESOLUTION?: { width: number; height: number }; CODECS?: string; AUDIO?: string };
    segments: Segment[];
    /** SegmentBase: where the segment index is (indexRange), and the init section (Initialization). */
    sidx?: { resolvedUri: string; byterange?: ByteRange; map?: { resolvedUri: string; byterange?: ByteRange } };
    contentProtection?: unknown;
  }
  export interface AudioRendition {
    default?: boolean;
    playlists?: Playlist[];
  }
  export interface Manifest {
    endList?: boolean;
    playlists: Playlist[];
    mediaGroups?: { AUDIO?: Record<string, Record<string, AudioRendition>> };
    contentProtection?: unknown;
  }
  export function parse(manifest: string, options: { manifestUri: string; eventHandler?: (event: { type: string; message: string }) => void }): Manifest;
}
