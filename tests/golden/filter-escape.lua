return {
  Para = function(el)
    os.execute("touch /tmp/galley-pwned")
  end
}
