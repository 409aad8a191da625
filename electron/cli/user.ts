import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { ROLES, USER_NAME, type Role } from '../../shared/accounts-api.ts';
import { formatBytes, parseByteRate } from '../../shared/units.ts';
import { AccountStore, type AccountBook } from '../server/accounts/account-store.ts';
import { parseRedisUrl } from '../server/cluster/redis-url.ts';
import { hashPassword, passwordProblem } from '../server/accounts/passwords.ts';
import { HaulError } from '../engine/errors.ts';
import { defaultDataDir } from '../app/paths.ts';
import { EXIT, UsageError } from './cli-error.ts';

async function readPassword(stdin: NodeJS.ReadStream, stderr: NodeJS.WriteStream): Promise<string> {
  if (!stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks)
      .toString('utf8')
      .replace(/\r?\n$/u, '');
  }
  const ask = (prompt: string): Promise<string> =>
    new Promise((resolve) => {
      stderr.write(prompt);
      const rl = createInterface({ input: stdin, terminal: true });
      // Typed characters are not echoed: the terminal shows nothing of the password.
      (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => undefined;
      rl.question('', (answer) => {
        rl.close();
        stderr.write('\n');
        resolve(answer);
      });
    });
  const first = await ask('Password: ');
  if ((await ask('Again: ')) !== first) throw new UsageError('the two passwords differ; nothing was changed.');
  return first;
}

export async function runUser(argv: string[], io: { stdout: NodeJS.WriteStream; stderr: NodeJS.WriteStream; stdin: NodeJS.ReadStream; env: NodeJS.ProcessEnv }): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      role: { type: 'string' },
      'data-dir': { type: 'string' },
      redis: { type: 'string' },
      'max-running': { type: 'string' },
      'speed-limit': { type: 'string' },
      'revoke-tokens': { type: 'boolean' },
      revoke: { type: 'string' },
    },
  });
  const [action, name, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`takes one name, not "${extra.join(' ')}".`);
  const { store, close } = await openAccounts(values.redis, values['data-dir'], io.env);
  try {
    if (action === 'list') {
      for (const u of store.list()) io.stdout.write(`${u.name}\t${u.role}\t${u.createdAt}\n`);
      return EXIT.ok;
    }
    if (action !== 'add' && action !== 'passwd' && action !== 'remove' && action !== 'limit' && action !== 'tokens')
      throw new UsageError(`"${action ?? ''}" is not a user command: use add, limit, passwd, tokens, remove or list.`);
    if (name === undefined || !USER_NAME.test(name))
      throw new UsageError(`give a user name: 1 to 32 lower-case letters, digits, ".", "_" or "-", starting with a letter or digit${name === undefined ? '' : ` (not "${name}")`}.`);
    if (action === 'remove') {
      if (!store.remove(name)) throw new HaulError('NOT_FOUND', `There is no user "${name}".`);
      io.stdout.write(`Removed ${name}. Their downloads stay; an admin sees them.\n`);
      return EXIT.ok;
    }
    if (action === 'tokens') return listOrRevokeTokens(store, name, values.revoke, io.stdout);
    if (action === 'limit') {
      if (store.get(name) === undefined) throw new HaulError('NOT_FOUND', `There is no user "${name}".`);
      const limits = { ...store.limits(name), ...parseLimits(values['max-running'], values['speed-limit']) };
      store.setLimits(name, limits);
      io.stdout.write(
        `Limits of ${name}: ${limits.maxRunning === 0 ? 'any number' : limits.maxRunning} running, ${limits.speedLimit === 0 ? 'no speed limit' : `${formatBytes(limits.speedLimit)}/s`}.\n`,
      );
      return EXIT.ok;
    }
    const role = (values.role ?? 'user') as Role;
    if (!ROLES.includes(role)) throw new UsageError(`--role must be admin, user or viewer, not "${values.role}".`);
    if (action === 'add' && store.get(name) !== undefined) throw new HaulError('INVALID_STATE', `There is already a user "${name}"; change their password with "haul user passwd ${name}".`);
    if (action === 'passwd' && store.get(name) === undefined) throw new HaulError('NOT_FOUND', `There is no user "${name}"; add them with "haul user add ${name}".`);
    const password = await readPassword(io.stdin, io.stderr);
    const problem = passwordProblem(password);
    if (problem !== undefined) throw new UsageError(problem);
    const hash = await hashPassword(password);
    if (action === 'add') {
      const first = store.count() === 0;
      store.put(name, role, hash, new Date().toISOString());
      store.setLimits(name, { maxRunning: 0, speedLimit: 0, ...parseLimits(values['max-running'], values['speed-limit']) });
      io.stdout.write(`Added ${name} (${role}).${first ? ' Accounts are on: signing in is now required.' : ''}\n`);
    } else {
      store.setPassword(name, hash);
      const revoked = values['revoke-tokens'] === true ? store.removeTokens(name) : 0;
      io.stdout.write(`Changed the password of ${name}; their sign-ins have ended.${values['revoke-tokens'] === true ? ` Revoked ${revoked} API token${revoked === 1 ? '' : 's'}.` : ''}\n`);
    }
    return EXIT.ok;
  } finally {
    await close();
  }
}

/** The data folder's accounts, or with `--redis` those of the nodes sharing that Redis. */
async function openAccounts(redis: string | undefined, dataDir: string | undefined, env: NodeJS.ProcessEnv): Promise<{ store: AccountBook; close(): Promise<void> }> {
  if (redis === undefined) {
    const store = new AccountStore(path.join(path.resolve(dataDir ?? defaultDataDir(env)), 'haul.sqlite'));
    return { store, close: async () => store.close() };
  }
  if (dataDir !== undefined) throw new UsageError('--redis and --data-dir are two different places for accounts: give one.');
  const parsed = parseRedisUrl(redis);
  if (!parsed.ok) throw new UsageError(`--redis: ${parsed.message}`);
  const { RedisAccountStore } = await import('../server/cluster/redis-accounts.ts');
  return RedisAccountStore.connect(parsed.address);
}

function parseLimits(maxRunning: string | undefined, speedLimit: string | undefined): Partial<{ maxRunning: number; speedLimit: number }> {
  const out: Partial<{ maxRunning: number; speedLimit: number }> = {};
  if (maxRunning !== undefined) {
    const n = Number(maxRunning);
    if (!Number.isInteger(n) || n < 0 || n > 1000) throw new UsageError(`--max-running must be a whole number from 0 (no limit) to 1000, not "${maxRunning}".`);
    out.maxRunning = n;
  }
  if (speedLimit !== undefined) {
    const rate = speedLimit === '0' ? 0 : parseByteRate(speedLimit);
    if (rate === undefined) throw new UsageError(`--speed-limit "${speedLimit}" is not a rate; use bytes per second such as 500K or 2M, or 0 for none.`);
    out.speedLimit = rate;
  }
  return out;
}

/** `haul user tokens NAME [--revoke ID]`: a user's API tokens, one a line (id, label, made, last used), or one revoked. */
function listOrRevokeTokens(store: AccountBook, name: string, revoke: string | undefined, stdout: NodeJS.WriteStream): number {
  if (store.get(name) === undefined) throw new HaulError('NOT_FOUND', `There is no user "${name}".`);
  if (revoke !== undefined) {
    if (!store.removeToken(name, revoke)) throw new HaulError('NOT_FOUND', `${name} has no API token "${revoke}"; "haul user tokens ${name}" lists their tokens.`);
    stdout.write(`Revoked ${name}'s token ${revoke}.\n`);
    return EXIT.ok;
  }
  const tokens = store.listTokens(name);
  if (tokens.length === 0) stdout.write(`${name} has no API tokens.\n`);
  for (const t of tokens) stdout.write(`${t.id}\t${t.label}\t${t.createdAt}\t${t.lastUsed ?? 'never used'}\n`);
  return EXIT.ok;
}
