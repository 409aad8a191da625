import type { AddDownloadsRequest, Download } from '../../shared/api.ts';
import { LIST_FORMATS, ListError, readList, writeList, type ListFormat } from '../../shared/download-lists.ts';
import type { ImportAnswer } from '../../shared/routes.ts';
import type { Engine } from '../engine/engine.ts';
import { HaulError, InputError, toHaulError } from '../engine/errors.ts';
import type { Principal } from './accounts/accounts.ts';
import { canSee, ownerOf } from './accounts/identify.ts';
import { addRequestOf } from './rpc/aria2-options.ts';
import { RpcError } from './rpc/rpc-error.ts';

/** `GET /api/export?format=`: the downloads the caller sees, as Haul's JSON, an aria2 input file, or links. */
export function exportList(engine: Engine, principal: Principal, format: string | null): { format: ListFormat; text: string } {
  const chosen = (format ?? 'json') as ListFormat;
  if (!LIST_FORMATS.includes(chosen)) throw new InputError('INVALID_FIELD', `"format" must be one of ${LIST_FORMATS.join(', ')}.`, 'format');
  const downloads = engine
    .list()
    .filter((d) => canSee(principal, d))
    .sort((a, b) => a.order - b.order);
  return { format: chosen, text: writeList(downloads, chosen) };
}

/**
 * `POST /api/import`: each download of the list added on its own (one that cannot be is named
 * with its line, the others still go in); finished ones are left out. aria2's options go through
 * the same rules as its RPC (a hook or a file option is refused by name), folders stay inside
 * the caller's own.
 */
export function importList(engine: Engine, principal: Principal, text: string): ImportAnswer {
  let list: ReturnType<typeof readList>;
  try {
    list = readList(text);
  } catch (error) {
    if (error instanceof ListError) throw new InputError('INVALID_FIELD', error.message, 'text');
    throw error;
  }
  const who = ownerOf(principal, engine.settings.downloadDir);
  const root = who?.root ?? engine.settings.downloadDir;
  const answer: ImportAnswer = { added: [], skipped: 0, problems: [] };
  /** Adds one download: what was added, or the error that kept it out. */
  const tryAdd = (request: AddDownloadsRequest): Download[] | HaulError => {
    try {
      return engine.add(request, who);
    } catch (error) {
      return error instanceof HaulError ? error : toHaulError(error);
    }
  };
  const take = (url: string, line: number | undefined, outcome: Download[] | HaulError): void => {
    if (outcome instanceof HaulError) answer.problems.push({ url: url.slice(0, 200), ...(line === undefined ? {} : { line }), message: outcome.message });
    else answer.added.push(...outcome);
  };
  if (list.kind === 'links') {
    for (const entry of list.entries) {
      const url = entry.uris[0] ?? '';
      let request: AddDownloadsRequest;
      try {
        request = addRequestOf(entry.uris.slice(0, 1), entry.options, root);
      } catch (error) {
        // An aria2 option Haul refuses is the list's problem, said as such, not an unexpected one.
        take(url, entry.line, error instanceof RpcError ? new InputError('INVALID_FIELD', error.message, 'text') : toHaulError(error));
        continue;
      }
      take(url, entry.line, tryAdd(request));
    }
    return answer;
  }
  for (const d of list.downloads) {
    if (d.status === 'completed') {
      answer.skipped += 1;
      continue;
    }
    const request: AddDownloadsRequest = { url: d.url, paused: d.status === 'paused' };
    if (d.filename !== '') request.filename = d.filename;
    if (d.maxConnections > 0) request.connections = d.maxConnections;
    if (d.speedLimit > 0) request.speedLimit = d.speedLimit;
    if (d.checksum !== undefined) request.checksum = d.checksum;
    // Its folder where this machine allows it; else the download folder, as for a new link.
    const withDir = d.dir === '' ? undefined : tryAdd({ ...request, dir: d.dir });
    take(d.url, undefined, withDir === undefined || withDir instanceof HaulError ? tryAdd(request) : withDir);
  }
  return answer;
}
