-- A filter that is a list of filter tables (pandoc's form): they run in order,
-- each over the document the one before left.  The first renames 甲 to 乙 and
-- counts the paragraphs in its Doc; the second sees 乙, never 甲, and its Para
-- function reads the count the first one's Doc left behind.
local paragraphs = 0
return {
	{
		Str = function(s)
			if s.text:find("甲") then return galley.Str((s.text:gsub("甲", "乙"))) end
		end,
		Doc = function(doc)
			for _, b in ipairs(doc.blocks) do
				if b.tag == "Para" then paragraphs = paragraphs + 1 end
			end
		end,
	},
	{
		Str = function(s)
			if s.text:find("甲") then galley.error("the second filter saw 甲", s) end
			if s.text:find("乙") then return galley.Str((s.text:gsub("乙", "丙"))) end
		end,
		Para = function(p)
			table.insert(p.content, galley.Str("（共" .. paragraphs .. "段）"))
			return p
		end,
	},
}
