-- Leaves a Str whose metatable raises an error for any field it lacks: the error comes
-- from this file's line 8 while galley takes the document back, and the message names
-- that place once (not also the line that made the Str).
return {
  Para = function(el)
    local s = galley.Str("x")
    local para = galley.Para({ s })
    setmetatable(s, { __index = function(_, key) error("no field " .. key) end })
    return para
  end
}
