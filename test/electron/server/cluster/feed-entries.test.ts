import { describe, expect, it } from 'vitest';
import { parseEntry } from '../../../../electron/server/cluster/feed-entries.ts';

describe('parseEntry: the one reader of the shared stream', () => {
  it('reads every kind Haul writes', () => {
    expect(parseEntry({ k: 'rec', id: 'a', mode: 'update', set: '{"status":"\\"paused\\""}', del: '["error"]', from: 'n1', ref: 'n1/x:3' })).toEqual({
      kind: 'record',
      record: { id: 'a', mode: 'update', set: { status: '"paused"' }, del: ['error'], from: 'n1', ref: 'n1/x:3' },
    });
    expect(parseEntry({ k: 'ev', name: 'removed', data: '{"id":"a"}' })).toEqual({ kind: 'event', name: 'removed', data: { id: 'a' } });
    expect(parseEntry({ k: 'node', detail: '{"name":"n2","draining":true}' })).toEqual({ kind: 'node', name: 'n2', draining: true });
    expect(parseEntry({ k: 'pairing', detail: '{"from":"n1","event":{"kind":"ended","pairingId":"p"}}' })).toEqual({ kind: 'pairing', from: 'n1', event: { kind: 'ended', pairingId: 'p' } });
    expect(parseEntry({ k: 'paired' })).toEqual({ kind: 'paired' });
    expect(parseEntry({ k: 'acct', detail: 'sessions' })).toEqual({ kind: 'accounts', sessionsOnly: true });
  });

  it('says why it cannot read an entry instead of throwing', () => {
    expect(parseEntry({ k: 'rec', id: 'a', mode: 'merge' })).toMatchObject({ kind: 'unreadable', reason: expect.stringContaining('mode "merge"') });
    expect(parseEntry({ k: 'rec', id: 'a', mode: 'create', set: '{"x":1}' })).toMatchObject({ kind: 'unreadable' });
    expect(parseEntry({ k: 'ev', name: 'snapshot', data: '{}' })).toMatchObject({ kind: 'unreadable', reason: expect.stringContaining('"snapshot"') });
    expect(parseEntry({ k: 'ev', name: 'added', data: '{not json' })).toMatchObject({ kind: 'unreadable', reason: expect.stringContaining('not valid JSON') });
    expect(parseEntry({ k: 'node', detail: '{}' })).toMatchObject({ kind: 'unreadable' });
    expect(parseEntry({ k: 'future-kind' })).toMatchObject({ kind: 'unreadable', reason: expect.stringContaining('"future-kind"') });
  });
});
