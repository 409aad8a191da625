import { constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Settings } from '../../shared/api.ts';
import type { SettingsPatch } from '../../shared/settings-body.ts';
import { ensureDir } from '../engine/disk/ensure-dir.ts';
import type { Engine } from '../engine/engine.ts';
import { InputError } from '../engine/errors.ts';

/**
 * Applies a settings change from a caller (the settings route, aria2's changeGlobalOption): a
 * new download folder must be allowed, and exist or be creatable (it is created, with a bounded
 * walk) and writable, and a new RPC port free; otherwise the change is refused and the error says why.
 */
export async function changeSettings(engine: Engine, change: SettingsPatch, rpc: { openPort(port: number): Promise<void> }): Promise<Settings> {
  const dir = change.downloadDir;
  if (dir !== undefined && path.isAbsolute(dir)) {
    engine.checkDownloadFolder(dir);
    await assertWritableFolder(dir, 'downloadDir');
  }
  // The RPC's port is opened first, so one that cannot be opened is refused with the change.
  if (change.rpcPort !== undefined) await rpc.openPort(change.rpcPort);
  return engine.updateSettings(change);
}

async function assertWritableFolder(dir: string, field: string): Promise<void> {
  try {
    await ensureDir(dir);
  } catch (cause) {
    throw new InputError('INVALID_FIELD', `"${field}": ${cause instanceof Error ? cause.message : String(cause)}`, field, { cause });
  }
  try {
    await fs.access(dir, fsConstants.W_OK);
  } catch {
    throw new InputError('INVALID_FIELD', `"${field}": Haul cannot write to ${dir}. Choose a folder you can write to.`, field);
  }
}
