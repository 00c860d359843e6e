return {
  Str = function(el)
    return 42
  end
}
