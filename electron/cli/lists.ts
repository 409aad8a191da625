import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { LIST_FORMATS, type ListFormat } from '../../shared/download-lists.ts';
import { EXIT, UsageError } from './cli-error.ts';
import { runningHaul } from './running-haul.ts';

type Io = { stdout: NodeJS.WriteStream; stderr: NodeJS.WriteStream; env: NodeJS.ProcessEnv; cwd: string };

/** `haul export [--format json|aria2|text]`: the running Haul's downloads, on stdout. */
export async function runExport(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { format: { type: 'string' }, 'data-dir': { type: 'string' }, token: { type: 'string' } } });
  if (positionals.length > 0) throw new UsageError(`takes no arguments, only options (got "${positionals[0]}").`);
  const format = (values.format ?? 'json') as ListFormat;
  if (!LIST_FORMATS.includes(format)) throw new UsageError(`--format must be one of ${LIST_FORMATS.join(', ')}, not "${values.format}".`);
  const haul = runningHaul({ dataDir: values['data-dir'], token: values.token, env: io.env });
  io.stdout.write((await haul.call('exportList', { query: { format } })).text);
  return EXIT.ok;
}

/** At most this much list is read (the server takes 1 MiB bodies). */
const MAX_LIST_BYTES = 1024 * 1024 - 1024;

/** `haul import FILE`: the list's downloads added to the running Haul (Haul's JSON, an aria2 input file, or links). */
export async function runImport(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { 'data-dir': { type: 'string' }, token: { type: 'string' } } });
  const file = positionals[0];
  if (file === undefined || positionals.length > 1) throw new UsageError('give the one file to import.');
  const where = path.resolve(io.cwd, file);
  const size = fs.statSync(where, { throwIfNoEntry: false })?.size;
  if (size === undefined) throw new UsageError(`${where} does not exist.`);
  if (size > MAX_LIST_BYTES) throw new UsageError(`${where} is over 1 MiB; split the list and import it in parts.`);
  const haul = runningHaul({ dataDir: values['data-dir'], token: values.token, env: io.env });
  const answer = await haul.call('importList', { body: { text: fs.readFileSync(where, 'utf8') } });
  io.stdout.write(`Imported ${answer.added.length} download${answer.added.length === 1 ? '' : 's'}${answer.skipped > 0 ? `; left out ${answer.skipped} already finished` : ''}.\n`);
  for (const p of answer.problems) io.stderr.write(`Not imported${p.line === undefined ? '' : ` (line ${p.line})`}: ${p.url}: ${p.message}\n`);
  return answer.problems.length > 0 ? EXIT.failed : EXIT.ok;
}
