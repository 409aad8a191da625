import { useEffect, useState } from 'react';
import type { StreamVariant } from '../../../shared/api.ts';
import { extractLinks } from '../../../shared/links.ts';
import { playlistRequest } from '../../../shared/playlists.ts';
import { useServices } from '../app-context.tsx';
import { useI18n } from '../i18n/i18n.tsx';

/** How long typing must pause before a pasted playlist link is asked about. */
const SETTLE_MS = 300;

/**
 * The qualities a pasted video link offers: when the box holds one link that looks like a
 * playlist (.m3u8, .mpd), Haul is asked what it is (POST /api/actions/probe-stream).
 */
export function useStreamQualities(text: string): StreamVariant[] {
  const { api } = useServices();
  const [variants, setVariants] = useState<StreamVariant[]>([]);
  const { urls } = extractLinks(text);
  const url = urls.length === 1 && playlistRequest(urls[0] ?? '', undefined) !== undefined ? urls[0] : undefined;
  useEffect(() => {
    setVariants([]);
    if (url === undefined) return undefined;
    let current = true;
    const timer = setTimeout(() => {
      api.probeStream(url).then(
        (probe) => {
          if (current) setVariants(probe.variants);
        },
        // A link Haul cannot read now is still added as it is; its error shows then.
        () => undefined,
      );
    }, SETTLE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [api, url]);
  return variants;
}

/** The quality to download a stream at: the best (the default) or one of its variants, by its bandwidth. */
export function QualityPicker({ variants, value, onChange }: { variants: StreamVariant[]; value: string; onChange: (value: string) => void }) {
  const i18n = useI18n();
  const sorted = [...variants].sort((a, b) => (b.height ?? 0) - (a.height ?? 0) || (b.bandwidth ?? 0) - (a.bandwidth ?? 0));
  return (
    <label className="quality-picker">
      <span>{i18n.t('add.quality')}</span>
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{i18n.t('add.qualityBest')}</option>
        {sorted.map((v) => (
          <option key={`${v.height}-${v.bandwidth}`} value={String(v.bandwidth ?? '')}>
            {i18n.t('add.qualityVariant', { height: String(v.height ?? '?'), rate: ((v.bandwidth ?? 0) / 1e6).toFixed(1) })}
          </option>
        ))}
      </select>
    </label>
  );
}
