import { ROUTES, type RouteName } from '../../shared/routes.ts';
import { HaulError } from '../engine/errors.ts';

export interface RouteMatch {
  name: RouteName;
  params: Record<string, string>;
}

const COMPILED = (Object.entries(ROUTES) as Array<[RouteName, (typeof ROUTES)[RouteName]]>).map(([name, route]) => {
  const keys: string[] = [];
  const pattern = route.path.replace(/:([a-z]+)/giu, (_m, key: string) => {
    keys.push(key);
    return '([^/]+)';
  });
  return { name, method: route.method as string, regex: new RegExp(`^${pattern}$`, 'u'), keys };
});

/**
 * Matches a request against the shared route table. Returns the route, or the methods the
 * path allows (for 405) when only the method is wrong, or undefined for an unknown path.
 */
export function matchRoute(method: string, pathname: string): RouteMatch | { allowed: string[] } | undefined {
  const allowed: string[] = [];
  for (const route of COMPILED) {
    const m = route.regex.exec(pathname);
    if (m === null) continue;
    if (route.method !== method) {
      allowed.push(route.method);
      continue;
    }
    const params: Record<string, string> = {};
    route.keys.forEach((key, i) => {
      params[key] = decodeParam(key, m[i + 1] ?? '');
    });
    return { name: route.name, params };
  }
  return allowed.length > 0 ? { allowed } : undefined;
}

function decodeParam(key: string, raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch (cause) {
    throw new HaulError('BAD_REQUEST', `The ${key} in the path is not valid percent-encoding: ${JSON.stringify(raw.slice(0, 100))}.`, { cause });
  }
}
