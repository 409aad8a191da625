import type { Download, EventName, EventPayloads, Settings, WhenDoneNotice } from './api.ts';
import type { PairingRequest } from './extension-api.ts';
import { assertNever } from './assert-never.ts';
import { applyPatch } from './download-patch.ts';

/** One event of the stream, as the renderer receives it. */
export type StreamEvent = { [K in EventName]: { name: K; id: number; data: EventPayloads[K] } }[EventName];

/** What the list knows: every download by id, their order, the settings, the newest event applied. */
export interface DownloadModel {
  byId: Map<string, Download>;
  /** Ids in creation order, oldest first. */
  order: string[];
  settings: Settings | null;
  lastEventId: number;
  /** Browsers waiting for the user to type the code Haul shows (see the extension). */
  pairings: PairingRequest[];
  /** The countdown of Settings' `whenDone`, while one runs. */
  whenDone: WhenDoneNotice | null;
}

/** What an event touched, so only those parts of the page update. */
export interface Change {
  /** Downloads whose fields changed. */
  items: Set<string>;
  /** Membership, order, a status or a name changed: filters and the list must be recomputed. */
  list: boolean;
  settings: boolean;
  pairings: boolean;
  whenDone: boolean;
}

export function emptyModel(): DownloadModel {
  return { byId: new Map(), order: [], settings: null, lastEventId: 0, pairings: [], whenDone: null };
}

/**
 * Applies one event. Safe against what networks do: events at or below the last applied id
 * (duplicates, overlapping replays) are ignored; updates, progress and removals for unknown
 * downloads are dropped; progress only moves a download that is running, so a summarised
 * replay cannot drag a finished download back.
 */
export function applyEvent(model: DownloadModel, event: StreamEvent): Change {
  const change: Change = { items: new Set(), list: false, settings: false, pairings: false, whenDone: false };
  // Notices are outside the numbered history: they carry no id of their own.
  if (event.name === 'pairing' || event.name === 'pairing-ended') {
    model.pairings = model.pairings.filter((p) => p.pairingId !== event.data.pairingId);
    if (event.name === 'pairing') model.pairings.push(event.data);
    change.pairings = true;
    return change;
  }
  if (event.name === 'when-done' || event.name === 'when-done-ended') {
    model.whenDone = event.name === 'when-done' ? event.data : null;
    change.whenDone = true;
    return change;
  }
  if (event.name !== 'snapshot' && event.id <= model.lastEventId) return change;
  model.lastEventId = Math.max(model.lastEventId, event.id);
  switch (event.name) {
    case 'snapshot': {
      model.byId = new Map(event.data.downloads.map((d) => [d.id, d]));
      model.order = event.data.downloads.map((d) => d.id);
      model.settings = event.data.settings;
      model.lastEventId = event.id;
      // A fresh stream announces the pairings still waiting right after its snapshot.
      model.pairings = [];
      change.pairings = true;
      // Likewise a countdown still running.
      model.whenDone = null;
      change.whenDone = true;
      change.list = true;
      change.settings = true;
      for (const id of model.order) change.items.add(id);
      break;
    }
    case 'added': {
      if (!model.byId.has(event.data.id)) model.order.push(event.data.id);
      model.byId.set(event.data.id, event.data);
      change.items.add(event.data.id);
      change.list = true;
      break;
    }
    case 'updated': {
      const current = model.byId.get(event.data.id);
      if (current === undefined) break;
      const patched = applyPatch(current, event.data);
      // Only a running download moves: whatever speed the last progress showed ends with it.
      model.byId.set(current.id, patched.status === 'downloading' ? patched : { ...patched, speed: 0, connections: 0 });
      change.items.add(current.id);
      if (event.data.status !== undefined || event.data.filename !== undefined || event.data.url !== undefined) change.list = true;
      break;
    }
    case 'progress': {
      for (const item of event.data.items) {
        const current = model.byId.get(item.id);
        if (current === undefined || current.status !== 'downloading') continue;
        model.byId.set(item.id, { ...current, received: item.received, total: item.total, speed: item.speed, connections: item.connections });
        change.items.add(item.id);
      }
      break;
    }
    case 'removed': {
      if (!model.byId.delete(event.data.id)) break;
      model.order = model.order.filter((id) => id !== event.data.id);
      change.items.add(event.data.id);
      change.list = true;
      break;
    }
    case 'settings': {
      model.settings = event.data;
      change.settings = true;
      break;
    }
    default:
      assertNever(event, 'event');
  }
  return change;
}
