import { useEffect, useState } from 'react';
import type { Download, DownloadDetails, LogEntry } from '../../../shared/api.ts';
import { opensHere, pathOf, type DownloadActions } from '../actions/use-download-actions.ts';
import { useServices } from '../app-context.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { useDownload, useMeta } from '../state/download-store.ts';
import { statusView } from '../state/status-view.ts';
import { ConnectionTable } from './connection-table.tsx';
import { RangeMap } from './range-map.tsx';
import { TorrentSection } from './torrent-section.tsx';
import { SpeedGraph } from './speed-graph.tsx';
import { SpeedLimitInput } from './speed-limit-input.tsx';

/** How often the panel asks for fresh details while the download runs. */
const REFRESH_MS = 1_000;

/**
 * Everything about the selected download: where its bytes are and which connection fetches
 * which part, each connection's speed, a speed graph, its addresses, headers, validators,
 * checksum and path, and a log of what happened; its connections and limit can be changed here.
 */
export function DetailPanel({ id, actions, onClose, onError }: { id: string; actions: DownloadActions; onClose: () => void; onError: (e: unknown) => void }) {
  const services = useServices();
  const { store, api, desktop } = services;
  const i18n = useI18n();
  const d = useDownload(store, id);
  const defaultConnections = useMeta(store, (s) => s.settings?.connectionsPerDownload ?? 8);
  const [details, setDetails] = useState<DownloadDetails | undefined>(undefined);
  const running = d?.status === 'downloading';
  const status = d?.status;
  // A new status (finished, failed) is news the panel fetches at once.
  useEffect(() => {
    if (status === undefined) return;
    let live = true;
    const load = (): void => {
      api.details(id).then((next) => live && setDetails(next), onError);
    };
    load();
    if (!running) return () => void (live = false);
    const timer = setInterval(load, REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [api, id, running, status, onError]);
  if (d === undefined) return null;
  const view = statusView(d.status);
  const local = opensHere(services);
  const patch = (body: { maxConnections?: number; speedLimit?: number }): void => void api.patch(id, body).catch(onError);
  return (
    <aside className="detail" aria-label={i18n.t('detail.label', { name: d.filename })}>
      <header className="detail-head">
        <h2>{d.filename}</h2>
        <button type="button" className="icon-button" aria-label={i18n.t('detail.close')} onClick={onClose}>
          ×
        </button>
      </header>
      <div className="detail-actions">
        {view.canPause && (
          <button onClick={() => actions.pause([id])} type="button">
            {i18n.t('action.pause')}
          </button>
        )}
        {view.canResume && (
          <button onClick={() => actions.resume([id])} type="button">
            {i18n.t('action.resume')}
          </button>
        )}
        {view.canRetry && (
          <button onClick={() => actions.resume([id])} type="button" className="primary">
            {i18n.t('action.retry')}
          </button>
        )}
        {view.canOpen && local && (
          <button onClick={() => actions.open(id)} type="button">
            {i18n.t('action.open')}
          </button>
        )}
        {view.canOpen && local && (
          <button onClick={() => actions.reveal(id)} type="button">
            {i18n.t('action.showInFolder')}
          </button>
        )}
        {view.canOpen && desktop === undefined && (
          <button onClick={() => actions.saveToDevice(id)} type="button">
            {i18n.t('action.saveToDevice')}
          </button>
        )}
      </div>
      {d.status === 'failed' && (
        <p className="detail-error" role="status">
          {i18n.t('detail.stopped', { reason: i18n.error(d.error) })}
        </p>
      )}
      {d.torrent !== undefined && <TorrentSection d={d} details={details} onError={onError} />}
      <section aria-label={i18n.t('detail.transfer')} hidden={d.torrent !== undefined}>
        {details?.segments === undefined ? (
          <RangeMap total={d.total} ranges={details?.ranges ?? []} connections={details?.connections ?? []} />
        ) : (
          <RangeMap
            total={details.segments.total}
            ranges={details.segments.done}
            connections={details.segments.inFlight.map((n) => ({ start: n, end: n + 1, position: n, speed: 0, straggler: false }))}
            unit="segments"
          />
        )}
        {/* How many run of how many may: a cap the server or the settings set is seen, not guessed. */}
        {d.status === 'downloading' && (
          <p className="muted conn-count">{i18n.t('detail.connectionsOf', { count: i18n.number(d.connections), max: i18n.number(d.maxConnections > 0 ? d.maxConnections : defaultConnections) })}</p>
        )}
        <ConnectionTable connections={details?.connections ?? []} />
        <SpeedGraph speeds={details?.speeds ?? []} finished={finishedRun(d, details?.log)} />
      </section>
      {/* A finished download has no connections or speed to set. */}
      {d.status !== 'completed' && (
        <section className="detail-options" aria-label={i18n.t('detail.options')}>
          <label>
            <span>{i18n.t('add.connections')}</span>
            <select value={d.maxConnections} onChange={(e) => patch({ maxConnections: Number(e.target.value) })}>
              <option value={0}>{i18n.t('detail.defaultConnections', { count: defaultConnections })}</option>
              {[1, 2, 4, 8, 16, 32].map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
          <div className="field">
            <span>{i18n.t('detail.limit')}</span>
            <SpeedLimitInput
              id={`limit-${id}`}
              label={i18n.t('detail.limit')}
              bytes={d.speedLimit}
              onChange={(bytes) => bytes !== undefined && bytes !== d.speedLimit && patch({ speedLimit: bytes })}
            />
          </div>
        </section>
      )}
      <dl className="facts">
        {d.owner !== undefined && (
          <>
            <dt>{i18n.t('detail.owner')}</dt>
            <dd>{d.owner}</dd>
          </>
        )}
        {d.node !== undefined && (
          <>
            <dt>{i18n.t('detail.node')}</dt>
            <dd>{d.node}</dd>
          </>
        )}
        <dt>{i18n.t('detail.path')}</dt>
        <dd className="mono">{pathOf(d)}</dd>
        <dt>{i18n.t('detail.url')}</dt>
        <dd className="mono">{d.url}</dd>
        {d.finalUrl !== undefined && d.finalUrl !== d.url && (
          <>
            <dt>{i18n.t('detail.finalUrl')}</dt>
            <dd className="mono">{d.finalUrl}</dd>
          </>
        )}
        {details?.etag !== undefined && (
          <>
            <dt>ETag</dt>
            <dd className="mono">{details.etag}</dd>
          </>
        )}
        {details?.lastModified !== undefined && (
          <>
            <dt>Last-Modified</dt>
            <dd className="mono">{details.lastModified}</dd>
          </>
        )}
        {d.checksum !== undefined && (
          <>
            <dt>{i18n.t('detail.checksum')}</dt>
            <dd className="mono">
              {d.checksum.algorithm} {d.checksum.expected} {d.checksum.verified === true ? `✓ ${i18n.t('detail.verified')}` : ''}
              {d.checksum.from === undefined ? '' : ` (${i18n.t('detail.fromServer', { header: d.checksum.from })})`}
            </dd>
          </>
        )}
        {d.siteRule !== undefined && (
          <>
            <dt>{i18n.t('detail.siteRule')}</dt>
            <dd className="mono">{d.siteRule}</dd>
          </>
        )}
        {d.category !== undefined && (
          <>
            <dt>{i18n.t('detail.category')}</dt>
            <dd>{d.category}</dd>
          </>
        )}
      </dl>
      {Object.keys(details?.requestHeaders ?? {}).length > 0 && (
        <section aria-label={i18n.t('detail.headers')}>
          <h3>{i18n.t('detail.headers')}</h3>
          <dl className="facts">
            {Object.entries(details?.requestHeaders ?? {}).map(([name, value]) => (
              <div key={name}>
                <dt>{name}</dt>
                <dd className="mono">{value}</dd>
              </div>
            ))}
          </dl>
        </section>
      )}
      <section aria-label={i18n.t('detail.log')}>
        <h3>{i18n.t('detail.log')}</h3>
        <ol className="log">
          {[...(details?.log ?? [])].reverse().map((e, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: log lines are append-only and have no ids
            <li key={`${e.at}-${i}`}>
              <time dateTime={e.at}>{i18n.time(e.at)}</time> <span>{i18n.t(`log.${e.kind}`)}</span>
              {e.retry !== undefined ? (
                <span className="muted"> {i18n.t('log.retryOf', { attempt: i18n.number(e.retry.attempt), limit: i18n.number(e.retry.limit), reason: i18n.error(e.retry.error) })}</span>
              ) : (
                e.detail !== undefined && <span className="muted"> {e.detail}</span>
              )}
            </li>
          ))}
        </ol>
      </section>
    </aside>
  );
}

/** A completed download's size and time taken: from its first start in the log (else when it was added) to its completion. */
function finishedRun(d: Download, log: readonly LogEntry[] | undefined): { bytes: number; seconds: number } | undefined {
  if (d.status !== 'completed' || d.completedAt === undefined) return undefined;
  const started = log?.find((e) => e.kind === 'started')?.at ?? d.createdAt;
  return { bytes: d.received, seconds: Math.max(0, (Date.parse(d.completedAt) - Date.parse(started)) / 1000) };
}
