-- Leaves metadata galley cannot keep: named at the document (no filter line made it),
-- not at the last element taken back before it nor at the last filter.
return {
  Meta = function(meta)
    meta.callback = function() end
    return meta
  end
}
