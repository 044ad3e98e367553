-- SoliKV's script sandbox, run once when a data core builds its Lua state.
-- Receives the internal functions written in Rust; returns the error handler, the
-- environment scripts run in and the protected runner.
local take_pending, G = ...
local dbg = debug
local type, tostring, error, setmetatable, base_pcall, base_xpcall =
  type, tostring, error, setmetatable, pcall, xpcall

-- The error value a script sees: the table a redis.* function raised, if any.
local function error_value(e)
  if type(e) == 'userdata' then
    local pending = take_pending()
    if pending ~= nil then
      return pending
    end
  end
  return e
end

-- As redis-server: an error raised as a table reaches pcall's caller as its message.
local function pcall_result(ok, ...)
  if ok then
    return ok, ...
  end
  local e = error_value((...))
  if type(e) == 'table' then
    local msg = e.err
    if type(msg) == 'string' or type(msg) == 'number' then
      e = msg
    end
  end
  return false, e
end
pcall = function(...)
  return pcall_result(base_pcall(...))
end
xpcall = function(f, h)
  return base_xpcall(f, function(e)
    return h(error_value(e))
  end)
end

-- Adds where the error happened, skipping the sandbox's own frames.
local function handler(err)
  err = error_value(err)
  local level = 2
  local i = dbg.getinfo(level, 'Sl')
  while i and (i.what == 'C' or i.what == 'tail' or i.source == '=solikv') do
    level = level + 1
    i = dbg.getinfo(level, 'Sl')
  end
  if type(err) ~= 'table' then
    err = { err = 'ERR ' .. tostring(err) }
  end
  if i then
    err.source = i.source
    err.line = i.currentline
  end
  return err
end

for _, name in ipairs({ "print", "loadfile", "dofile", "setfenv", "getfenv", "newproxy",
  "module", "require", "debug", "os", "io", "package" }) do
  G[name] = nil
end

-- Read-only tables: the globals (through the environment scripts see) and the libraries.
local readonly = setmetatable({}, { __mode = 'k' })
local function deny()
  error('Attempt to modify a readonly table', 2)
end
local function protect(t)
  local proxy = setmetatable({}, { __index = t, __newindex = deny, __metatable = false })
  readonly[proxy] = true
  return proxy
end
for _, name in ipairs({ "redis", "string", "math", "table", "coroutine", "bit", "cjson",
  "cmsgpack", "struct" }) do
  if G[name] then
    G[name] = protect(G[name])
  end
end
-- The wrappers below check their arguments as the C functions do, with the same texts, so
-- that errors point at the script's line and name the function as redis-server's do.
local select, base_rawset, raw_getmetatable, base_rawget = select, rawset, dbg.getmetatable, rawget
local function type_of(n, ...)
  if select('#', ...) < n then
    return 'no value'
  end
  return type((select(n, ...)))
end
rawset = function(...)
  local t, k, v = ...
  if readonly[t] then
    error('Attempt to modify a readonly table', 0)
  end
  if type(t) ~= 'table' then
    error("bad argument #1 to 'rawset' (table expected, got " .. type_of(1, ...) .. ")", 2)
  end
  if select('#', ...) < 2 then
    error("bad argument #2 to 'rawset' (value expected)", 2)
  end
  if select('#', ...) < 3 then
    error("bad argument #3 to 'rawset' (value expected)", 2)
  end
  return base_rawset(t, k, v)
end
local base_setmetatable = setmetatable
G.setmetatable = function(...)
  local t, mt = ...
  if readonly[t] then
    error('Attempt to modify a readonly table', 0)
  end
  if type(t) ~= 'table' then
    error("bad argument #1 to 'setmetatable' (table expected, got " .. type_of(1, ...) .. ")", 2)
  end
  if select('#', ...) < 2 or (mt ~= nil and type(mt) ~= 'table') then
    error("bad argument #2 to 'setmetatable' (nil or table expected)", 2)
  end
  local old = raw_getmetatable(t)
  if old ~= nil and base_rawget(old, '__metatable') ~= nil then
    error('cannot change a protected metatable', 2)
  end
  return base_setmetatable(t, mt)
end
setmetatable(G, {
  __index = function(_, name)
    error("Script attempted to access nonexistent global variable '" .. tostring(name) .. "'", 2)
  end,
})
local env = protect(G)
G._G = env

local function run(f)
  return base_xpcall(f, handler)
end
return run, env
