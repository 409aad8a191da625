import { EVENT_NAMES, ROUTES } from '../../../shared/api.ts';
import type { StreamEvent } from '../state/download-model.ts';
import type { DownloadStore } from '../state/download-store.ts';

/**
 * Subscribes the store to `/api/events`. EventSource reconnects by itself and sends
 * Last-Event-ID, so after a drop the server replays what was missed (or sends a snapshot);
 * the store shows "reconnecting" meanwhile. A 401 closes the stream for good.
 */
export function connectEvents(base: string, token: string, store: DownloadStore): () => void {
  const url = new URL(ROUTES.events.path, base);
  url.searchParams.set('token', token);
  const source = new EventSource(url);
  store.setConnection('connecting');
  source.onopen = () => store.setConnection('open');
  source.onerror = () => {
    if (source.readyState === EventSource.CLOSED) {
      // The browser gives up only on a non-stream answer, which here means a bad token.
      store.setConnection('unauthorized');
    } else {
      store.setConnection('reconnecting');
    }
  };
  for (const name of EVENT_NAMES) {
    source.addEventListener(name, (message) => {
      const event = { name, id: Number(message.lastEventId), data: JSON.parse(message.data) } as StreamEvent;
      store.dispatch(event);
    });
  }
  return () => source.close();
}
