import { useI18n } from '../i18n/i18n.tsx';

/** Speed over the last two minutes (one sample a second), as a line scaled to its own peak. */
export function SpeedGraph({ speeds }: { speeds: number[] }) {
  const i18n = useI18n();
  const peak = Math.max(1, ...speeds);
  const width = 240;
  const height = 48;
  const step = width / Math.max(1, 119);
  const offset = width - (speeds.length - 1) * step;
  const points = speeds.map((s, i) => `${(offset + i * step).toFixed(1)},${(height - (s / peak) * (height - 2) - 1).toFixed(1)}`).join(' ');
  return (
    <figure className="speed-graph">
      <svg viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none" role="img" aria-label={i18n.t('detail.graph', { peak: i18n.speed(peak) })}>
        {speeds.length > 1 && <polyline points={`${offset},${height} ${points} ${width},${height}`} className="graph-area" />}
        {speeds.length > 1 && <polyline points={points} className="graph-line" />}
      </svg>
      <figcaption>{speeds.length > 1 ? i18n.t('detail.peak', { speed: i18n.speed(peak) }) : i18n.t('detail.noSpeeds')}</figcaption>
    </figure>
  );
}
