return {
  Para = function(el)
    return galley.Str("x")
  end
}
