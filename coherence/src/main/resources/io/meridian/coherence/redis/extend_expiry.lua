-- Sliding TTL: moves the recorded expiry of KEYS[1] (an encoded StoredValue) to ARGV[2] (wall milliseconds, 8 bytes
-- big-endian) and its key TTL to ARGV[3] milliseconds, only while it still holds the version ARGV[1] (10 bytes) and
-- is a live value (format 1 or 3). A write since the read keeps its own expiry. Returns 1 when extended.
local head = redis.call('GETRANGE', KEYS[1], 0, 18)
if string.len(head) ~= 19 or string.sub(head, 2, 11) ~= ARGV[1] then
  return 0
end
local format = string.byte(head, 1)
if format ~= 1 and format ~= 3 then
  return 0
end
redis.call('SETRANGE', KEYS[1], 11, ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
