-- wrk script for bench/reads.py: each request takes a random line "TOKEN PATH" of the plan
-- file given after `--`, so many distinct users read many distinct rows.
local plan = {}

function init(args)
  for line in io.lines(args[1]) do
    local token, path = line:match("^(%S+) (%S+)$")
    if token then
      plan[#plan + 1] = { token, path }
    end
  end
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
end

function request()
  local entry = plan[math.random(#plan)]
  local headers = { ["X-Forwarded-Proto"] = "https" }
  if entry[1] ~= "-" then
    headers["Authorization"] = "Token " .. entry[1]
  end
  return wrk.format("GET", entry[2], headers)
end
