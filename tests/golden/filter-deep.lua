-- Builds emphasis 100,000 deep: stopped at 1,000 and reported at the line that built it.
return {
  Para = function(p)
    local e = galley.Str("深")
    for _ = 1, 100000 do e = galley.Emph({ e }) end
    return galley.Para({ e })
  end
}
