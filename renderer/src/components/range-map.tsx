import type { ConnectionView } from '../../../shared/api.ts';
import { useI18n } from '../i18n/i18n.tsx';

/** Ranges drawn at most: more are merged where they would be under a pixel apart anyway. */
const MAX_DRAWN = 400;

/**
 * The file as a bar: what is on disk, filled; each connection's part outlined in its own
 * colour with how far it got. Positions are shares of the total, so it scales with the panel.
 */
export function RangeMap({
  total,
  ranges,
  connections,
  unit = 'bytes',
}: {
  total: number | null;
  ranges: Array<[number, number]>;
  connections: ConnectionView[];
  /** What the bar counts: a file's bytes, a stream's segments (each fetched whole by one connection), or a torrent's pieces. */
  unit?: 'bytes' | 'segments' | 'pieces';
}) {
  const i18n = useI18n();
  const size = total ?? Math.max(1, ...ranges.map(([, b]) => b), ...connections.map((c) => c.position));
  const pct = (n: number): string => `${Math.min(100, (n / size) * 100)}%`;
  const drawn = mergeForDrawing(ranges, size / 1000);
  return (
    <div
      className="range-map"
      role="img"
      aria-label={
        unit === 'bytes'
          ? i18n.t('detail.rangeMap', { parts: ranges.length, connections: connections.length })
          : i18n.t(unit === 'segments' ? 'detail.segmentMap' : 'detail.pieceMap', { done: ranges.reduce((n, [a, b]) => n + (b - a), 0), total: size, fetching: connections.length })
      }
    >
      {drawn.map(([a, b]) => (
        <span key={a} className="range-done" style={{ left: pct(a), width: pct(b - a) }} />
      ))}
      {connections.map((c, i) => (
        <span key={c.start} className={`range-conn conn-${i % 8}${c.straggler ? ' straggler' : ''}`} style={{ left: pct(c.start), width: pct((c.end ?? size) - c.start) }}>
          <span className="range-conn-fill" style={{ width: `${((c.position - c.start) / Math.max(1, (c.end ?? size) - c.start)) * 100}%` }} />
        </span>
      ))}
    </div>
  );
}

function mergeForDrawing(ranges: ReadonlyArray<[number, number]>, gap: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const [a, b] of ranges) {
    const last = out.at(-1);
    if (last !== undefined && (a - last[1] <= gap || out.length >= MAX_DRAWN)) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}
