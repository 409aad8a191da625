import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort, startFileServer, waitForPort, type BenchServer } from './file-server.ts';
import { which } from './measure.ts';

export type WebServerKind = 'nginx' | 'apache' | 'caddy';

/**
 * Serves `root` over loopback from one of the static servers people put files behind, each at
 * its defaults for static files (sendfile where it has it). Throws when it is not installed.
 */
export async function startWebServer(kind: WebServerKind, root: string, workDir: string): Promise<BenchServer> {
  switch (kind) {
    case 'nginx':
      return startFileServer(root, path.join(workDir, 'nginx'), { server: 'nginx' });
    case 'apache':
      return startApache(root, path.join(workDir, 'apache'));
    case 'caddy':
      return startCaddy(root, path.join(workDir, 'caddy'));
  }
}

async function startApache(root: string, dir: string): Promise<BenchServer> {
  const apache = which('apache2');
  if (apache === undefined) throw new Error('this benchmark needs Apache (apt-get install apache2)');
  const port = await freePort();
  fs.mkdirSync(dir, { recursive: true });
  const modules = '/usr/lib/apache2/modules';
  const conf = path.join(dir, 'httpd.conf');
  fs.writeFileSync(
    conf,
    `ServerRoot ${dir}
ServerName 127.0.0.1
LoadModule mpm_event_module ${modules}/mod_mpm_event.so
LoadModule authz_core_module ${modules}/mod_authz_core.so
Listen 127.0.0.1:${port}
PidFile ${dir}/httpd.pid
ErrorLog ${dir}/error.log
Mutex file:${dir}
${process.getuid?.() === 0 ? 'User www-data\nGroup www-data\n' : ''}DocumentRoot ${root}
EnableSendfile On
<Directory ${root}>
  Require all granted
</Directory>
`,
  );
  // As root, Apache serves as www-data (it refuses to serve as root): the files must be world-readable.
  const child = spawn(apache, ['-f', conf, '-DFOREGROUND'], { stdio: ['ignore', 'ignore', 'inherit'] });
  return served('apache', child, port);
}

async function startCaddy(root: string, dir: string): Promise<BenchServer> {
  const caddy = which('caddy');
  if (caddy === undefined) throw new Error('this benchmark needs Caddy (apt-get install caddy)');
  const port = await freePort();
  fs.mkdirSync(dir, { recursive: true });
  const conf = path.join(dir, 'Caddyfile');
  fs.writeFileSync(conf, `{\n  admin off\n  auto_https off\n}\nhttp://127.0.0.1:${port} {\n  root * ${root}\n  file_server\n}\n`);
  const child = spawn(caddy, ['run', '--config', conf, '--adapter', 'caddyfile'], {
    stdio: 'ignore',
    env: { ...process.env, HOME: dir, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir },
  });
  return served('caddy', child, port);
}

async function served(kind: 'apache' | 'caddy', child: ChildProcess, port: number): Promise<BenchServer> {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await Promise.race([waitForPort(port), exited.then(() => Promise.reject(new Error(`${kind} exited before it listened`)))]);
  return {
    kind,
    baseUrl: `http://127.0.0.1:${port}`,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
