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

  it("says Haul's own sentences whole in Chinese when the error carries its host, status or path", () => {
    const notFound = { code: 'HTTP_ERROR', message: 'h.test answered HTTP 404. The file is not there: check the URL.', params: { host: 'h.test', status: 404 } } as const;
    expect(errorText('zh-CN', notFound)).toBe('h.test 返回了 HTTP 404：文件不存在，请检查链接');
    expect(errorText('en', notFound)).toBe(notFound.message);
    const stopped = { code: 'NETWORK_ERROR', message: 'The connection to h.test:9 failed (ECONNREFUSED). Haul retried 7 times…', params: { host: 'h.test:9', tries: 7 } } as const;
    expect(errorText('zh-CN', stopped)).toBe('与 h.test:9 的连接失败。已重试 7 次仍无进展，Haul 已停止，请稍后重试');
    expect(errorText('zh-CN', { ...wire, params: { path: '/d/a.iso' } })).toBe('磁盘已满，无法写入 /d/a.iso。释放空间后继续即可，已下载的部分会保留');
    // Without the specifics it needs, the sentence falls back to the summary and the English detail.
    expect(errorText('zh-CN', { code: 'HTTP_ERROR', message: 'x', params: { path: '/p' } })).toBe('服务器返回了错误（x）');
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
