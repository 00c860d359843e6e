return {
  Para = function(el)
    local x = nil
    return x.y
  end
}
