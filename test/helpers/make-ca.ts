import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface TestCa {
  /** PEM of the CA certificate (what a client is told to trust). */
  caCert: string;
  caFile: string;
  /** Key and certificate of a server for 127.0.0.1 and localhost, signed by the CA, and their files. */
  key: string;
  cert: string;
  keyFile: string;
  certFile: string;
}

/**
 * A throwaway CA and a server certificate for loopback, made in `dir` with openssl as a real
 * deployment would. Used by the tests (test-ca.ts) and the HTTPS benchmark.
 */
export function makeCa(dir: string, names: readonly string[] = []): TestCa {
  const run = (...args: string[]): void => void execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  run(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=Haul test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  run('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  fs.writeFileSync(path.join(dir, 'ext.cnf'), `subjectAltName=${['IP:127.0.0.1', 'DNS:localhost', ...names.map((n) => `DNS:${n}`)].join(',')}\nextendedKeyUsage=serverAuth\n`);
  run('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'ext.cnf');
  const file = (name: string): string => path.join(dir, name);
  const read = (name: string): string => fs.readFileSync(file(name), 'utf8');
  return { caCert: read('ca.pem'), caFile: file('ca.pem'), key: read('server.key'), cert: read('server.pem'), keyFile: file('server.key'), certFile: file('server.pem') };
}
