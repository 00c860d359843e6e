-- pandoc's walk semantics (issue 19): typewise (inlines, then blocks, then Meta, then
-- Pandoc), traverse = 'topdown' with false to skip children, lists returned are spliced,
-- nil keeps, {} deletes; Pandoc:walk calls Meta; require finds a module beside the filter;
-- globals stay in this file.  The order of calls is written into the document.
local helper = require("pandoc-modules.helper")
local order = pandoc.List()
shared_global = "from pandoc-walk"

local typewise = {
	Str = function(s) order:insert("Str:" .. s.text) end,
	Emph = function(e) order:insert("Emph") return e.content end,	-- spliced
	Para = function(p) order:insert("Para") end,
	BlockQuote = function() order:insert("BlockQuote") return {} end,	-- deleted
	Meta = function(m) order:insert("Meta") m.checked = true return m end,
}

local topdown = {
	traverse = "topdown",
	Para = function(p) order:insert("td-Para") end,
	Emph = function(e) order:insert("td-Emph") return e, false end,	-- children skipped
	Strong = function(s) order:insert("td-Strong") end,
	Str = function(s) order:insert("td-Str:" .. s.text) end,
}

return {
	{
		Pandoc = function(doc)
			local blocks = doc.blocks:walk(topdown)
			order:insert("|")
			doc = doc:walk(typewise)
			order:insert("|")
			order:insert("meta checked " .. tostring(doc.meta.checked))
			order:insert(helper.greet("walk"))
			order:insert("walked blocks " .. #blocks)
			doc.blocks:insert(pandoc.Para(table.concat(order, " ")))
			return doc
		end,
	},
	{
		-- The second table sees what the first left: the quote is gone.
		Blocks = function(blocks)
			return blocks:filter(function(b) return b.t ~= "BlockQuote" end)
		end,
	},
}
