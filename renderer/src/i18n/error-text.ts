import { isErrorCode, type ErrorParams } from '../../../shared/error-codes.ts';
import type { ClientErrorCode } from '../api/api-client.ts';
import { interpolate, type Locale } from './messages.ts';

/**
 * What each error code means, per locale. The server's message is English and specific (host,
 * status, path); a locale other than English leads with its own sentence for the code and keeps
 * that message as the detail, so nothing the user may need to act on is lost in translation.
 * English needs no summary: the message already says it. The record type makes a code added to
 * the shared union without a translation a compile error.
 */
const SUMMARIES: Record<Exclude<Locale, 'en'>, Record<ClientErrorCode, string>> = {
  'zh-CN': {
    INVALID_URL: '链接无效',
    UNSUPPORTED_PROTOCOL: '不支持此类链接，仅支持 http、https 和磁力链接',
    INVALID_FIELD: '填写的值无效',
    INVALID_JSON: '请求内容不是有效的 JSON',
    BAD_REQUEST: '请求格式不正确',
    PAYLOAD_TOO_LARGE: '请求内容过大',
    UNSUPPORTED_MEDIA_TYPE: '请求内容类型不受支持',
    UNAUTHORIZED: '未获授权，请通过 "haul serve" 打印的链接重新打开 Haul',
    FORBIDDEN_HOST: '请求的主机名不被允许',
    FORBIDDEN_ORIGIN: '请求来源不被允许',
    NOT_PAIRED: '此浏览器尚未与 Haul 配对',
    FORBIDDEN: '你的账户没有执行此操作的权限',
    TOO_MANY_ATTEMPTS: '登录失败次数过多，请稍后再试',
    NOT_FOUND: '找不到该下载，可能已被移除',
    METHOD_NOT_ALLOWED: '不支持此请求方法',
    INVALID_STATE: '下载当前的状态不允许此操作',
    CONFIRMATION_REQUIRED: '此操作需要你先确认',
    NO_DESKTOP: '运行 Haul 的机器没有桌面，无法在那里打开文件；请改为保存到此设备',
    HTTP_ERROR: '服务器返回了错误',
    NETWORK_ERROR: '网络连接失败',
    TIMEOUT: '服务器长时间无响应',
    TOO_MANY_REDIRECTS: '重定向次数过多',
    REDIRECT_NOT_ALLOWED: '重定向到了不支持的地址',
    CHECKSUM_MISMATCH: '文件校验值不符，文件可能已损坏',
    TLS_ERROR: '服务器的证书不受信任或 TLS 握手失败',
    PROXY_ERROR: '代理服务器拒绝连接或设置有误',
    BAD_PLAYLIST: '视频播放列表无法读取',
    DRM_PROTECTED: '此视频受 DRM 保护，Haul 不下载',
    LIVE_STREAM: '这是直播流，Haul 暂不录制直播',
    BAD_TORRENT: '种子文件已损坏或不安全',
    DISK_FULL: '磁盘已满，释放空间后可继续，已下载的部分会保留',
    PERMISSION_DENIED: '没有写入权限，请换一个可写入的文件夹',
    FILE_ERROR: '读写文件时出错',
    INTERNAL: 'Haul 内部出错',
    UNAVAILABLE: 'Haul 的共享 Redis 暂时无法访问，请稍后再试',
    NETWORK: '无法连接到 Haul',
  },
};

const WITH_DETAIL: Record<Exclude<Locale, 'en'>, string> = { 'zh-CN': '{summary}（{detail}）' };

type Sentence = (p: ErrorParams) => string | undefined;

function zhStatusHint(status: number): string {
  if (status === 404 || status === 410) return '文件不存在，请检查链接';
  if (status === 401 || status === 403) return '服务器拒绝访问，请检查链接，或加上它需要的 Cookie 或凭据';
  if (status === 408 || status === 429 || status >= 500) return '服务器暂时出错';
  return '请检查链接';
}

/**
 * Haul's own sentences, whole, where the error carries its specifics (host, status, path):
 * the user reads their language and keeps every detail they need to act on.
 */
const SENTENCES: Record<Exclude<Locale, 'en'>, Partial<Record<ClientErrorCode, Sentence>>> = {
  'zh-CN': {
    HTTP_ERROR: (p) => (p.host === undefined || p.status === undefined ? undefined : `${p.host} 返回了 HTTP ${p.status}：${zhStatusHint(p.status)}`),
    NETWORK_ERROR: (p) => (p.host === undefined ? undefined : `与 ${p.host} 的连接失败`),
    TIMEOUT: (p) => (p.host === undefined ? undefined : `${p.host} 长时间无响应`),
    TLS_ERROR: (p) => (p.host === undefined ? undefined : `${p.host} 的证书不受信任或 TLS 握手失败：请信任它的 CA 证书（--ca-cert），或检查地址是否真的提供 https`),
    DISK_FULL: (p) => (p.path === undefined ? undefined : `磁盘已满，无法写入 ${p.path}。释放空间后继续即可，已下载的部分会保留`),
    PERMISSION_DENIED: (p) => (p.path === undefined ? undefined : `没有权限写入 ${p.path}。请换一个可写入的文件夹，或修改它的权限`),
  },
};

const STOPPED_AFTER: Record<Exclude<Locale, 'en'>, (tries: number) => string> = { 'zh-CN': (tries) => `。已重试 ${tries} 次仍无进展，Haul 已停止，请稍后重试` };

/**
 * The sentence to show for an error in `locale`: a wire error, an `ApiError`, or anything thrown
 * (a failure without a known code keeps its own message).
 */
export function errorText(locale: Locale, error: unknown): string {
  const { code, message, params } = shownError(error);
  if (locale === 'en' || code === undefined) return message;
  const whole = params === undefined ? undefined : SENTENCES[locale][code]?.(params);
  if (whole !== undefined) return params?.tries === undefined ? whole : `${whole}${STOPPED_AFTER[locale](params.tries)}`;
  return interpolate(WITH_DETAIL[locale], { summary: SUMMARIES[locale][code], detail: message });
}

function shownError(error: unknown): { code: ClientErrorCode | undefined; message: string; params: ErrorParams | undefined } {
  if (typeof error !== 'object' || error === null) return { code: undefined, message: String(error), params: undefined };
  const { code, message, params } = error as { code?: unknown; message?: unknown; params?: unknown };
  const text = typeof message === 'string' ? message : String(error);
  const specifics = typeof params === 'object' && params !== null ? (params as ErrorParams) : undefined;
  return { code: code === 'NETWORK' || isErrorCode(code) ? code : undefined, message: text, params: specifics };
}
