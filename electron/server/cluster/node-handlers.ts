import type { RouteName } from '../../../shared/routes.ts';
import { HaulError } from '../../engine/errors.ts';
import { readJsonBody } from '../json-body.ts';
import { ok, parseBody, type RouteHandlers } from '../route-handler.ts';

/** The nodes sharing this Haul: listed (an empty list for one node alone), and drained by an admin. */
export const NODE_HANDLERS: RouteHandlers<Extract<RouteName, 'listNodes' | 'drainNode'>> = {
  listNodes: async ({ cluster }) => ok(cluster === undefined ? { self: '', nodes: [] } : { self: cluster.self, nodes: await cluster.nodes() }),
  drainNode: async ({ req, cluster, params }) => {
    const raw = await readJsonBody(req);
    if (cluster === undefined) throw new HaulError('INVALID_STATE', 'This Haul runs as one node; nodes share work once each is started with --redis.');
    const { draining } = parseBody('drainNode', raw);
    await cluster.drain(params.name, draining);
    const node = (await cluster.nodes()).find((n) => n.name === params.name);
    if (node === undefined) throw new HaulError('NOT_FOUND', `There is no node "${params.name.slice(0, 100)}"; GET /api/nodes lists them.`);
    return ok(node);
  },
};
