-- Spreads resolve requests over every model and every reference form: a number, latest, Production and an alias.
local models = tonumber(os.getenv("BENCH_MODELS") or "100")
local versions = tonumber(os.getenv("BENCH_VERSIONS") or "20")
local forms = {}
for m = 0, models - 1 do
  local name = "bench-model-" .. m
  for v = 1, versions do
    table.insert(forms, "/api/v1/resolve?ref=models:/" .. name .. "/" .. v)
  end
  table.insert(forms, "/api/v1/resolve?ref=models:/" .. name .. "/latest")
  table.insert(forms, "/api/v1/resolve?ref=models:/" .. name .. "/Production")
  table.insert(forms, "/api/v1/resolve?ref=models:/" .. name .. "@champion")
end
local token = os.getenv("CAIRN_TOKEN")
if token and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token -- a server with authentication
end
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", forms[(i % #forms) + 1])
end
response = function(status, headers, body)
  if status ~= 200 then
    error("resolve answered " .. status)
  end
end
