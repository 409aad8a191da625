import { useEffect, useState } from 'react';
import type { Download, DownloadDetails } from '../../../shared/api.ts';
import type { PeerView } from '../../../shared/torrent.ts';
import { useServices } from '../app-context.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { RangeMap } from './range-map.tsx';
import { SpeedLimitInput } from './speed-limit-input.tsx';

/** How often the peers are asked for while the torrent runs. */
const PEERS_MS = 2_000;

/** A torrent in the detail panel: its pieces (on disk, being fetched), its peers, its files, and what it sent. */
export function TorrentSection({ d, details, onError }: { d: Download; details: DownloadDetails | undefined; onError: (e: unknown) => void }) {
  const { api } = useServices();
  const i18n = useI18n();
  const [peers, setPeers] = useState<PeerView[]>([]);
  const running = d.status === 'downloading' || d.torrent?.seeding === true;
  useEffect(() => {
    if (!running) {
      setPeers([]);
      return;
    }
    let live = true;
    const load = (): void => void api.peers(d.id).then((answer) => live && setPeers(answer.peers), onError);
    load();
    const timer = setInterval(load, PEERS_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [api, d.id, running, onError]);
  const t = d.torrent;
  if (t === undefined) return null;
  const pieces = details?.pieces;
  return (
    <section aria-label={i18n.t('detail.transfer')}>
      {pieces === undefined ? (
        <p className="muted">{i18n.t('torrent.waitingMetadata')}</p>
      ) : (
        <RangeMap total={pieces.total} ranges={pieces.done} connections={pieces.inFlight.map((n) => ({ start: n, end: n + 1, position: n, speed: 0, straggler: false }))} unit="pieces" />
      )}
      <p className="muted conn-count">
        {i18n.t('torrent.summary', { peers: i18n.number(peers.length), uploaded: i18n.bytes(t.uploaded) })}
        {t.seeding === true ? ` · ${i18n.t('torrent.seeding')}` : ''}
      </p>
      {(d.status !== 'completed' || t.seeding === true) && (
        <div className="field">
          <span>{i18n.t('torrent.uploadLimit')}</span>
          <SpeedLimitInput
            id={`upload-limit-${d.id}`}
            label={i18n.t('torrent.uploadLimit')}
            bytes={d.uploadLimit ?? 0}
            onChange={(bytes) => bytes !== undefined && bytes !== (d.uploadLimit ?? 0) && void api.patch(d.id, { uploadLimit: bytes }).catch(onError)}
          />
        </div>
      )}
      {peers.length > 0 && (
        <table className="conn-table" aria-label={i18n.t('torrent.peers')}>
          <thead>
            <tr>
              <th>{i18n.t('torrent.peer')}</th>
              <th>{i18n.t('torrent.client')}</th>
              <th>{i18n.t('torrent.has')}</th>
              <th>{i18n.t('column.speed')}</th>
            </tr>
          </thead>
          <tbody>
            {peers.map((p) => (
              <tr key={p.address}>
                <td>{p.address}</td>
                <td>{p.client ?? '—'}</td>
                <td>{i18n.percent(p.progress)}</td>
                <td>
                  ↓ {i18n.speed(p.downloadSpeed)} ↑ {i18n.speed(p.uploadSpeed)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {t.files !== undefined && (
        <ul className="torrent-files" aria-label={i18n.t('torrent.files')}>
          {t.files.map((f) => (
            <li key={f.index} className={f.selected ? '' : 'muted'}>
              <span>{f.path}</span> <span className="muted">{f.selected ? i18n.bytes(f.length) : i18n.t('torrent.skipped')}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
