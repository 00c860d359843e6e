-- page-control.lua: page breaks, columns and blocks kept together, for HTML and PDF alike.
--   * A paragraph holding only \newpage or \pagebreak (as with pandoc's
--     pagebreak filter) becomes an empty Div {.page-break}; \cleardoublepage
--     becomes Div {.page-break .recto}: what follows starts on a right-hand page.
--   * A heading with the class .columns-2 (or -3, -4) and the blocks after it,
--     up to the next heading of its level or higher, go into a Div of that
--     class: the section is set in columns under its heading, balanced at its
--     end.  A heading inside marked .span runs across the columns.
--   * Blocks between the HTML comments <!-- keep --> and <!-- end keep -->
--     go into a Div {.keep}: they are set on one page when they fit on one.
--   * `columns: 2` (3, 4) in the front matter sets the whole document in
--     columns: its blocks go into one Div {.columns-2}.

local function break_of(block)
	if block.tag ~= "Para" or #block.content ~= 1 or block.content[1].tag ~= "Str" then
		return nil
	end
	local text = block.content[1].text
	if text == "\\newpage" or text == "\\pagebreak" then return { "page-break" } end
	if text == "\\cleardoublepage" then return { "page-break", "recto" } end
	return nil
end

local function columns_of(block)
	if block.tag ~= "Header" then return nil end
	for _, c in ipairs(block.attr.classes) do
		if c:match("^columns%-[234]$") then return c end
	end
	return nil
end

local function comment(block, word)
	return block.tag == "RawBlock" and block.text:match("^%s*<!%-%-%s*" .. word .. "%s*%-%->%s*$")
end

local place

function place(blocks)
	local out, i = {}, 1
	while i <= #blocks do
		local b = blocks[i]
		local classes = break_of(b)
		local cols = columns_of(b)
		if classes then
			local div = galley.Div({}, galley.Attr("", classes))
			div._line, div._col, div._file = b._line, b._col, b._file
			out[#out + 1] = div
			i = i + 1
		elseif cols then
			local inner, j = {}, i + 1
			while blocks[j] and not (blocks[j].tag == "Header" and blocks[j].level <= b.level) do
				inner[#inner + 1] = blocks[j]
				j = j + 1
			end
			inner = place(inner)
			table.insert(inner, 1, b)
			local div = galley.Div(inner, galley.Attr("", { cols }))
			div._line, div._col, div._file = b._line, b._col, b._file
			out[#out + 1] = div
			i = j
		elseif comment(b, "keep") then
			local inner, j = {}, i + 1
			while blocks[j] and not comment(blocks[j], "end%s+keep") do
				inner[#inner + 1] = blocks[j]
				j = j + 1
			end
			if not blocks[j] then
				galley.error("<!-- keep --> without a matching <!-- end keep -->", b)
			end
			local div = galley.Div(place(inner), galley.Attr("", { "keep" }))
			div._line, div._col, div._file = b._line, b._col, b._file
			out[#out + 1] = div
			i = j + 1
		else
			out[#out + 1] = b
			i = i + 1
		end
	end
	return out
end

return { galley_view = true, -- galley's view: text runs keep their spaces (filters.md)
	Doc = function(doc)
		doc.blocks = place(doc.blocks)
		local n = doc.meta.columns
		if n ~= nil then
			n = tostring(n)
			if n:match("^[234]$") then
				local div = galley.Div(doc.blocks, galley.Attr("", { "columns-" .. n }))
				doc.blocks = { div }
			end	-- other values: galley checked them against its keys (galley keys)
		end
		return doc
	end,
}
