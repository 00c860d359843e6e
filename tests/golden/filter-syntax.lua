return {
  Para = function(el)
    return el +
  end
}
