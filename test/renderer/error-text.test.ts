import { describe, expect, it } from 'vitest';
import { ERROR_STATUS } from '../../shared/error-codes.ts';
import { ApiError } from '../../renderer/src/api/api-client.ts';
import { errorText } from '../../renderer/src/i18n/error-text.ts';

describe('errorText', () => {
  const wire = { code: 'DISK_FULL', message: 'The disk is full, so Haul could not write /d/a.iso.' } as const;

  it('shows the server message as is in English', () => {
    expect(errorText('en', wire)).toBe(wire.message);
  });

  it('leads with the meaning in Chinese and keeps the server detail', () => {
    expect(errorText('zh-CN', wire)).toBe('磁盘已满，释放空间后可继续，已下载的部分会保留（The disk is full, so Haul could not write /d/a.iso.）');
    expect(errorText('zh-CN', new ApiError('NETWORK', 'Haul could not be reached (Failed to fetch).'))).toBe('无法连接到 Haul（Haul could not be reached (Failed to fetch).）');
  });

  it('has a distinct Chinese summary for every wire code', () => {
    const summaries = Object.keys(ERROR_STATUS).map((code) => errorText('zh-CN', { code, message: '' }));
    expect(summaries.every((s) => /[\u4e00-\u9fff]/u.test(s))).toBe(true);
    expect(new Set(summaries).size).toBe(summaries.length);
  });

  it('keeps the message of anything thrown without a known code', () => {
    expect(errorText('zh-CN', new Error('shell.openPath refused'))).toBe('shell.openPath refused');
    expect(errorText('zh-CN', { code: 'EACCES', message: 'permission denied' })).toBe('permission denied');
    expect(errorText('zh-CN', 'plain string')).toBe('plain string');
  });
});
