import { EVENT_NAMES, ROUTES } from '../../../shared/api.ts';
import type { StreamEvent } from '../../../shared/download-model.ts';
import type { ConnectionState } from '../state/download-store.ts';

export interface StreamListener {
  state(state: ConnectionState): void;
  event(event: StreamEvent): void;
}

/** The event stream's URL for `token` (the one route that takes the token in its query). */
export function eventsUrl(base: string, token: string): string {
  const url = new URL(ROUTES.events.path, base);
  url.searchParams.set('token', token);
  return url.href;
}

/**
 * One EventSource on `/api/events`. EventSource reconnects by itself and sends Last-Event-ID,
 * so after a drop the server replays what was missed (or sends a snapshot); a 401 closes it
 * for good. Works in a page and in a worker alike.
 */
export function openStream(url: string, listener: StreamListener): () => void {
  const source = new EventSource(url);
  listener.state('connecting');
  source.onopen = () => listener.state('open');
  source.onerror = () => {
    // The browser gives up only on a non-stream answer, which here means a bad token.
    listener.state(source.readyState === EventSource.CLOSED ? 'unauthorized' : 'reconnecting');
  };
  for (const name of EVENT_NAMES) {
    source.addEventListener(name, (message) => {
      listener.event({ name, id: Number(message.lastEventId), data: JSON.parse(message.data) } as StreamEvent);
    });
  }
  return () => source.close();
}
