-- Stores ARGV[1] (an encoded StoredValue: value or tombstone) under KEYS[1] with a TTL of ARGV[2] milliseconds,
-- but only when the key is absent or holds an older version. Equal versions are a no-op, so applying the same
-- event twice changes nothing. Touches exactly one key, so it runs unchanged on Redis Cluster.
-- Returns 1 when stored, 0 when the stored version is newer or equal.
--
-- Versions are compared byte by byte (bytes 2..11 of the value: big-endian HLC then origin) instead of with
-- Lua's `<`, which goes through strcoll and so depends on the server's locale.
--
-- A value or tombstone written without an external version (formats 1 and 2) keeps the external version the key
-- holds (formats 3 and 4, 8 bytes after the expiry): the application's version of a row only moves forward, so a
-- write that does not name one cannot reopen the key to a stale fill carrying an older one.
local function newer(a, b)
  for i = 2, 11 do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then
      return x > y
    end
  end
  return false
end

local ttl = tonumber(ARGV[2])
if ttl == nil or ttl <= 0 then
  return redis.error_reply('ERR meridian: ttl must be a positive number of milliseconds')
end
local current = redis.call('GETRANGE', KEYS[1], 0, 26)
if string.len(current) >= 11 and not newer(ARGV[1], current) then
  return 0
end
local value = ARGV[1]
local format = string.byte(value, 1)
if (format == 1 or format == 2) and string.len(current) == 27 then
  local held = string.byte(current, 1)
  if held == 3 or held == 4 then
    value = string.char(format + 2) .. string.sub(value, 2, 19) .. string.sub(current, 20, 27) .. string.sub(value, 20)
  end
end
redis.call('SET', KEYS[1], value, 'PX', ttl)
return 1
