-- Leaves a Para whose second item is no element galley knows: named at the Para (the
-- line here that made it), not at the Str taken back before the bad item.
return {
  Para = function(el)
    local para = galley.Para({})
    local s = galley.Str("a")
    para.content = { s, { tag = "Bogus" } }
    return para
  end
}
