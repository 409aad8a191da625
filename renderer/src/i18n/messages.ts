/** English is the reference catalog: its keys are the only keys. */
export const en = {
  'app.title': 'Haul',
  'app.tagline': 'Downloads',
  'add.placeholder': 'Paste one or more links (one per line) and press Enter',
  'add.button': 'Add',
  'add.options': 'Options',
  'add.folder': 'Folder',
  'add.folderHint': 'Default download folder',
  'add.filename': 'File name',
  'add.filenameHint': "Server's name",
  'add.connections': 'Connections',
  'add.choose': 'Choose…',
  'add.dropHint': 'Drop links here',
  'add.invalid': 'Line {line}: {message}',
  'add.added': '{count, plural, one {Added # download.} other {Added # downloads.}}',
  'status.queued': 'Queued',
  'status.downloading': 'Downloading',
  'status.retrying': 'Waiting to retry',
  'status.paused': 'Paused',
  'status.completed': 'Completed',
  'status.failed': 'Failed',
  'action.pause': 'Pause',
  'action.resume': 'Resume',
  'action.retry': 'Retry',
  'action.remove': 'Remove',
  'action.removeWithFile': 'Remove with file',
  'action.copyUrl': 'Copy URL',
  'action.copied': 'Copied',
  'action.open': 'Open',
  'action.showInFolder': 'Show in folder',
  'action.more': 'More actions for {name}',
  'bulk.pauseAll': 'Pause all',
  'bulk.resumeAll': 'Resume all',
  'bulk.clearCompleted': 'Clear completed',
  'filter.all': 'All',
  'filter.active': 'Active',
  'filter.completed': 'Completed',
  'filter.failed': 'Failed',
  'filter.label': 'Show',
  'search.placeholder': 'Search by name or URL',
  'search.label': 'Search downloads',
  'totals.active': '{count} active',
  'totals.speed': '{speed} total',
  'totals.limit': 'limited to {speed}',
  'row.of': '{received} of {total}',
  'row.unknownSize': '{received}, size unknown',
  'row.eta': '{time} left',
  'row.connections': '{count} conn.',
  'row.progress': 'Progress of {name}',
  'row.retrying': 'Retrying in {time} (retry {attempt} of {limit}): {reason}',
  'empty.title': 'Nothing downloading yet',
  'empty.body': 'Paste a link above, or drop one onto this window. Haul resumes interrupted downloads and never overwrites your files.',
  'empty.filtered': 'No downloads match.',
  'banner.reconnecting': 'Connection to Haul lost. Reconnecting…',
  'banner.unauthorized': 'This page is no longer authorised. Open Haul again from the link printed by "haul serve".',
  'banner.noToken': 'No access token. Open Haul from the link printed by "haul serve" (it ends in #token=…).',
  'settings.title': 'Settings',
  'settings.open': 'Settings',
  'settings.downloadDir': 'Download folder',
  'settings.maxConcurrent': 'Downloads at once',
  'settings.connections': 'Connections per download',
  'settings.speedLimit': 'Speed limit (KiB/s, 0 = none)',
  'settings.save': 'Save',
  'settings.cancel': 'Cancel',
  'settings.saved': 'Settings saved.',
  'language.label': 'Language',
  'error.generic': 'Something went wrong: {message}',
} as const;

export type MessageKey = keyof typeof en;
export type Catalog = Record<MessageKey, string>;

/** Simplified Chinese; the type makes a missing string a compile error. */
export const zhCN: Catalog = {
  'app.title': 'Haul',
  'app.tagline': '下载',
  'add.placeholder': '粘贴一个或多个链接（每行一个），按回车添加',
  'add.button': '添加',
  'add.options': '选项',
  'add.folder': '文件夹',
  'add.folderHint': '默认下载文件夹',
  'add.filename': '文件名',
  'add.filenameHint': '服务器提供的名称',
  'add.connections': '连接数',
  'add.choose': '选择…',
  'add.dropHint': '将链接拖放到这里',
  'add.invalid': '第 {line} 行：{message}',
  'add.added': '已添加 {count} 个下载。',
  'status.queued': '排队中',
  'status.downloading': '下载中',
  'status.retrying': '等待重试',
  'status.paused': '已暂停',
  'status.completed': '已完成',
  'status.failed': '失败',
  'action.pause': '暂停',
  'action.resume': '继续',
  'action.retry': '重试',
  'action.remove': '移除',
  'action.removeWithFile': '移除并删除文件',
  'action.copyUrl': '复制链接',
  'action.copied': '已复制',
  'action.open': '打开',
  'action.showInFolder': '在文件夹中显示',
  'action.more': '{name} 的更多操作',
  'bulk.pauseAll': '全部暂停',
  'bulk.resumeAll': '全部继续',
  'bulk.clearCompleted': '清除已完成',
  'filter.all': '全部',
  'filter.active': '进行中',
  'filter.completed': '已完成',
  'filter.failed': '失败',
  'filter.label': '显示',
  'search.placeholder': '按名称或链接搜索',
  'search.label': '搜索下载',
  'totals.active': '{count} 个进行中',
  'totals.speed': '总速度 {speed}',
  'totals.limit': '限速 {speed}',
  'row.of': '{received} / {total}',
  'row.unknownSize': '{received}，大小未知',
  'row.eta': '剩余 {time}',
  'row.connections': '{count} 个连接',
  'row.progress': '{name} 的进度',
  'row.retrying': '{time}后重试（第 {attempt}/{limit} 次）：{reason}',
  'empty.title': '还没有下载任务',
  'empty.body': '在上方粘贴链接，或将链接拖放到此窗口。Haul 会续传中断的下载，且从不覆盖你的文件。',
  'empty.filtered': '没有匹配的下载。',
  'banner.reconnecting': '与 Haul 的连接已断开，正在重新连接…',
  'banner.unauthorized': '此页面已失去授权。请通过 "haul serve" 打印的链接重新打开 Haul。',
  'banner.noToken': '缺少访问令牌。请通过 "haul serve" 打印的链接打开 Haul（以 #token=… 结尾）。',
  'settings.title': '设置',
  'settings.open': '设置',
  'settings.downloadDir': '下载文件夹',
  'settings.maxConcurrent': '同时下载数',
  'settings.connections': '每个下载的连接数',
  'settings.speedLimit': '限速（KiB/s，0 表示不限）',
  'settings.save': '保存',
  'settings.cancel': '取消',
  'settings.saved': '设置已保存。',
  'language.label': '语言',
  'error.generic': '出错了：{message}',
};

export type Locale = 'en' | 'zh-CN';
export const LOCALES: readonly Locale[] = ['en', 'zh-CN'];
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', 'zh-CN': '简体中文' };
export const CATALOGS: Record<Locale, Catalog> = { en, 'zh-CN': zhCN };

/** The first of the user's languages Haul speaks; English otherwise. */
export function pickLocale(preferred: readonly string[]): Locale {
  for (const tag of preferred) {
    const lower = tag.toLowerCase();
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}

/** Fills `{name}` placeholders. */
/**
 * Fills `{name}` placeholders, and picks plural forms written as in ICU messages:
 * `{count, plural, one {# file} other {# files}}` (the form by Intl.PluralRules for
 * `locale`; `#` is the number). Forms hold no braces of their own.
 */
export function interpolate(template: string, params: Record<string, string | number> = {}, locale: string = 'en'): string {
  const plurals = new Intl.PluralRules(locale);
  const chosen = template.replace(/\{(\w+), plural,((?:\s*\w+ \{[^{}]*\})+)\s*\}/gu, (whole, key: string, forms: string) => {
    const value = params[key];
    if (typeof value !== 'number') return whole;
    const byCategory = new Map([...forms.matchAll(/(\w+) \{([^{}]*)\}/gu)].map((m) => [m[1] ?? '', m[2] ?? '']));
    const form = byCategory.get(plurals.select(value)) ?? byCategory.get('other') ?? whole;
    return form.replace(/#/gu, value.toLocaleString(locale));
  });
  return chosen.replace(/\{(\w+)\}/gu, (whole, key: string) => (key in params ? String(params[key]) : whole));
}
