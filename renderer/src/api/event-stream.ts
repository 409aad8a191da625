import type { DownloadStore } from '../state/download-store.ts';
import { eventsUrl, openStream } from './event-source.ts';
import type { StreamMessage, StreamRequest } from './stream-worker.ts';

/**
 * Subscribes the store to the event stream: through one SharedWorker shared by every tab
 * where the browser has them (see stream-worker.ts), else with this page's own EventSource.
 */
export function connectEvents(base: string, token: string | undefined, store: DownloadStore): () => void {
  const url = eventsUrl(base, token);
  const listener = { state: (state: Parameters<DownloadStore['setConnection']>[0]) => store.setConnection(state), event: store.dispatch.bind(store) };
  if (typeof SharedWorker === 'undefined') return openStream(url, listener);
  const worker = new SharedWorker(new URL('./stream-worker.ts', import.meta.url), { type: 'module', name: 'haul-events' });
  worker.port.onmessage = (message: MessageEvent<StreamMessage>) => {
    const data = message.data;
    if (data.kind === 'state') listener.state(data.state);
    else listener.event(data.event);
  };
  worker.port.start();
  worker.port.postMessage({ url } satisfies StreamRequest);
  return () => worker.port.close();
}
