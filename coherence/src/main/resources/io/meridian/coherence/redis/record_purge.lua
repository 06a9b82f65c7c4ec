-- Records a purge in the region's purge hash KEYS[1]: field ARGV[1] ("<namespace>/<owner>", owner empty for the
-- whole namespace) takes the version ARGV[2] (10 bytes: big-endian HLC then origin) unless it holds a newer or equal
-- one. A recorded purge also bumps the field "_epoch", which gateways poll to know when to read the hash again.
-- Touches exactly one key, so it runs unchanged on Redis Cluster. Returns 1 when recorded, 0 when superseded.
local function newer(a, b)
  for i = 1, 10 do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then
      return x > y
    end
  end
  return false
end

if string.len(ARGV[2]) ~= 10 then
  return redis.error_reply('ERR meridian: a purge version is 10 bytes')
end
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current and string.len(current) == 10 and not newer(ARGV[2], current) then
  return 0
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HINCRBY', KEYS[1], '_epoch', 1)
return 1
