-- Appends one event to a region's event buffer, the stream KEYS[1], while Kafka cannot take it. The entry id ARGV[2]
-- is the event's version ("<wall ms>-<logical * 65536 + origin>"), so the stream is ordered by version: Redis
-- refuses an id that is not above the stream's last one. ARGV[1] is the most entries the buffer holds; ARGV[3] the
-- Kafka record key, ARGV[4] the encoded event. A full buffer refuses the event rather than trimming an older one:
-- a trimmed event would be an invalidation silently lost.
-- Touches exactly one key, so it runs unchanged on Redis Cluster.
-- Returns {1, id} when appended, {0} when full, {2, last id} when the id is not above the stream's last id (the
-- caller moves its clock past it and tries again with a newer version).
if redis.call('XLEN', KEYS[1]) >= tonumber(ARGV[1]) then
  return {0}
end
local added = redis.pcall('XADD', KEYS[1], ARGV[2], 'key', ARGV[3], 'event', ARGV[4])
if type(added) == 'table' and added.err then
  local info = redis.call('XINFO', 'STREAM', KEYS[1])
  for i = 1, #info, 2 do
    if info[i] == 'last-generated-id' then
      return {2, info[i + 1]}
    end
  end
  return redis.error_reply(added.err)
end
return {1, added}
