-- Drops the purge field ARGV[1] of the purge hash KEYS[1] if it still holds the version ARGV[2]: once every value it
-- covered has expired, a purge no longer needs to be checked. Returns 1 when dropped.
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
  redis.call('HDEL', KEYS[1], ARGV[1])
  redis.call('HINCRBY', KEYS[1], '_epoch', 1)
  return 1
end
return 0
