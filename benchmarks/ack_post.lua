-- wrk script for benchmarks/ack_load.py: POST an answer form with a CSRF cookie + token pair.
--   wrk ... -s benchmarks/ack_post.lua http://127.0.0.1:PORT -- tokens <file>   random /ack/<token>/
--   wrk ... -s benchmarks/ack_post.lua http://127.0.0.1:PORT -- path /bench/hello
-- Django accepts a form token equal to the (unmasked, 32-character) csrftoken cookie.
local csrf = "BenchCsrfSecret0123456789abcdefg"
local answers = { "safe", "need_help", "available" }
local tokens = {}
local fixed = nil
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("seed", counter)
end

function init(args)
  if args[1] == "path" then
    fixed = args[2]
  else
    for line in io.lines(args[2]) do
      tokens[#tokens + 1] = line
    end
  end
  math.randomseed(os.time() * 100 + (seed or 0))
end

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "csrftoken=" .. csrf

function request()
  local target = fixed or ("/ack/" .. tokens[math.random(#tokens)] .. "/")
  local body = "csrfmiddlewaretoken=" .. csrf .. "&answer=" .. answers[math.random(3)] .. "&note="
  return wrk.format("POST", target, nil, body)
end

function done(summary, latency, requests)
  io.write(string.format(
    "WRK-RESULT {\"requests\": %d, \"duration_us\": %d, \"status_errors\": %d, "
      .. "\"socket_errors\": %d, \"p50_us\": %d, \"p90_us\": %d, \"p99_us\": %d, \"max_us\": %d}\n",
    summary.requests, summary.duration, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max
  ))
end
