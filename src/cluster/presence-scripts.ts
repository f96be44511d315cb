/**
 * Lua run atomically in Redis for the tunnel table. An entry is JSON {n: node id, u: node URL,
 * t: tunnel id, e: epoch}; KEYS[1] = the server's entry, KEYS[2] = its epoch counter (never expires,
 * so epochs only grow).
 */

/** ARGV: node, url, tunnel, ttl ms, channel, server id → the new epoch (and a `claimed` message). */
export const CLAIM = `
local e = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], cjson.encode({n=ARGV[1], u=ARGV[2], t=ARGV[3], e=e}), 'PX', ARGV[4])
redis.call('PUBLISH', ARGV[5], cjson.encode({k='claimed', n=ARGV[1], u=ARGV[2], t=ARGV[3], e=e, s=ARGV[6]}))
return e`;

/**
 * ARGV: tunnel, ttl ms, epoch, entry JSON → 1 (still ours; the entry is put back if it expired),
 * 0 (a newer tunnel holds it).
 */
export const REFRESH = `
local cur = redis.call('GET', KEYS[1])
if cur then
  local c = cjson.decode(cur)
  if c.t == ARGV[1] then
    redis.call('PEXPIRE', KEYS[1], ARGV[2])
    return 1
  end
  if tonumber(c.e) > tonumber(ARGV[3]) then return 0 end
end
local top = tonumber(redis.call('GET', KEYS[2]) or '0')
if top > tonumber(ARGV[3]) then return 0 end
redis.call('SET', KEYS[1], ARGV[4], 'PX', ARGV[2])
return 1`;

/** ARGV: tunnel, channel, message → 1 when the entry was ours and is gone. */
export const RELEASE = `
local cur = redis.call('GET', KEYS[1])
if cur and cjson.decode(cur).t == ARGV[1] then
  redis.call('DEL', KEYS[1])
  redis.call('PUBLISH', ARGV[2], ARGV[3])
  return 1
end
return 0`;
