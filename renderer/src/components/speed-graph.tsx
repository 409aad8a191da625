import { useI18n } from '../i18n/i18n.tsx';

/**
 * Speed over the last two minutes (one sample a second), as a line scaled to its own peak. A
 * finished download says its average speed and how long it took instead; one that never got a
 * byte says so, rather than a peak of nothing.
 */
export function SpeedGraph({ speeds, finished }: { speeds: number[]; finished?: { bytes: number; seconds: number } | undefined }) {
  const i18n = useI18n();
  const top = Math.max(0, ...speeds);
  const peak = Math.max(1, top);
  const width = 240;
  const height = 48;
  const step = width / Math.max(1, 119);
  const offset = width - (speeds.length - 1) * step;
  const points = speeds.map((s, i) => `${(offset + i * step).toFixed(1)},${(height - (s / peak) * (height - 2) - 1).toFixed(1)}`).join(' ');
  const caption = (): string => {
    if (finished !== undefined) return i18n.t('detail.average', { speed: i18n.speed(finished.bytes / Math.max(1, finished.seconds)), time: i18n.duration(Math.max(1, Math.round(finished.seconds))) });
    if (speeds.length > 1 && top > 0) return i18n.t('detail.peak', { speed: i18n.speed(top) });
    return speeds.length > 1 ? i18n.t('detail.nothingYet') : i18n.t('detail.noSpeeds');
  };
  return (
    <figure className="speed-graph">
      <svg viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none" role="img" aria-label={i18n.t('detail.graph', { peak: i18n.speed(peak) })}>
        {speeds.length > 1 && <polyline points={`${offset},${height} ${points} ${width},${height}`} className="graph-area" />}
        {speeds.length > 1 && <polyline points={points} className="graph-line" />}
      </svg>
      <figcaption>{caption()}</figcaption>
    </figure>
  );
}
