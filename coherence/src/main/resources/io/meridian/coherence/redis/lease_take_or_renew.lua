-- A lease held by one holder: KEYS[1] the lease, ARGV[1] the holder, ARGV[2] its TTL in milliseconds.
-- Extends the lease when the holder has it (1), takes it when it is free (2), leaves it to another holder (0).
local current = redis.call('GET', KEYS[1])
if current == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if not current then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 2
end
return 0
