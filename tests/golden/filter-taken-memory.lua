-- Leaves metadata whose value fills memory when galley reads it: memory runs out while
-- the document is taken back, which is the filters' limit, not any one element's fault.
return {
  Meta = function(meta)
    meta.hoard = setmetatable({}, { __index = function()
      local hog = {}
      for i = 1, 1e9 do hog[i] = string.rep("x", 1000) .. i end
    end })
    return meta
  end
}
