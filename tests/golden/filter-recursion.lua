local function f(n) return f(n + 1) + 1 end
return {
  Para = function(el)
    return f(1)
  end
}
