-- post.lua — wrk script: POST /api/v1/statuses at a modest rate, rotating the bearer token
-- over the lines of BENCH_TOKENS (one person per line).
--
-- BENCH_EXTRA (default empty) is appended to each form body, e.g. "&channel_id=123".
-- BENCH_DELAY_MS (default 100) is the pause each connection takes between posts, so 8
-- connections make at most ~80 posts/s: this measures the latency of one post (its
-- transaction and fan-out), not the writer's saturation. Every post has a distinct text.
-- done() prints one machine-readable "RESULT key=value ..." line for bench/run.sh.

local n_threads = 0

function setup(thread)
   thread:set("tid", n_threads)
   n_threads = n_threads + 1
end

function init(args)
   tokens = {}
   for line in io.lines(os.getenv("BENCH_TOKENS")) do
      if line ~= "" then tokens[#tokens + 1] = line end
   end
   pause = tonumber(os.getenv("BENCH_DELAY_MS") or "100")
   extra = os.getenv("BENCH_EXTRA") or ""
   i = (tid or 0) * 7919 % #tokens
   k = 0
end

local words = {"release", "review", "lunch", "deploy", "meeting", "report", "coffee", "launch"}

function request()
   i = i % #tokens + 1
   k = k + 1
   local body = string.format(
      "status=Benchmark+post+%d+from+thread+%d%%3A+the+%s+is+at+three.+%%23bench&visibility=public",
      k, tid or 0, words[k % #words + 1]) .. extra
   return wrk.format("POST", "/api/v1/statuses", {
      ["Authorization"] = "Bearer " .. tokens[i],
      ["Content-Type"] = "application/x-www-form-urlencoded",
   }, body)
end

function delay()
   return pause
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
