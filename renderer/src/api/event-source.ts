import { EVENT_NAMES } from '../../../shared/api.ts';
import { urlWithToken } from '../../../shared/api-client.ts';
import type { StreamEvent } from '../../../shared/download-model.ts';
import type { ConnectionState } from '../state/download-store.ts';

export interface StreamListener {
  state(state: ConnectionState): void;
  event(event: StreamEvent): void;
}

/** The event stream's URL for `token` (the one route that takes the token in its query); none when signed in with a session cookie. */
export function eventsUrl(base: string, token: string | undefined): string {
  return urlWithToken(base, 'events', token);
}

/**
 * One EventSource on `/api/events`. EventSource reconnects by itself and sends Last-Event-ID,
 * so after a drop the server replays what was missed (or sends a snapshot); a 401 closes it
 * for good. Works in a page and in a worker alike.
 */
/** How long after a refused reconnect (a proxy's 502 while Haul restarts) the stream is tried again. */
const REOPEN_MS = 2_000;

export function openStream(url: string, listener: StreamListener): () => void {
  let source: EventSource | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  let lastId = '';
  const open = (): void => {
    // A reopened stream resumes where the last one stopped, as EventSource's own reconnects do.
    const target = new URL(url);
    if (lastId !== '') target.searchParams.set('lastEventId', lastId);
    const next = new EventSource(target.href);
    source = next;
    next.onopen = () => listener.state('open');
    next.onerror = () => {
      if (next.readyState !== EventSource.CLOSED) return listener.state('reconnecting');
      // The browser gives up on any answer that is not a stream: a bad token (401), or a
      // proxy's error page while Haul is away. Only the first means "no longer authorised".
      void fetch(url).then(
        (res) => {
          void res.body?.cancel();
          if (res.status === 401) listener.state('unauthorized');
          else retry();
        },
        () => retry(),
      );
    };
    for (const name of EVENT_NAMES) {
      next.addEventListener(name, (message) => {
        if (message.lastEventId !== '') lastId = message.lastEventId;
        listener.event({ name, id: Number(message.lastEventId), data: JSON.parse(message.data) } as StreamEvent);
      });
    }
  };
  const retry = (): void => {
    if (closed) return;
    listener.state('reconnecting');
    timer = setTimeout(open, REOPEN_MS);
  };
  listener.state('connecting');
  open();
  return () => {
    closed = true;
    clearTimeout(timer);
    source?.close();
  };
}
