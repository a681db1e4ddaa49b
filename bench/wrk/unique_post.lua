-- POSTs a body read from a file, with every "{{unique}}" in it replaced by a
-- value no other request of the run carries: a complaint (or ticket) sent twice
-- would be refused or deduplicated, which is not what is being measured.
--
--   wrk ... -s unique_post.lua URL -- BODY_FILE NONCE [Header:value ...]
--
-- NONCE tells this wrk run from the others on the same database; each wrk
-- thread numbers itself in setup() and counts its own requests.

local threads_made = 0

function setup(thread)
  threads_made = threads_made + 1
  thread:set("thread_number", threads_made)
end

function init(args)
  local file = assert(io.open(args[1], "rb"))
  template = file:read("*a")
  file:close()
  nonce = args[2]
  counter = 0
  for i = 3, #args do
    local name, value = args[i]:match("^([^:]+):%s*(.*)$")
    wrk.headers[name] = value
  end
  wrk.method = "POST"
end

function request()
  counter = counter + 1
  local unique = string.format("%s%02d%07d", nonce, thread_number, counter)
  local body = template:gsub("{{unique}}", unique)
  return wrk.format(nil, nil, nil, body)
end
