// biome-ignore-all lint/a11y/useSemanticElements: a virtualised ARIA grid: rows come and go as they scroll, which a <table> cannot do
// biome-ignore-all lint/a11y/useFocusableInteractive: the grid holds focus and points at its row with aria-activedescendant
// biome-ignore-all lint/a11y/useKeyWithClickEvents: the grid handles the keys for every row
import { memo } from 'react';
import type { Download, MediaInfo } from '../../../shared/api.ts';
import { formatDuration } from '../../../shared/units.ts';
import { useServices } from '../app-context.tsx';
import { useNow } from '../hooks/use-now.ts';
import { useI18n, type I18n } from '../i18n/i18n.tsx';
import { useDownload } from '../state/download-store.ts';
import { clockTime, fraction, hostOf, statusView } from '../state/status-view.ts';
import { FileIcon } from './file-icon.tsx';

export interface RowHandlers {
  onClick(id: string, event: React.MouseEvent): void;
  onOpen(id: string): void;
  onContextMenu(id: string, event: React.MouseEvent): void;
  onRetry(id: string): void;
}

/** The status cell's words: a retry counts down, a final failure says it stopped. */
function statusText(d: Download, i18n: I18n, now: number): { label: string; tone: string; title?: string } {
  if (d.status === 'downloading' && d.retry !== undefined) {
    const seconds = Math.max(0, Math.ceil((Date.parse(d.retry.at) - now) / 1000));
    return { label: i18n.t('status.retryIn', { time: i18n.duration(seconds), attempt: d.retry.attempt, limit: d.retry.limit }), tone: 'muted', title: i18n.error(d.retry.error) };
  }
  const view = statusView(d.status);
  if (d.status === 'scheduled' && d.startsAt !== undefined) return { label: i18n.t('status.startsAt', { time: clockTime(d.startsAt, i18n.locale, now) }), tone: view.tone };
  // A finished torrent still sending to peers says so; it is complete all the same.
  if (d.status === 'completed' && d.torrent?.seeding === true)
    return { label: i18n.t('status.seeding'), tone: view.tone, title: i18n.t('torrent.summary', { peers: '…', uploaded: i18n.bytes(d.torrent.uploaded) }) };
  return { label: i18n.t(view.label), tone: view.tone, ...(d.status === 'failed' ? { title: i18n.error(d.error) } : {}) };
}

/** One row of the list: re-renders only when its own download changes (or, while it waits to retry, each second). */
export const TableRow = memo(function TableRow({ id, index, selected, focused, handlers }: { id: string; index: number; selected: boolean; focused: boolean; handlers: RowHandlers }) {
  const { store } = useServices();
  const i18n = useI18n();
  const d = useDownload(store, id);
  const now = useNow(d?.status === 'downloading' && d.retry !== undefined);
  if (d === undefined) return null;
  const waiting = d.status === 'downloading' && d.retry !== undefined;
  const flowing = d.status === 'downloading' && !waiting;
  const share = fraction(d);
  const status = statusText(d, i18n, now);
  const eta = flowing ? i18n.eta(d.received, d.total, d.speed) : undefined;
  const size =
    d.total === null
      ? d.received > 0
        ? i18n.bytes(d.received)
        : '—'
      : d.status === 'completed'
        ? i18n.bytes(d.total)
        : i18n.t('row.of', { received: i18n.bytes(d.received), total: i18n.bytes(d.total) });
  return (
    <div
      role="row"
      id={`row-${id}`}
      aria-selected={selected}
      aria-rowindex={index}
      aria-label={d.filename}
      className={`trow tone-${status.tone}${selected ? ' selected' : ''}${focused ? ' focused' : ''}`}
      onClick={(e) => handlers.onClick(id, e)}
      onDoubleClick={() => handlers.onOpen(id)}
      onContextMenu={(e) => handlers.onContextMenu(id, e)}
    >
      <div role="gridcell" className="c-name" title={`${d.dir}/${d.filename}`}>
        <FileIcon name={d.filename} />
        <span className="filename">{d.filename}</span>
        {d.media !== undefined && <MediaTag media={d.media} complete={d.status === 'completed'} />}
        {d.status === 'failed' ? <span className="row-error">{i18n.error(d.error)}</span> : <span className="host">{hostOf(d.finalUrl ?? d.url)}</span>}
      </div>
      <div role="gridcell" className="c-size">
        {size}
      </div>
      <div role="gridcell" className="c-progress">
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
        <span className="percent">{share === null ? '' : i18n.percent(share)}</span>
      </div>
      <div role="gridcell" className="c-speed">
        {flowing ? i18n.speed(d.speed) : ''}
      </div>
      <div role="gridcell" className="c-eta">
        {eta ?? ''}
      </div>
      <div role="gridcell" className="c-status">
        <span className={`badge tone-${status.tone}`} title={status.title}>
          {status.label}
        </span>
        {d.status === 'failed' && (
          <button
            type="button"
            className="link-button"
            onClick={(e) => {
              e.stopPropagation();
              handlers.onRetry(id);
            }}
          >
            {i18n.t('action.retry')}
          </button>
        )}
      </div>
      <div role="gridcell" className="c-added">
        {i18n.shortDate(d.createdAt)}
      </div>
    </div>
  );
});

/** A stream's tag in its row: that it is video, its height and length, and while it runs, its segments. */
function MediaTag({ media, complete }: { media: MediaInfo; complete: boolean }) {
  const i18n = useI18n();
  const parts = [media.height === undefined ? undefined : `${media.height}p`, media.duration === undefined ? undefined : formatDuration(media.duration)].filter((p) => p !== undefined);
  const segments = !complete && media.segments !== undefined ? i18n.t('row.segments', { done: String(media.segmentsDone ?? 0), total: String(media.segments) }) : undefined;
  return (
    <span className="media-tag" title={i18n.t('row.video')}>
      {[i18n.t('row.video'), ...parts, ...(segments === undefined ? [] : [segments])].join(' · ')}
    </span>
  );
}
