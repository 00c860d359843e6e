-- Puts characters XML 1.0 cannot carry (C0 controls, U+FFFE, U+FFFF) beside ones it can
-- (tab, ASCII, Chinese) into text, a class-less attribute and an id: the HTML shows U+FFFD
-- for each forbidden one and keeps the rest.
return {
	Str = function(s)
		if s.text == "x" then s.text = "a\1b\tc\239\191\190d\239\191\191中\31e" end
		return s
	end,
	Span = function(s)
		s.attributes.k = "\2v\3w中\4"
		s.identifier = "i\5d"
		return s
	end,
}
