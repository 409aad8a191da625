import type { Redis } from 'ioredis';

/*
 * The Lua scripts: each change to shared state and the stream entry telling every node about it
 * happen in one step, so the stream's order is the order the changes were made in. An entry's
 * id is `N-0` with N from one counter, so ids are consecutive integers (the SSE ids) and a node
 * that finds a gap knows it missed entries. A write "fenced" by a lease value is made only
 * while that lease is still held: a node that lost a download's lease cannot write for it.
 */

/** What every script starts with: append an entry (returning its number), check a fence, carry progress, requeue. */
const APPEND = `
local function append(seqKey, streamKey, maxlen, fields)
  local n = redis.call('INCR', seqKey)
  redis.call('XADD', streamKey, 'MAXLEN', '~', maxlen, n .. '-0', unpack(fields))
  return n
end
local function fenced(leaseKey, value)
  return value ~= '' and redis.call('GET', leaseKey) ~= value
end
-- A handover's entry carries the durable progress too (checkpoints make no entries), so every
-- node shows the bytes already held while the next node starts.
local function withProgress(downloadKey, set)
  set.received = redis.call('HGET', downloadKey, 'received') or nil
  set.ranges = redis.call('HGET', downloadKey, 'ranges') or nil
  return cjson.encode(set)
end
local function idOf(downloadKey)
  return string.sub(downloadKey, string.len('haul:download:') + 1)
end
-- A download marked running waits for any node again (its node gave it back, or died).
local function requeue(downloadKey, seqKey, streamKey, maxlen, node)
  redis.call('HSET', downloadKey, 'status', '"queued"')
  append(seqKey, streamKey, maxlen, {'k', 'rec', 'id', idOf(downloadKey), 'mode', 'update', 'set', withProgress(downloadKey, {status = '"queued"'}), 'del', '[]', 'from', node})
end
`;

const SCRIPTS = {
  /**
   * KEYS: download, downloads, seq, stream, lease. ARGV: mode (create|update|delete), id, set (JSON object of JSON values), del (JSON array), fence, maxlen, node, ref.
   * Returns the entry's number, 0 (no such download) or -1 (fenced). `ref` lets the writer know its own entry when it comes back.
   */
  haulCommit: {
    keys: 5,
    lua: `${APPEND}
if fenced(KEYS[5], ARGV[5]) then return -1 end
local mode = ARGV[1]
if mode ~= 'create' and redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if mode == 'delete' then
  redis.call('DEL', KEYS[1], KEYS[5])
  redis.call('SREM', KEYS[2], ARGV[2])
else
  local args = {}
  for k, v in pairs(cjson.decode(ARGV[3])) do args[#args + 1] = k; args[#args + 1] = v end
  if #args > 0 then redis.call('HSET', KEYS[1], unpack(args)) end
  local del = cjson.decode(ARGV[4])
  if #del > 0 then redis.call('HDEL', KEYS[1], unpack(del)) end
  if mode == 'create' then redis.call('SADD', KEYS[2], ARGV[2]) end
end
return append(KEYS[3], KEYS[4], ARGV[6], {'k', 'rec', 'id', ARGV[2], 'mode', mode, 'set', ARGV[3], 'del', ARGV[4], 'from', ARGV[7], 'ref', ARGV[8]})`,
  },
  /** Durable progress (no entry: the progress events carry the bytes). KEYS: download, lease. ARGV: received, ranges ('' = none), fence. */
  haulProgress: {
    keys: 2,
    lua: `${APPEND}
if fenced(KEYS[2], ARGV[3]) then return -1 end
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'received', ARGV[1])
if ARGV[2] == '' then redis.call('HDEL', KEYS[1], 'ranges') else redis.call('HSET', KEYS[1], 'ranges', ARGV[2]) end
return 1`,
  },
  /** A public event. KEYS: seq, stream, lease. ARGV: name, data (JSON), fence, maxlen. */
  haulEvent: {
    keys: 3,
    lua: `${APPEND}
if fenced(KEYS[3], ARGV[3]) then return -1 end
return append(KEYS[1], KEYS[2], ARGV[4], {'k', 'ev', 'name', ARGV[1], 'data', ARGV[2]})`,
  },
  /** Anything else every node must hear of (a node drained, accounts changed). KEYS: seq, stream. ARGV: kind, detail, maxlen. */
  haulNotice: {
    keys: 2,
    lua: `${APPEND}
return append(KEYS[1], KEYS[2], ARGV[3], {'k', ARGV[1], 'detail', ARGV[2]})`,
  },
  /**
   * Takes a waiting download (or one this instance already holds) for this node. KEYS:
   * download, lease, seq, stream, the owner's running set. ARGV: lease value, ttl ms, node
   * name (JSON), maxlen, owner ('' none), the owner's limit of running downloads (0 none).
   * Returns the number of the entry that tells of the claim, or nil (also when the owner is at their limit over all nodes).
   */
  haulClaim: {
    keys: 5,
    lua: `${APPEND}
if redis.call('EXISTS', KEYS[1]) == 0 then return nil end
local holder = redis.call('GET', KEYS[2])
local id = idOf(KEYS[1])
if holder then
  if holder ~= ARGV[1] then return nil end
elseif redis.call('HGET', KEYS[1], 'status') ~= '"queued"' then
  return nil
end
if ARGV[5] ~= '' then
  -- The owner's running downloads are those in the set whose lease still lives.
  if not holder and tonumber(ARGV[6]) > 0 then
    for _, member in ipairs(redis.call('SMEMBERS', KEYS[5])) do
      if redis.call('EXISTS', 'haul:lease:' .. member) == 0 then redis.call('SREM', KEYS[5], member) end
    end
    if redis.call('SCARD', KEYS[5]) >= tonumber(ARGV[6]) then return nil end
  end
  redis.call('SADD', KEYS[5], id)
end
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
redis.call('HSET', KEYS[1], 'status', '"downloading"', 'node', ARGV[3])
redis.call('HDEL', KEYS[1], 'error')
return append(KEYS[3], KEYS[4], ARGV[4], {'k', 'rec', 'id', id, 'mode', 'update', 'set', withProgress(KEYS[1], {status = '"downloading"', node = ARGV[3]}), 'del', '["error"]', 'from', cjson.decode(ARGV[3])})`,
  },
  /** Gives a lease up; with requeue, a download still marked running waits for any node again. KEYS: download, lease, seq, stream. ARGV: lease value, requeue (1|0), maxlen, node. */
  haulRelease: {
    keys: 4,
    lua: `${APPEND}
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[2])
if ARGV[2] == '1' and redis.call('HGET', KEYS[1], 'status') == '"downloading"' then
  requeue(KEYS[1], KEYS[3], KEYS[4], ARGV[3], ARGV[4])
end
return 1`,
  },
  /** A download marked running whose lease expired (its node died) waits for any node again. KEYS: download, lease, seq, stream. ARGV: maxlen, node. */
  haulRequeueOrphan: {
    keys: 4,
    lua: `${APPEND}
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
if redis.call('HGET', KEYS[1], 'status') ~= '"downloading"' then return 0 end
requeue(KEYS[1], KEYS[3], KEYS[4], ARGV[1], ARGV[2])
return 1`,
  },
  /** Renews the leases this instance holds. KEYS: leases. ARGV: lease value, ttl ms. Returns 1 (renewed) or 0 (lost) per key. */
  haulRenew: {
    keys: -1,
    lua: `
local out = {}
for i, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[1] then
    redis.call('PEXPIRE', key, ARGV[2])
    out[i] = 1
  else
    out[i] = 0
  end
end
return out`,
  },
  /** Keeps the id counter at or above `min` (a Redis that lost its data must not hand out ids clients saw). KEYS: seq. ARGV: min. Returns 1 if it was behind. */
  haulKeepSeq: {
    keys: 1,
    lua: `
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if n >= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1])
return 1`,
  },
} as const;

export type ScriptName = keyof typeof SCRIPTS;
type ScriptCall = (...args: Array<string | number>) => Promise<unknown>;
export type Scripts = Record<ScriptName, ScriptCall>;

/** Registers the scripts on a connection (sent by hash, loaded on first use) and returns callers. */
export function installScripts(redis: Redis): Scripts {
  const calls = {} as Scripts;
  for (const [name, script] of Object.entries(SCRIPTS) as Array<[ScriptName, { keys: number; lua: string }]>) {
    if (script.keys >= 0) redis.defineCommand(name, { numberOfKeys: script.keys, lua: script.lua });
    else redis.defineCommand(name, { lua: script.lua });
    // defineCommand adds the method at run time; ioredis cannot type it.
    const method = (redis as unknown as Record<string, ScriptCall>)[name];
    if (method === undefined) throw new Error(`ioredis did not define the script ${name}.`);
    calls[name] = method.bind(redis);
  }
  return calls;
}
