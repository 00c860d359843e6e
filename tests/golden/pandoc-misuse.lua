-- A pandoc filter that misuses the API: the error is pandoc's kind, at this file's line
-- (the constructor's caller), and galley stops cleanly.
return {
	Header = function(h)
		return pandoc.Header("一", h.content)
	end,
}
