import net from 'node:net';

type Env = Record<string, string | undefined>;

/** How one request reaches its server. */
export type ProxyRoute =
  | { kind: 'direct' }
  /** Through an HTTP(S) proxy: absolute-form requests for http://, CONNECT tunnels for https://. */
  | { kind: 'http'; proxy: URL; variable: string }
  /** Through a SOCKS5 proxy, which also resolves the server's name. */
  | { kind: 'socks5'; proxy: URL; variable: string }
  /** The variable that applies holds something Haul cannot use. */
  | { kind: 'invalid'; variable: string; message: string };

/**
 * The proxy for `url` under curl's rules, read from the environment:
 * - `http_proxy` for http://, `https_proxy` for https:// (each in either case, lower-case
 *   first), else `all_proxy`; a value without a scheme means http://.
 * - `no_proxy`: comma-separated names (a name also matches its subdomains, a leading dot is
 *   optional), IP addresses and CIDR ranges (`10.0.0.0/8`, `::1/128`), or `*` for all.
 * - Schemes: http, https (TLS to the proxy), socks5 and socks5h (the proxy resolves names in
 *   both: Haul never leaks them to a local resolver). Anything else is invalid and says so.
 */
export function proxyFor(url: URL, env: Env): ProxyRoute {
  if (bypassed(url, read(env, 'no_proxy') ?? '')) return { kind: 'direct' };
  const scheme = url.protocol === 'https:' ? 'https_proxy' : 'http_proxy';
  const specific = read(env, scheme);
  const variable = specific !== undefined ? scheme : 'all_proxy';
  const value = specific ?? read(env, 'all_proxy');
  if (value === undefined) return { kind: 'direct' };
  return parseProxy(value, variable.toUpperCase());
}

/** A proxy given with a download (its `proxy`, aria2's `all-proxy`), for every link of it. */
export function givenProxy(value: string): ProxyRoute {
  return parseProxy(value, "the download's proxy");
}

function read(env: Env, name: string): string | undefined {
  const value = env[name] ?? env[name.toUpperCase()];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function parseProxy(value: string, variable: string): ProxyRoute {
  const text = /^[a-z][a-z0-9+.-]*:\/\//iu.test(value) ? value : `http://${value}`;
  let proxy: URL;
  try {
    proxy = new URL(text);
  } catch {
    return {
      kind: 'invalid',
      variable,
      message: `${variable} is "${value.slice(0, 100)}", which is not a proxy address. Use a value such as http://127.0.0.1:3128 or socks5h://127.0.0.1:1080, or unset it.`,
    };
  }
  if (proxy.hostname === '') return { kind: 'invalid', variable, message: `${variable} ("${value.slice(0, 100)}") names no proxy host. Use a value such as http://127.0.0.1:3128, or unset it.` };
  switch (proxy.protocol) {
    case 'http:':
    case 'https:':
      return { kind: 'http', proxy, variable };
    case 'socks5:':
    case 'socks5h:':
      return { kind: 'socks5', proxy: new URL(proxy.href.replace(/^socks5h:/iu, 'socks5:')), variable };
    default:
      return {
        kind: 'invalid',
        variable,
        message: `${variable} uses "${proxy.protocol.slice(0, -1)}" proxies, which Haul does not support. Use an http://, https://, socks5:// or socks5h:// proxy, or unset it.`,
      };
  }
}

/** Whether `no_proxy` exempts `url`'s host. */
export function bypassed(url: URL, noProxy: string): boolean {
  const host = url.hostname.replace(/^\[|\]$/gu, '').toLowerCase();
  for (const raw of noProxy.split(',')) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    if (entry.includes('/')) {
      if (inCidr(host, entry)) return true;
      continue;
    }
    const name = entry
      .replace(/^\[|\]$/gu, '')
      .replace(/^\*?\./u, '')
      .replace(/:\d+$/u, '');
    if (host === name || (net.isIP(host) === 0 && host.endsWith(`.${name}`))) return true;
  }
  return false;
}

function inCidr(host: string, cidr: string): boolean {
  const [base = '', bitsText = ''] = cidr.split('/');
  const family = net.isIP(base);
  const bits = Number(bitsText);
  if (family === 0 || net.isIP(host) !== family || !Number.isInteger(bits)) return false;
  const list = new net.BlockList();
  try {
    list.addSubnet(base, bits, family === 4 ? 'ipv4' : 'ipv6');
  } catch {
    return false;
  }
  return list.check(host, family === 4 ? 'ipv4' : 'ipv6');
}
