-- list-numbering.lua: numbers ordered lists as Chinese documents number them, by the
-- front matter's `list-numbering:` (every style runs it; without the key lists keep
-- their Markdown numbers, 1. 2. or 1) 2)):
--   "1、"     1、2、3、 (the 顿号 after the number)
--   "一、"    一、二、三、
--   "（一）"  （一）（二）（三）
--   "（1）"   （1）（2）（3）
--   gongwen  by depth, as GB/T 9704 numbers the levels under 一、: （一）, then 1.,
--            then （1）
-- The form of a list is its pandoc style and delimiter (CJKDecimal, TwoParens), and
-- the class `comma` for the 顿号, which the HTML and the PDF both print.

local FORMS = {
	["1、"] = { style = "Decimal", delimiter = "Period", class = "comma" },
	["一、"] = { style = "CJKDecimal", delimiter = "Period" },
	["（一）"] = { style = "CJKDecimal", delimiter = "TwoParens" },
	["（1）"] = { style = "Decimal", delimiter = "TwoParens" },
	["1."] = { style = "Decimal", delimiter = "Period" },
}

local SCHEMES = {
	gongwen = { FORMS["（一）"], FORMS["1."], FORMS["（1）"] },
}
for name, form in pairs(FORMS) do SCHEMES[name] = { form } end

local function restyle(blocks, scheme, depth)
	for _, b in ipairs(blocks) do
		if b.tag == "OrderedList" then
			local form = scheme[math.min(depth + 1, #scheme)]
			b.style, b.delimiter = form.style, form.delimiter
			if form.class and not galley.utils.has_class(b, form.class) then
				table.insert(b.attr.classes, form.class)
			end
			for _, item in ipairs(b.content) do restyle(item, scheme, depth + 1) end
		elseif b.tag == "BulletList" then
			for _, item in ipairs(b.content) do restyle(item, scheme, depth + 1) end
		elseif b.tag == "BlockQuote" or b.tag == "Div" then
			restyle(b.content, scheme, depth)
		end
	end
end

return { galley_view = true, -- galley's view: text runs keep their spaces (filters.md)
	Doc = function(doc)
		local name = doc.meta["list-numbering"]
		if name == nil then return nil end
		-- galley checks the value against its keys (galley keys) before filters run.
		local scheme = SCHEMES[tostring(name)]
		if scheme == nil then return nil end
		restyle(doc.blocks, scheme, 0)
		return doc
	end,
}
