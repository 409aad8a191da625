import type { Settings } from '../../shared/api.ts';
import { DEFAULT_SETTINGS } from '../../shared/settings-defaults.ts';

/** Settings as a new data folder has them, with the download folder /d: the fixture the model and view tests share. */
export const TEST_SETTINGS: Settings = { downloadDir: '/d', ...DEFAULT_SETTINGS };
