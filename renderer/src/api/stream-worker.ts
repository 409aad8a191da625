/// <reference lib="webworker" />
import { applyEvent, emptyModel, type DownloadModel, type StreamEvent } from '../../../shared/download-model.ts';
import type { ConnectionState } from '../state/download-store.ts';
import { openStream } from './event-source.ts';

/** What a tab sends the worker: the stream it wants. */
export interface StreamRequest {
  url: string;
}

/** What the worker sends each tab. */
export type StreamMessage = { kind: 'state'; state: ConnectionState } | { kind: 'event'; event: StreamEvent };

interface Shared {
  ports: Set<MessagePort>;
  model: DownloadModel;
  state: ConnectionState;
}

/**
 * One event stream for every tab of Haul in this browser (a SharedWorker). Browsers allow six
 * connections per server, and each EventSource holds one for good: with a stream per tab the
 * seventh tab never loads. The worker keeps one stream per URL, relays its events to every
 * tab, and keeps the list itself (the same pure model the tabs use), so a tab that opens later
 * starts from a snapshot of it rather than an empty list.
 */
const streams = new Map<string, Shared>();

function join(url: string, port: MessagePort): void {
  let shared = streams.get(url);
  if (shared === undefined) {
    const created: Shared = { ports: new Set(), model: emptyModel(), state: 'connecting' };
    streams.set(url, created);
    shared = created;
    openStream(url, {
      state: (state) => {
        created.state = state;
        broadcast(created, { kind: 'state', state });
      },
      event: (event) => {
        applyEvent(created.model, event);
        broadcast(created, { kind: 'event', event });
      },
    });
  }
  shared.ports.add(port);
  port.postMessage({ kind: 'state', state: shared.state } satisfies StreamMessage);
  const { model } = shared;
  if (model.settings !== null) {
    const downloads = model.order.map((id) => model.byId.get(id)).filter((d) => d !== undefined);
    port.postMessage({ kind: 'event', event: { name: 'snapshot', id: model.lastEventId, data: { downloads, settings: model.settings } } } satisfies StreamMessage);
    for (const data of model.pairings) port.postMessage({ kind: 'event', event: { name: 'pairing', id: model.lastEventId, data } } satisfies StreamMessage);
  }
}

function broadcast(shared: Shared, message: StreamMessage): void {
  for (const port of shared.ports) port.postMessage(message);
}

(self as unknown as SharedWorkerGlobalScope).onconnect = (event: MessageEvent) => {
  const port = event.ports[0];
  if (port === undefined) return;
  port.onmessage = (message: MessageEvent<StreamRequest>) => join(message.data.url, port);
  port.start();
};
