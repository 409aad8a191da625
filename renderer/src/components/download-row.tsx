import { memo, useState } from 'react';
import { useServices } from '../app-context.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { useDownload } from '../state/download-store.ts';
import { fraction, hostOf, statusView } from '../state/status-view.ts';
import { Icon, type IconName } from './icons.tsx';

function ActionButton({ icon, label, onClick, tone }: { icon: IconName; label: string; onClick: () => void; tone?: 'danger' }) {
  return (
    <button type="button" className={`icon-button${tone === 'danger' ? ' danger' : ''}`} aria-label={label} title={label} onClick={onClick}>
      <Icon name={icon} />
    </button>
  );
}

/** One download: re-renders only when that download changes. */
export const DownloadRow = memo(function DownloadRow({ id, onError }: { id: string; onError: (error: unknown) => void }) {
  const { store, api, desktop } = useServices();
  const i18n = useI18n();
  const d = useDownload(store, id);
  const [copied, setCopied] = useState(false);
  if (d === undefined) return null;
  // Waiting to retry is not downloading: no bytes flow, so no speed, time left or moving bar.
  const waiting = d.status === 'downloading' && d.retry !== undefined;
  const flowing = d.status === 'downloading' && !waiting;
  const view = waiting ? { ...statusView(d.status), label: 'status.retrying' as const, tone: 'muted' as const } : statusView(d.status);
  const share = fraction(d);
  const path = `${d.dir}/${d.filename}`;
  const act = (fn: () => Promise<unknown>) => () => void fn().catch(onError);
  const eta = flowing ? i18n.eta(d.received, d.total, d.speed) : undefined;
  const amount = d.total === null ? i18n.t('row.unknownSize', { received: i18n.bytes(d.received) }) : i18n.t('row.of', { received: i18n.bytes(d.received), total: i18n.bytes(d.total) });
  return (
    <article className={`row tone-${view.tone}`} aria-label={d.filename}>
      <div className="row-main">
        <div className="row-title">
          <span className="filename" title={path}>
            {d.filename}
          </span>
          <span className="host">{hostOf(d.finalUrl ?? d.url)}</span>
        </div>
        <div
          className={`progress${share === null && flowing ? ' indeterminate' : ''}`}
          role="progressbar"
          aria-label={i18n.t('row.progress', { name: d.filename })}
          aria-valuemin={0}
          aria-valuemax={100}
          {...(share === null ? {} : { 'aria-valuenow': Math.floor(share * 100) })}
        >
          {/* An unknown size draws an empty track unless bytes are flowing: a full bar would read as done. */}
          <div className="progress-fill" style={{ width: share === null ? (flowing ? undefined : '0%') : `${share * 100}%` }} />
        </div>
        <div className="row-meta">
          <span className={`badge tone-${view.tone}`}>{i18n.t(view.label)}</span>
          {share !== null && <span className="percent">{i18n.percent(share)}</span>}
          <span>{amount}</span>
          {flowing && <span>{i18n.speed(d.speed)}</span>}
          {eta !== undefined && <span>{i18n.t('row.eta', { time: eta })}</span>}
          {flowing && d.connections > 0 && <span>{i18n.t('row.connections', { count: d.connections })}</span>}
          {d.status === 'completed' && d.completedAt !== undefined && <span className="muted">{i18n.date(d.completedAt)}</span>}
        </div>
        {d.status === 'downloading' && d.retry !== undefined && (
          <p className="row-retry" title={d.retry.error.code}>
            {i18n.t('row.retrying', {
              time: i18n.duration(Math.max(0, (Date.parse(d.retry.at) - Date.now()) / 1000)),
              attempt: d.retry.attempt,
              limit: d.retry.limit,
              reason: i18n.error(d.retry.error),
            })}
          </p>
        )}
        {d.status === 'failed' && (
          <p className="row-error" title={d.error.code}>
            {i18n.error(d.error)}
          </p>
        )}
      </div>
      <div className="row-actions">
        {view.canPause && <ActionButton icon="pause" label={i18n.t('action.pause')} onClick={act(() => api.pause(id))} />}
        {view.canResume && <ActionButton icon="play" label={i18n.t('action.resume')} onClick={act(() => api.resume(id))} />}
        {view.canRetry && <ActionButton icon="retry" label={i18n.t('action.retry')} onClick={act(() => api.resume(id))} />}
        {view.canOpen && desktop !== undefined && <ActionButton icon="open" label={i18n.t('action.open')} onClick={act(() => desktop.openFile(path))} />}
        {view.canOpen && desktop !== undefined && <ActionButton icon="folder" label={i18n.t('action.showInFolder')} onClick={act(() => desktop.showInFolder(path))} />}
        <ActionButton
          icon="link"
          label={copied ? i18n.t('action.copied') : i18n.t('action.copyUrl')}
          onClick={act(async () => {
            await navigator.clipboard.writeText(d.url);
            setCopied(true);
            setTimeout(() => setCopied(false), 1500);
          })}
        />
        <ActionButton icon="trash" label={i18n.t('action.remove')} onClick={act(() => api.remove(id))} />
        {d.status === 'completed' && <ActionButton icon="trashFile" tone="danger" label={i18n.t('action.removeWithFile')} onClick={act(() => api.remove(id, true))} />}
      </div>
    </article>
  );
});
