import { SETTINGS_LIMITS, WHEN_DONE_ACTIONS, type Settings, type WhenDoneAction } from './api.ts';
import { asObject, folder, headersOf, integerIn, parser, Wrong } from './body-parse.ts';
import type { SiteRule } from './site-rules.ts';
import type { ActionDef } from './actions.ts';
import { isSubfolder, type Category } from './categories.ts';
import type { BodyParser } from './route-bodies.ts';
import { DAYS, minutesOf, type Day, type Schedule, type ScheduleWindow } from './schedule.ts';
import { TORRENT_LIMITS, type TorrentSettings } from './torrent.ts';

/** A settings change as parsed: the settings given; of `torrent`, only the fields given (merged with the current ones). */
export type SettingsPatch = Omit<Partial<Settings>, 'torrent'> & { torrent?: Partial<TorrentSettings> };

/** A settings change: only the settings given, each checked (the engine makes the folder absolute and checks it may be used). */
export const parseSettingsBody: BodyParser<SettingsPatch> = parser((raw) => {
  const obj = asObject(raw, 'body');
  const out: SettingsPatch = {};
  for (const [key, value] of Object.entries(obj)) {
    switch (key) {
      case 'downloadDir':
        out.downloadDir = folder(value, key);
        break;
      case 'maxConcurrent':
      case 'connectionsPerDownload':
      case 'speedLimit':
      case 'rpcPort':
      case 'whenDoneCountdown':
        out[key] = integerIn(value, key, SETTINGS_LIMITS[key]);
        break;
      case 'whenDone':
        if (typeof value !== 'string' || !(WHEN_DONE_ACTIONS as readonly string[]).includes(value)) throw new Wrong(key, `"whenDone" must be one of ${WHEN_DONE_ACTIONS.join(', ')}.`);
        out.whenDone = value as WhenDoneAction;
        break;
      case 'schedule':
        out.schedule = value === null ? null : scheduleOf(value);
        break;
      case 'categories':
        out.categories = categoriesOf(value);
        break;
      case 'siteRules':
        out.siteRules = siteRulesOf(value);
        break;
      case 'actions':
        out.actions = actionsOf(value);
        break;
      case 'torrent':
        out.torrent = torrentOf(value);
        break;
      default:
        throw new Wrong(
          key,
          `"${key}" is not a setting; use downloadDir, maxConcurrent, connectionsPerDownload, speedLimit, rpcPort, schedule, whenDone, whenDoneCountdown, categories, siteRules, actions or torrent.`,
        );
    }
  }
  return out;
});

/** At most this many windows: a week of several a day. */
const MAX_WINDOWS = 50;

/** `schedule`: `{ windows: [{ days, start, end, speedLimit }] }`, each window named by its place when wrong. */
function scheduleOf(value: unknown): Schedule {
  const obj = asObject(value, 'schedule');
  const windows = obj['windows'];
  if (!Array.isArray(windows) || windows.length === 0) throw new Wrong('schedule', '"schedule.windows" must list at least one window (or set "schedule" to null for none).');
  if (windows.length > MAX_WINDOWS) throw new Wrong('schedule', `"schedule.windows" has ${windows.length} windows; at most ${MAX_WINDOWS}.`);
  for (const key of Object.keys(obj)) if (key !== 'windows') throw new Wrong('schedule', `"schedule.${key}" is not known; a schedule has only "windows".`);
  return { windows: windows.map((w: unknown, i) => windowOf(w, `schedule.windows[${i}]`)) };
}

function windowOf(value: unknown, at: string): ScheduleWindow {
  const w = asObject(value, at);
  for (const key of Object.keys(w))
    if (!['days', 'start', 'end', 'speedLimit'].includes(key)) throw new Wrong('schedule', `"${at}.${key}" is not known; a window has days, start, end and speedLimit.`);
  const days = w['days'];
  if (!Array.isArray(days) || days.length === 0 || !days.every((d): d is Day => typeof d === 'string' && (DAYS as readonly string[]).includes(d)))
    throw new Wrong('schedule', `"${at}.days" must list days among ${DAYS.join(', ')}.`);
  const time = (key: 'start' | 'end'): string => {
    const text = w[key];
    if (typeof text !== 'string' || minutesOf(text) === undefined) throw new Wrong('schedule', `"${at}.${key}" must be a time such as "01:00" (24-hour, HH:MM).`);
    return text;
  };
  const [start, end] = [time('start'), time('end')];
  if (start === end) throw new Wrong('schedule', `"${at}" starts and ends at ${start}; give it some time (it may end the next day, as 23:00 to 06:00).`);
  const limit = w['speedLimit'];
  const speedLimit = limit === undefined || limit === null ? null : integerIn(limit, `${at}.speedLimit`, SETTINGS_LIMITS.speedLimit);
  return { days: [...new Set(days)], start, end, speedLimit };
}

/** At most this many categories, each with this many extensions. */
const MAX_CATEGORIES = 50;
const MAX_EXTENSIONS = 200;

/** `categories`: each with a unique name, its extensions (without dots) and a folder below the download folder. */
function categoriesOf(value: unknown): Category[] {
  if (!Array.isArray(value) || value.length > MAX_CATEGORIES) throw new Wrong('categories', `"categories" must be a list of at most ${MAX_CATEGORIES} categories.`);
  const names = new Set<string>();
  return value.map((raw: unknown, i) => {
    const at = `categories[${i}]`;
    const c = asObject(raw, at);
    for (const key of Object.keys(c))
      if (!['name', 'extensions', 'dir', 'actions'].includes(key)) throw new Wrong('categories', `"${at}.${key}" is not known; a category has name, extensions, dir and actions.`);
    const name = c['name'];
    if (typeof name !== 'string' || name.trim() === '' || name.length > 40) throw new Wrong('categories', `"${at}.name" must be a name of 1 to 40 characters.`);
    if (names.has(name.toLowerCase())) throw new Wrong('categories', `"${at}.name": "${name}" is there twice.`);
    names.add(name.toLowerCase());
    const extensions = c['extensions'];
    if (!Array.isArray(extensions) || extensions.length > MAX_EXTENSIONS || !extensions.every((e) => typeof e === 'string' && /^[A-Za-z0-9]{1,16}$/u.test(e)))
      throw new Wrong('categories', `"${at}.extensions" must list extensions such as "mp4" (letters and digits, no dot).`);
    const dir = c['dir'];
    if (typeof dir !== 'string' || !isSubfolder(dir)) throw new Wrong('categories', `"${at}.dir" must be a folder below the download folder, such as "Video" (not absolute, no "..").`);
    const actions = c['actions'];
    if (actions !== undefined && (!Array.isArray(actions) || !actions.every((a) => typeof a === 'string'))) throw new Wrong('categories', `"${at}.actions" must list action names.`);
    return { name: name.trim(), extensions: [...new Set(extensions.map((e: string) => e.toLowerCase()))], dir, ...(actions === undefined ? {} : { actions: actions as string[] }) };
  });
}

const MAX_RULES = 100;
const MAX_ACTIONS = 50;
const RULE_FIELDS = ['match', 'connections', 'speedLimit', 'dir', 'headers', 'userAgent', 'referer', 'actions'];

/** `siteRules`: each with a host pattern and the options it gives (see shared/site-rules.ts). */
function siteRulesOf(value: unknown): SiteRule[] {
  if (!Array.isArray(value) || value.length > MAX_RULES) throw new Wrong('siteRules', `"siteRules" must be a list of at most ${MAX_RULES} rules.`);
  return value.map((raw: unknown, i) => {
    const at = `siteRules[${i}]`;
    const r = asObject(raw, at);
    for (const key of Object.keys(r)) if (!RULE_FIELDS.includes(key)) throw new Wrong('siteRules', `"${at}.${key}" is not known; a rule has ${RULE_FIELDS.join(', ')}.`);
    const match = r['match'];
    if (typeof match !== 'string' || !/^(\*|(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*)$/iu.test(match)) throw new Wrong('siteRules', `"${at}.match" must be a host such as example.com, *.example.com or *.`);
    const rule: SiteRule = { match: match.toLowerCase() };
    if (r['connections'] !== undefined) rule.connections = integerIn(r['connections'], `${at}.connections`, SETTINGS_LIMITS.connectionsPerDownload);
    if (r['speedLimit'] !== undefined) rule.speedLimit = integerIn(r['speedLimit'], `${at}.speedLimit`, SETTINGS_LIMITS.speedLimit);
    if (r['dir'] !== undefined) {
      const dir = r['dir'];
      if (typeof dir !== 'string' || !isSubfolder(dir)) throw new Wrong('siteRules', `"${at}.dir" must be a folder below the download folder (not absolute, no "..").`);
      rule.dir = dir;
    }
    if (r['headers'] !== undefined) rule.headers = headersOf(r['headers']);
    for (const key of ['userAgent', 'referer'] as const) {
      const text = r[key];
      if (text === undefined) continue;
      if (typeof text !== 'string' || /[\r\n\0]/u.test(text)) throw new Wrong('siteRules', `"${at}.${key}" must be a single-line string.`);
      rule[key] = text;
    }
    const actions = r['actions'];
    if (actions !== undefined) {
      if (!Array.isArray(actions) || actions.length > MAX_ACTIONS || !actions.every((a) => typeof a === 'string')) throw new Wrong('siteRules', `"${at}.actions" must list action names.`);
      rule.actions = actions as string[];
    }
    return rule;
  });
}

/** `actions`: each named once, one of a program and its arguments (a time limit of 1 s to 1 h, default 60 s), a webhook URL, or `extract: true`. */
function actionsOf(value: unknown): ActionDef[] {
  if (!Array.isArray(value) || value.length > MAX_ACTIONS) throw new Wrong('actions', `"actions" must be a list of at most ${MAX_ACTIONS} actions.`);
  const names = new Set<string>();
  return value.map((raw: unknown, i) => {
    const at = `actions[${i}]`;
    const a = asObject(raw, at);
    const name = a['name'];
    if (typeof name !== 'string' || name.trim() === '' || name.length > 40) throw new Wrong('actions', `"${at}.name" must be a name of 1 to 40 characters.`);
    if (names.has(name)) throw new Wrong('actions', `"${at}.name": "${name}" is there twice.`);
    names.add(name);
    const run = a['run'];
    const webhook = a['webhook'];
    const extract = a['extract'];
    if ([run, webhook, extract].filter((v) => v !== undefined).length !== 1)
      throw new Wrong('actions', `"${at}" must have one of "run" (a program and its arguments), "webhook" (a URL) or "extract": true.`);
    for (const key of Object.keys(a))
      if (!['name', 'run', 'timeoutSeconds', 'webhook', 'extract'].includes(key))
        throw new Wrong('actions', `"${at}.${key}" is not known; an action has name and run (with timeoutSeconds), webhook, or extract.`);
    if (extract !== undefined) {
      if (extract !== true) throw new Wrong('actions', `"${at}.extract" must be true.`);
      return { name, extract };
    }
    if (webhook !== undefined) {
      if (typeof webhook !== 'string' || !URL.canParse(webhook) || !['http:', 'https:'].includes(new URL(webhook).protocol)) throw new Wrong('actions', `"${at}.webhook" must be an http(s) URL.`);
      return { name, webhook };
    }
    if (!Array.isArray(run) || run.length === 0 || run.length > 64 || !run.every((arg) => typeof arg === 'string' && arg.length <= 4096 && !arg.includes('\0')) || run[0] === '')
      throw new Wrong('actions', `"${at}.run" must be the program and its arguments, as a list of strings (never a shell line).`);
    const timeout = a['timeoutSeconds'];
    return { name, run: run as string[], ...(timeout === undefined ? {} : { timeoutSeconds: integerIn(timeout, `${at}.timeoutSeconds`, { min: 1, max: 3600 }) }) };
  });
}

const TORRENT_SWITCHES = ['trackers', 'dht', 'pex', 'lsd'] as const;

/** `torrent`: any of its fields (see shared/torrent.ts), each checked. */
function torrentOf(value: unknown): Partial<TorrentSettings> {
  const obj = asObject(value, 'torrent');
  const out: Partial<TorrentSettings> = {};
  for (const [key, field] of Object.entries(obj)) {
    const at = `torrent.${key}`;
    switch (key) {
      case 'trackers':
      case 'dht':
      case 'pex':
      case 'lsd':
        if (typeof field !== 'boolean') throw new Wrong('torrent', `"${at}" must be true or false.`);
        out[key] = field;
        break;
      case 'port':
      case 'maxPeers':
      case 'uploadSlots':
      case 'seedMinutes':
        out[key] = integerIn(field, at, TORRENT_LIMITS[key]);
        break;
      case 'uploadLimit':
        out.uploadLimit = integerIn(field, at, SETTINGS_LIMITS.speedLimit);
        break;
      case 'seedRatio':
        if (typeof field !== 'number' || !Number.isFinite(field) || field < 0 || field > TORRENT_LIMITS.seedRatio.max)
          throw new Wrong('torrent', `"${at}" must be a number from 0 (do not seed) to ${TORRENT_LIMITS.seedRatio.max}.`);
        out.seedRatio = field;
        break;
      default:
        throw new Wrong('torrent', `"${at}" is not known; torrent settings are port, ${TORRENT_SWITCHES.join(', ')}, uploadLimit, maxPeers, uploadSlots, seedRatio and seedMinutes.`);
    }
  }
  return out;
}
