import path from 'node:path';
import type { PairedRecord } from '../../shared/extension-api.ts';
import type { Clock } from '../engine/clock.ts';
import type { Engine } from '../engine/engine.ts';
import { LocalJournal } from '../engine/records/local-journal.ts';
import type { RecordJournal } from '../engine/records/record-journal.ts';
import type { LiveState } from '../engine/records/record.ts';
import type { DownloadStore } from '../engine/store/download-store.ts';
import { SqliteStore } from '../engine/store/sqlite-store.ts';
import { AccountStore } from '../server/accounts/account-store.ts';
import { Accounts } from '../server/accounts/accounts.ts';
import type { ClusterApi } from '../server/cluster/cluster.ts';
import type { Pairings } from '../server/pairing.ts';
import type { RedisAddress } from '../server/cluster/redis-url.ts';
import { engineFeed } from '../server/sse/engine-feed.ts';
import { EventHub, type EventHubOptions } from '../server/sse/event-hub.ts';

/** Several nodes sharing one Haul through Redis (`haul serve --redis`). */
export interface ClusterConfig {
  redis: RedisAddress;
  node: string;
  /** Default 15 000 ms (see Cluster). */
  leaseMs?: number;
}

/** Where Haul keeps its state: the data folder's SQLite, or the shared Redis. */
export interface HaulState {
  store: DownloadStore & { loadPairedBrowsers(): PairedRecord[]; savePairedBrowsers(records: readonly PairedRecord[]): void };
  accounts: Accounts;
  journal: RecordJournal;
  /** With several nodes: the numbers of a download another node runs. */
  liveElsewhere: ((id: string) => LiveState | undefined) | undefined;
  cluster: ClusterApi | undefined;
  /** The event hub: fed straight from the engine, or from the shared stream. */
  hub(engine: Engine, events: Partial<Omit<EventHubOptions, 'clock' | 'feed'>>): Promise<EventHub>;
  /** The interface token: `candidate` (the data folder's), or with several nodes the one they share. */
  token(candidate: string): Promise<string>;
  /** After the engine started: the cluster's heartbeat. */
  started(engine: Engine): void;
  /** With several nodes: browsers paired, and pairings waiting, are shared with the others. */
  linkPairings(pairings: Pairings): void;
  close(): Promise<void>;
}

export async function openState(opts: { dataDir: string; clock: Clock; cluster?: ClusterConfig | undefined; log: (line: string) => void }): Promise<HaulState> {
  const { clock } = opts;
  if (opts.cluster === undefined) {
    const file = path.join(opts.dataDir, 'haul.sqlite');
    const store = new SqliteStore(file);
    const accountStore = new AccountStore(file);
    return {
      store,
      accounts: new Accounts(accountStore, clock),
      journal: new LocalJournal(store),
      liveElsewhere: undefined,
      cluster: undefined,
      hub: async (engine, events) => new EventHub(engine, { ...events, clock, feed: engineFeed(engine, (count) => store.nextSequence('event', count)) }),
      token: async (candidate) => candidate,
      started: () => undefined,
      linkPairings: () => undefined,
      close: async () => {
        accountStore.close();
        store.close();
      },
    };
  }
  const { openCluster } = await import('../server/cluster/open-cluster.ts');
  const cluster = await openCluster({ ...opts.cluster, clock, log: opts.log });
  return {
    store: cluster.store,
    accounts: new Accounts(cluster.accountStore, clock, cluster.sessions),
    journal: cluster.journal,
    liveElsewhere: (id) => cluster.liveElsewhere(id),
    cluster,
    hub: async (engine, events) => new EventHub(engine, { ...events, clock, feed: await cluster.attach(engine) }),
    token: (candidate) => cluster.sharedToken(candidate),
    started: (engine) => cluster.start(engine),
    linkPairings: (pairings) => cluster.linkPairings(pairings),
    close: () => cluster.close(),
  };
}
