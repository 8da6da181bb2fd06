-- wrk script of the ingress benchmark: a small JSON order per request; counts answers by status.
wrk.method = "POST"
wrk.path = "/ingest"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"id":"order-42","amount":129.5,"customer":"c-7","event_time":"2026-01-31T12:00:00Z"}'

local statuses = {}
local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   counts = {}
end

function response(status, headers, body)
   counts[status] = (counts[status] or 0) + 1
end

function done(summary, latency, requests)
   local total = {}
   for _, thread in ipairs(threads) do
      local c = thread:get("counts")
      for status, n in pairs(c) do
         total[status] = (total[status] or 0) + n
      end
   end
   for status, n in pairs(total) do
      io.write(string.format("status %d: %d\n", status, n))
   end
   io.write(string.format("p50_ms %.3f\np99_ms %.3f\n", latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
