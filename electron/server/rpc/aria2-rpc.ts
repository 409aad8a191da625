import { randomBytes } from 'node:crypto';
import type { Settings } from '../../../shared/api.ts';
import type { Clock } from '../../engine/clock.ts';
import type { Engine } from '../../engine/engine.ts';
import { HaulError } from '../../engine/errors.ts';
import type { Accounts, Principal } from '../accounts/accounts.ts';
import { authorize } from '../accounts/identify.ts';
import type { Aria2Context } from './aria2-context.ts';
import { ARIA2_METHODS } from './aria2-methods.ts';
import { GidIndex } from './gids.ts';
import { RemovedResults } from './removed-results.ts';
import { RpcArgs } from './rpc-args.ts';
import { RpcAuth } from './rpc-auth.ts';
import { RpcError } from './rpc-error.ts';
import { joinPieces, RawJson, resultPieces, StatusJsonCache, type Pieces } from './status-cache.ts';

/** Calls in one batch or one system.multicall, at most: enough for any client's "select all", bounded for a hostile one. */
export const MAX_CALLS = 1000;

export const NOTIFICATIONS = ['aria2.onDownloadStart', 'aria2.onDownloadPause', 'aria2.onDownloadStop', 'aria2.onDownloadComplete', 'aria2.onDownloadError', 'aria2.onBtDownloadComplete'];
const SYSTEM_METHODS = ['system.multicall', 'system.listMethods', 'system.listNotifications'];

export interface Aria2RpcOptions {
  engine: Engine;
  /** Haul's token: the machine owner's secret. */
  token: string;
  accounts: Accounts | undefined;
  clock: Clock;
  /** Applies a settings change as the settings route does (a new folder checked and made). */
  changeSettings: (change: Partial<Settings>) => Promise<Settings>;
  /** Where unexpected errors are reported. */
  log: (line: string) => void;
}

/** Told who each call that passes the token check comes from (a socket is then sent their notifications). */
type OnCaller = (principal: Principal) => void;

/**
 * aria2's JSON-RPC 2.0 over Haul's engine: a message is one call or a batch; each `aria2.*`
 * call carries its token and is checked for who may make it, as Haul's routes are.
 */
export class Aria2Rpc {
  readonly #opts: Aria2RpcOptions;
  readonly #auth: RpcAuth;
  readonly #gids = new GidIndex();
  readonly #removed = new RemovedResults();
  readonly #sessionId = randomBytes(20).toString('hex');
  readonly #statuses = new StatusJsonCache();

  constructor(opts: Aria2RpcOptions) {
    this.#opts = opts;
    this.#auth = new RpcAuth({ ownerToken: opts.token, accounts: opts.accounts, clock: opts.clock });
  }

  get gids(): GidIndex {
    return this.#gids;
  }

  /** Answers a message's text from `client` (its address, for the wrong-token throttle): the answer's JSON, in pieces. */
  async answer(text: string, client: string, onCaller: OnCaller = () => undefined): Promise<Pieces> {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return [failure(null, -32700, 'Parse error.')];
    }
    if (!Array.isArray(message)) return this.#request(message, client, onCaller);
    if (message.length > MAX_CALLS) return [failure(null, -32600, `Invalid Request: a batch holds at most ${MAX_CALLS} calls, not ${message.length}.`)];
    const answers: Pieces = ['['];
    // In order, one after another: a batch may add a download and then ask for its status.
    for (const [i, request] of message.entries()) answers.push(...(i === 0 ? [] : [',']), ...(await this.#request(request, client, onCaller)));
    answers.push(']');
    return answers;
  }

  /** One call's answer (a list's result is sent as it was written, see StatusJsonCache). */
  async #request(request: unknown, client: string, onCaller: OnCaller): Promise<Pieces> {
    if (typeof request !== 'object' || request === null) return [failure(null, -32600, 'Invalid Request.')];
    const { id, method, params } = request as Record<string, unknown>;
    if (id === undefined || typeof method !== 'string') return [failure(id ?? null, -32600, 'Invalid Request.')];
    if (params !== undefined && !Array.isArray(params)) return [failure(id, -32602, 'Invalid params.')];
    try {
      const result = await this.#call(method, params ?? [], client, onCaller, true);
      return [`{"id":${JSON.stringify(id)},"jsonrpc":"2.0","result":`, ...resultPieces(result), '}'];
    } catch (error) {
      const { code, message } = this.#asRpcError(method, error);
      return [failure(id, code, message)];
    }
  }

  async #call(method: string, params: readonly unknown[], client: string, onCaller: OnCaller, outer: boolean): Promise<unknown> {
    switch (method) {
      case 'system.listMethods':
        return [...Object.keys(ARIA2_METHODS), ...SYSTEM_METHODS];
      case 'system.listNotifications':
        return NOTIFICATIONS;
      case 'system.multicall':
        if (!outer) throw new RpcError(1, 'Recursive system.multicall forbidden.');
        return this.#multicall(params, client, onCaller);
    }
    const known = Object.hasOwn(ARIA2_METHODS, method) ? ARIA2_METHODS[method] : undefined;
    if (known === undefined) throw new RpcError(-32601, `Method not found: ${method.slice(0, 100)}.`);
    const principal = this.#auth.principal(params[0], client);
    onCaller(principal);
    authorize(principal, known.access);
    return known.run(this.#context(principal), new RpcArgs(params.slice(1)));
  }

  /** system.multicall: each call's result in a list of one, or its error object, as aria2 answers. */
  async #multicall(params: readonly unknown[], client: string, onCaller: OnCaller): Promise<RawJson> {
    const calls = params[0];
    if (!Array.isArray(calls)) throw new RpcError(1, 'The parameter at 0 has wrong type: system.multicall takes a list of calls.');
    if (calls.length > MAX_CALLS) throw new RpcError(1, `system.multicall takes at most ${MAX_CALLS} calls, not ${calls.length}.`);
    const results: Pieces = ['['];
    for (const call of calls) {
      const { methodName, params: inner } = (typeof call === 'object' && call !== null ? call : {}) as Record<string, unknown>;
      try {
        if (typeof methodName !== 'string') throw new RpcError(1, 'Missing methodName.');
        if (inner !== undefined && !Array.isArray(inner)) throw new RpcError(1, 'Missing params.');
        const result = await this.#call(methodName, inner ?? [], client, onCaller, false);
        results.push(results.length > 1 ? ',[' : '[', ...resultPieces(result), ']');
      } catch (error) {
        results.push(results.length > 1 ? ',' : '', JSON.stringify(this.#asRpcError(String(methodName), error)));
      }
    }
    results.push(']');
    return new RawJson(joinPieces(results));
  }

  #context(principal: Principal): Aria2Context {
    return { engine: this.#opts.engine, principal, gids: this.#gids, removed: this.#removed, changeSettings: this.#opts.changeSettings, sessionId: this.#sessionId, statuses: this.#statuses };
  }

  #asRpcError(method: string, error: unknown): { code: number; message: string } {
    if (error instanceof RpcError) return { code: error.code, message: error.message };
    if (error instanceof HaulError && error.code !== 'INTERNAL') return { code: 1, message: error.message };
    this.#opts.log(`haul: aria2 RPC ${method.slice(0, 100)} failed: ${(error as Error).stack ?? String(error)}`);
    return { code: 1, message: 'Haul failed to answer this call; see its log.' };
  }
}

function failure(id: unknown, code: number, message: string): string {
  return JSON.stringify({ id, jsonrpc: '2.0', error: { code, message } });
}
