-- A module pandoc-walk.lua loads with require: it runs in the requiring filter's environment.
local M = {}
function M.greet(who) return "helper:" .. who .. ":" .. tostring(shared_global) end
return M
