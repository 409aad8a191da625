/**
 * Site rules (Settings `siteRules`): options a download takes from the first rule its host
 * matches, when it is added. Pure, shared by the engine and the interface.
 */
export interface SiteRule {
  /** `example.com`, `*.example.com` (the domain and every name below it), or `*`. */
  match: string;
  connections?: number | undefined;
  speedLimit?: number | undefined;
  /** A folder below the download folder. */
  dir?: string | undefined;
  headers?: Record<string, string> | undefined;
  userAgent?: string | undefined;
  referer?: string | undefined;
  /** Actions (by name, from Settings) its downloads run when they finish, besides their own. */
  actions?: string[] | undefined;
}

/** Headers whose values are secrets: the API shows them as HIDDEN, and HIDDEN sent back keeps them. */
export const SECRET_HEADERS: ReadonlySet<string> = new Set(['cookie', 'authorization', 'proxy-authorization']);
export const HIDDEN = '(hidden)';

export function hostMatches(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase();
  const h = host.toLowerCase().replace(/\.$/u, '');
  if (p === '*') return true;
  if (p.startsWith('*.')) return h === p.slice(2) || h.endsWith(p.slice(1));
  return h === p;
}

/** The first rule whose pattern matches `url`'s host. */
export function ruleFor(url: string, rules: readonly SiteRule[]): SiteRule | undefined {
  if (!URL.canParse(url)) return undefined;
  const host = new URL(url).hostname.replace(/^\[|\]$/gu, '');
  return rules.find((rule) => hostMatches(rule.match, host));
}

/** The rules as the API shows them: secret header values hidden. */
export function maskRules(rules: readonly SiteRule[]): SiteRule[] {
  return rules.map((rule) =>
    rule.headers === undefined ? rule : { ...rule, headers: Object.fromEntries(Object.entries(rule.headers).map(([k, v]) => [k, SECRET_HEADERS.has(k.toLowerCase()) ? HIDDEN : v])) },
  );
}

/** `next` with every HIDDEN value taken from the rule of the same pattern in `prev` (an edit sends back what it was shown). */
export function keepHidden(next: readonly SiteRule[], prev: readonly SiteRule[]): SiteRule[] {
  return next.map((rule) => {
    if (rule.headers === undefined) return rule;
    const before = prev.find((p) => p.match === rule.match)?.headers ?? {};
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(rule.headers)) {
      const kept = value === HIDDEN ? Object.entries(before).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1] : value;
      if (kept !== undefined) headers[name] = kept;
    }
    return { ...rule, headers };
  });
}
