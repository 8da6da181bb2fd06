-- wrk script of the overload soak (bench/soak): POSTs readings to the demo's /readings, paced by a
-- fixed per-connection delay, counts the answers by status and writes the id of every 202 to a
-- file of its own thread (wrk threads have separate Lua states).
--
--   wrk -t2 -cC -dDs -s bench/soak.lua http://127.0.0.1:PORT/readings -- OUTDIR DELAY_MS HOT_EVERY
--
-- OUTDIR     where accepted-<thread>.ids go (one id a line)
-- DELAY_MS   pause of a connection between an answer and its next request (wrk's delay() hook)
-- HOT_EVERY  every HOT_EVERY-th request of a thread is a hot reading (celsius 35: routed to the
--            JSONL sink); the others are normal (21.5: archive, then the H2 store). 0: none hot.

local threads = {}
local thread_count = 0

function setup(thread)
   thread_count = thread_count + 1
   thread:set("thread_no", thread_count)
   table.insert(threads, thread)
end

function init(args)
   local outdir = args[1] or "."
   pause = tonumber(args[2] or "0")
   hot_every = tonumber(args[3] or "10")
   counts = {}
   no_id = 0
   sent = 0
   ids = assert(io.open(outdir .. "/accepted-" .. thread_no .. ".ids", "w"))
   ids:setvbuf("line") -- a thread has no teardown hook: every line reaches the file at once
   local headers = { ["Content-Type"] = "application/json" }
   normal = wrk.format("POST", wrk.path, headers,
      '{"sensor":"soak-' .. thread_no .. '","celsius":21.5}')
   hot = wrk.format("POST", wrk.path, headers,
      '{"sensor":"soak-' .. thread_no .. '","celsius":35.0}')
end

function request()
   sent = sent + 1
   if hot_every > 0 and sent % hot_every == 0 then
      return hot
   end
   return normal
end

function delay()
   return pause
end

function response(status, headers, body)
   counts[status] = (counts[status] or 0) + 1
   if status == 202 then
      local id = body and body:match('"id":"([^"]+)"')
      if id then
         ids:write(id, "\n")
      else
         no_id = no_id + 1
      end
   end
end

function done(summary, latency, requests)
   local total = {}
   local missing = 0
   for _, thread in ipairs(threads) do
      for status, n in pairs(thread:get("counts")) do
         total[status] = (total[status] or 0) + n
      end
      missing = missing + thread:get("no_id")
   end
   for status, n in pairs(total) do
      io.write(string.format("status %d %d\n", status, n))
   end
   io.write(string.format("accepted_without_id %d\n", missing))
   io.write(string.format("responses %d\n", summary.requests))
   io.write(string.format("duration_us %d\n", summary.duration))
   io.write(string.format("errors connect %d read %d write %d status %d timeout %d\n",
      summary.errors.connect, summary.errors.read, summary.errors.write,
      summary.errors.status, summary.errors.timeout))
   io.write(string.format("latency_ms p50 %.1f p99 %.1f max %.1f\n", latency:percentile(50) / 1000,
      latency:percentile(99) / 1000, latency.max / 1000))
end
