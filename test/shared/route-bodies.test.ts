import { describe, expect, it } from 'vitest';
import { parseDrain, parseImportBody, parseLogin, parseMove, parseNewUser, parsePairComplete, parsePairStart } from '../../shared/route-bodies.ts';
import { ROUTES } from '../../shared/routes.ts';

describe('the bodies parsed by their routes', () => {
  it('are declared with their routes', () => {
    // Every route that takes a body: the rest take none.
    expect(Object.entries(ROUTES).flatMap(([name, route]) => ('parse' in route ? [name] : []))).toEqual([
      'addDownloads',
      'importList',
      'patchDownload',
      'patchSettings',
      'checkLinks',
      'probeStream',
      'probeTorrent',
      'openDownload',
      'moveDownload',
      'extPairStart',
      'extPairComplete',
      'extHandoff',
      'login',
      'addUser',
      'createToken',
      'drainNode',
    ]);
  });

  it('give the typed value of a good body', () => {
    expect(parseMove({ to: 'top' })).toEqual({ ok: true, value: { to: 'top' } });
    expect(parseDrain({ draining: false })).toEqual({ ok: true, value: { draining: false } });
    expect(parsePairStart({ browser: 'Chromium on Linux' })).toEqual({ ok: true, value: { browser: 'Chromium on Linux' } });
    expect(parsePairComplete({ pairingId: 'p1', code: '123456' })).toEqual({ ok: true, value: { pairingId: 'p1', code: '123456' } });
    expect(parseLogin({ name: 'ann', password: 'secret' })).toEqual({ ok: true, value: { name: 'ann', password: 'secret' } });
    expect(parseNewUser({ name: 'bob', password: 'pw' })).toEqual({ ok: true, value: { name: 'bob', password: 'pw', role: 'user' } });
    expect(parseImportBody({ text: 'https://a.example/x\n' })).toEqual({ ok: true, value: { text: 'https://a.example/x\n' } });
  });

  it('name the field that is wrong, whatever the body is', () => {
    for (const raw of [null, [], 'text', 7, {}]) {
      expect(parseMove(raw)).toMatchObject({ ok: false, field: 'to' });
      expect(parseDrain(raw)).toMatchObject({ ok: false, field: 'draining' });
      expect(parsePairStart(raw)).toMatchObject({ ok: false, field: 'browser' });
      expect(parseLogin(raw)).toMatchObject({ ok: false, field: 'name' });
      expect(parseImportBody(raw)).toMatchObject({ ok: false, field: 'text' });
    }
    expect(parsePairStart({ browser: 'x'.repeat(201) })).toMatchObject({ ok: false, message: '"browser" is required (a string of at most 200 characters).' });
    expect(parsePairComplete({ pairingId: 'p1', code: '1'.repeat(21) })).toMatchObject({ ok: false, field: 'code' });
    expect(parseNewUser({ name: 'Bob!', password: 'pw' })).toMatchObject({ ok: false, field: 'name' });
    expect(parseNewUser({ name: 'bob', password: 'pw', role: 'root' })).toMatchObject({ ok: false, field: 'role', message: '"role" must be admin, user or viewer.' });
    expect(parseMove({ to: 'sideways' })).toMatchObject({ ok: false, message: '"to" must be one of up, down, top, bottom.' });
  });
});
