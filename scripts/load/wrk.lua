-- wrk script of scripts/load-bench.sh: one request shape per run, statuses counted, the run
-- bounded by MAX_REQUESTS (per wrk thread) as well as by wrk's -d duration.
-- Environment: METHOD, BODY_FILE (JSON body), TOKEN (bearer), MAX_REQUESTS.
wrk.method = os.getenv("METHOD") or "GET"
local body_file = os.getenv("BODY_FILE") or ""
if body_file ~= "" then
  local f = assert(io.open(body_file, "rb"))
  wrk.body = f:read("*a")
  f:close()
  wrk.headers["Content-Type"] = "application/json"
end
local token = os.getenv("TOKEN") or ""
if token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end
local max = tonumber(os.getenv("MAX_REQUESTS") or "0")

local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

-- per-thread counters (globals, so that done() can read them with thread:get)
n, ok, busy, other = 0, 0, 0, 0
function response(status, headers, body)
  n = n + 1
  if status == 200 or status == 201 then
    ok = ok + 1
  elseif status == 503 then
    busy = busy + 1
  else
    other = other + 1
  end
  if max > 0 and n >= max then
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local o, b, x = 0, 0, 0
  for _, t in ipairs(threads) do
    o = o + t:get("ok")
    b = b + t:get("busy")
    x = x + t:get("other")
  end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests":%d,"duration_us":%d,"ok":%d,"busy":%d,"other":%d,"socket_errors":%d,'
      .. '"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d}\n',
    summary.requests, summary.duration, o, b, x, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
