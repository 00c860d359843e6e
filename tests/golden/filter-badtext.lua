-- Leaves a byte that is not UTF-8 in a Str of the document: reported at that Str.
return {
  Str = function(s)
    s.text = s.text .. "\255"
    return s
  end
}
