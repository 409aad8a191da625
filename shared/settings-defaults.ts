import type { Settings } from './api.ts';
import { TORRENT_DEFAULTS } from './torrent.ts';

/** What a data folder's settings are until changed (the download folder aside, which each host chooses). */
export const DEFAULT_SETTINGS: Omit<Settings, 'downloadDir'> = {
  maxConcurrent: 3,
  connectionsPerDownload: 8,
  speedLimit: 0,
  rpcPort: 0,
  schedule: null,
  whenDone: 'nothing',
  whenDoneCountdown: 60,
  categories: [],
  siteRules: [],
  actions: [],
  torrent: TORRENT_DEFAULTS,
};
