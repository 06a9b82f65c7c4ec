-- Deletes KEYS[1] (an encoded StoredValue) when its version (bytes 2..11) is not newer than ARGV[1] (10 bytes): the
-- background sweep of a purge reclaims the copies the purge covers and keeps anything written after it.
-- Returns 1 when deleted.
local current = redis.call('GETRANGE', KEYS[1], 0, 10)
if string.len(current) ~= 11 then
  return 0
end
for i = 1, 10 do
  local x, y = string.byte(current, i + 1), string.byte(ARGV[1], i)
  if x ~= y then
    if x > y then
      return 0
    end
    break
  end
end
redis.call('DEL', KEYS[1])
return 1
