-- Reads KEYS[1] and its remaining time to live in milliseconds in one atomic step, so that a copy made elsewhere
-- (remote fill, warming) expires when the original does. Returns {value or false, pttl}.
local value = redis.call('GET', KEYS[1])
local pttl = redis.call('PTTL', KEYS[1])
return {value, pttl}
