/**
 * Every key Haul keeps in the shared Redis (one database holds one Haul). Values are JSON;
 * a download is a hash of its record's fields, so two nodes changing different fields of one
 * download never undo each other.
 */
export const KEYS = {
  /** Counter behind every stream entry's id (`N-0`): the event ids clients see. */
  seq: 'haul:seq',
  /** The stream of everything that happened: records changed, public events, nodes drained. */
  stream: 'haul:events',
  /** Ids of all downloads. */
  downloads: 'haul:downloads',
  download: (id: string): string => `haul:download:${id}`,
  /** Which node instance runs a download, while it does (expires unless renewed). */
  lease: (id: string): string => `haul:lease:${id}`,
  /** Downloads an owner has (had) running, for their limit over all nodes (entries without a live lease do not count). */
  ownerRunning: (owner: string): string => `haul:running:${owner}`,
  settings: 'haul:settings',
  hosts: 'haul:hosts',
  /** The interface token every node answers to. */
  token: 'haul:token',
  /** Each node's last heartbeat (JSON), and its liveness key (expires unless renewed). */
  nodes: 'haul:nodes',
  alive: (name: string): string => `haul:node:${name}`,
  draining: 'haul:draining',
  users: 'haul:users',
  userTokens: 'haul:user-tokens',
  userLimits: 'haul:user-limits',
  sessions: 'haul:sessions',
} as const;
