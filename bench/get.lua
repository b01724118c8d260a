-- get.lua — wrk script: GET one path (BENCH_PATH), rotating the bearer token over the
-- lines of BENCH_TOKENS (if set) so each request acts as a different person. BENCH_METHOD
-- and BENCH_BODY (a JSON body) make it another method: a POST that reads, as a preview.
--
-- Requests are formatted once per token in init(), so wrk spends no more time per request
-- here than for a static URL: on a 2-core machine wrk's CPU is taken from the server, and
-- the /health baseline and the timeline run must cost wrk the same.
-- done() prints one machine-readable "RESULT key=value ..." line for bench/run.sh.

local n_threads = 0

function setup(thread)
   thread:set("tid", n_threads)
   n_threads = n_threads + 1
end

function init(args)
   local path = os.getenv("BENCH_PATH") or "/health"
   local file = os.getenv("BENCH_TOKENS")
   local method = os.getenv("BENCH_METHOD") or "GET"
   local body = os.getenv("BENCH_BODY")
   if body == "" then body = nil end
   local function headers(token)
      local h = {}
      if token then h["Authorization"] = "Bearer " .. token end
      if body then h["Content-Type"] = "application/json" end
      return h
   end
   reqs = {}
   if file and file ~= "" then
      for line in io.lines(file) do
         if line ~= "" then
            reqs[#reqs + 1] = wrk.format(method, path, headers(line), body)
         end
      end
   end
   if #reqs == 0 then reqs[1] = wrk.format(method, path, headers(nil), body) end
   -- threads start at different people
   i = (tid or 0) * 7919 % #reqs
end

function request()
   i = i % #reqs + 1
   return reqs[i]
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      "RESULT requests=%d duration_us=%d rps=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d " ..
      "errors=%d non2xx=%d\n",
      summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
      e.connect + e.read + e.write + e.timeout, e.status))
end
