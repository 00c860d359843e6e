-- For layout-inline.md: Markdown has no underline, so **下划线** becomes a
-- [下划线]{.underline} span, as pandoc writes it.
return {
	Strong = function(el)
		if galley.utils.stringify(el) == "下划线" then
			return galley.Span(el.content, galley.Attr("", { "underline" }))
		end
	end,
}
