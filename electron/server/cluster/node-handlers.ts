import type { NodesAnswer } from '../../../shared/api.ts';
import type { RouteName } from '../../../shared/routes.ts';
import { HaulError, InputError } from '../../engine/errors.ts';
import type { ApiContext } from '../api-handlers.ts';
import { readJsonBody } from '../json-body.ts';
import { sendJson } from '../respond.ts';

type Handler = (ctx: ApiContext) => Promise<void> | void;

/** The nodes sharing this Haul: listed (an empty list for one node alone), and drained by an admin. */
export const NODE_HANDLERS: Record<Extract<RouteName, 'listNodes' | 'drainNode'>, Handler> = {
  listNodes: async ({ res, cluster, headers }) => {
    const answer: NodesAnswer = cluster === undefined ? { self: '', nodes: [] } : { self: cluster.self, nodes: await cluster.nodes() };
    sendJson(res, 200, answer, headers);
  },
  drainNode: async ({ req, res, cluster, params, headers }) => {
    const body = (await readJsonBody(req)) as Record<string, unknown> | null;
    if (cluster === undefined) throw new HaulError('INVALID_STATE', 'This Haul runs as one node; nodes share work once each is started with --redis.');
    const draining = body?.['draining'];
    if (typeof draining !== 'boolean') throw new InputError('INVALID_FIELD', '"draining" must be true (hand this node\'s downloads to the others and take no more) or false.', 'draining');
    const name = params['name'] ?? '';
    await cluster.drain(name, draining);
    const node = (await cluster.nodes()).find((n) => n.name === name);
    sendJson(res, 200, node, headers);
  },
};
