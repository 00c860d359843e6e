return {
  Para = function(el)
    while true do end
  end
}
