import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../../helpers/run-cli.ts';

const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { build: { electronFuses?: Record<string, boolean>; asar?: boolean }; engines?: { node?: string } };
// electron-builder's own declaration of the fuses it can flip: a misspelt key would be ignored silently.
const fuseDeclaration = fs.readFileSync(path.join(REPO, 'node_modules', 'app-builder-lib', 'out', 'configuration.d.ts'), 'utf8');

describe('packaged builds', () => {
  it('flip the Electron fuses: no running as Node, no NODE_OPTIONS, no inspector; encrypted cookies and asar integrity', () => {
    expect(pkg.build.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
    const declared = fuseDeclaration.slice(fuseDeclaration.indexOf('export interface FuseOptionsV1'));
    for (const key of Object.keys(pkg.build.electronFuses ?? {})) expect(declared, key).toMatch(new RegExp(`\\b${key}\\?: boolean`, 'u'));
    expect(pkg.build.asar).toBe(true);
  });

  it('say which Node they need', () => {
    expect(pkg.engines?.node).toBe('>=24.0.0');
  });
});
