-- term-index.lua: the GB/T 1.1 索引 from a ```index block.
-- Lists the document's term entries (headings of class `term`, as terms.lua
-- makes them), each pointing to its number:
--   * Chinese terms sorted by pinyin: the heading's `pinyin` attribute (from the
--     term base) or galley.utils.pinyin of the term; equal keys in
--     galley.utils.compare(…, "zh") order.  Grouped under their initial letter
--     A, B, C …; a term starting with a Latin letter (IPv6) goes under that
--     letter, one starting with a digit (5G网络) under "0–9" before A, anything
--     else under "其他" at the end.
--   * then the English equivalents, in galley.utils.compare(…, "en") order,
--     grouped the same way.
-- Each entry is "term　number", the number a link to the entry ([](#id) as
-- crossref makes them) followed by an empty Span .page-ref target=<id> that the
-- PDF fills with the page.  Block options: `title-zh:` and `title-en:` (the
-- sub-headings), `english: no` (no English part).
-- Runs after clause-numbering and crossref: it needs the entries' numbers.

local utils = galley.utils
local has_class = utils.has_class
local trim = utils.trim
local IDEO_SPACE = "\u{3000}"

-- The Chinese term and its English equivalent from an entry's heading: the text before
-- the Span .term-en and that Span's text, or the text split at its first ideographic space.
local function split_heading(h)
	local zh, en = {}, nil
	for _, el in ipairs(h.content) do
		if el.tag == "Span" and has_class(el, "term-en") then
			en = utils.stringify(el.content)
		elseif en == nil then
			zh[#zh + 1] = el
		end
	end
	local text = trim(utils.stringify(zh))
	if en == nil then
		local at = text:find(IDEO_SPACE, 1, true)
		if at then
			text, en = trim(text:sub(1, at - 1)), trim(text:sub(at + 3))
		end
	end
	return text, en and trim(en) or nil
end

local function group_of(key)
	local c = key:sub(1, 1)
	if c:match("%a") then return c:upper() end
	if c:match("%d") then return "0–9" end
	return "其他"
end

-- Group order: 0–9, A … Z, 其他.
local function group_rank(g)
	if g == "0–9" then return 0 end
	if #g == 1 then return g:byte() end
	return 1000
end

local function entries_of(doc)
	local list = {}
	for _, b in ipairs(doc.blocks) do
		if b.tag == "Header" and has_class(b, "term") and b.attr.identifier ~= "" then
			local zh, en = split_heading(b)
			local number = b.attr.attributes["number"]
			if number == nil then
				galley.warn("the term entry '" .. b.attr.identifier .. "' has no number; "
					.. "the index shows its id (is clause-numbering run?)", b)
				number = b.attr.identifier
			end
			local key = b.attr.attributes["pinyin"]
			key = utils.pinyin(key and key ~= "" and key or zh)
			key = key:gsub("(%a[1-5])(%a)", "%1 %2"):gsub("(%a[1-5])(%a)", "%1 %2")
			list[#list + 1] = { id = b.attr.identifier, zh = zh, en = en, number = number, key = key }
		end
	end
	return list
end

local function entry_para(text, e)
	return galley.Para({
		galley.Str(text .. IDEO_SPACE),
		galley.Link({ galley.Str(e.number) }, "#" .. e.id, nil, galley.Attr("", { "xref" })),
		galley.Span({}, galley.Attr("", { "page-ref" }, { target = e.id })),
	})
end

-- Blocks of a grouped list: a Div .index-group per letter with its letter and entries.
local function grouped(list, text_of, key_of)
	local out, current = {}, nil
	for _, e in ipairs(list) do
		local g = group_of(key_of(e))
		if g ~= (current and current.name) then
			current = { name = g, blocks = {
				galley.Para({ galley.Strong({ galley.Str(g) }) }),
			} }
			current.blocks[1].attr = galley.Attr("", { "index-letter" })
			out[#out + 1] = current
		end
		local p = entry_para(text_of(e), e)
		p.attr = galley.Attr("", { "index-entry" })
		current.blocks[#current.blocks + 1] = p
	end
	-- Stable order of the groups by rank; entries inside keep theirs.
	for i, g in ipairs(out) do g.index = i end
	table.sort(out, function(a, b)
		local ra, rb = group_rank(a.name), group_rank(b.name)
		if ra ~= rb then return ra < rb end
		return a.index < b.index
	end)
	local blocks = {}
	for _, g in ipairs(out) do
		blocks[#blocks + 1] = galley.Div(g.blocks, galley.Attr("", { "index-group" }))
	end
	return blocks
end

local function options_of(block)
	local options = {}
	for _, kv in ipairs(utils.key_values(block)) do
		if kv.key == "title-zh" or kv.key == "title-en" or kv.key == "english" then
			options[kv.key] = kv.value
		else
			galley.error("unknown line in an index block: '" .. (kv.text or kv.key .. ": " .. kv.value) ..
				"' (title-zh:, title-en:, english: no)", kv.where)
		end
	end
	return options
end

local function build(block, entries)
	local options = options_of(block)
	local zh = {}
	for i, e in ipairs(entries) do zh[i] = e end
	table.sort(zh, function(a, b)
		if a.key ~= b.key then return a.key < b.key end
		local c = utils.compare(a.zh, b.zh, "zh")
		if c ~= 0 then return c < 0 end
		return a.id < b.id
	end)
	local function titled(title, blocks)
		local p = galley.Para({ galley.Strong({ galley.Str(title) }) })
		p.attr = galley.Attr("", { "index-title" })
		table.insert(blocks, 1, p)
		return blocks
	end
	local parts = {
		galley.Div(titled(options["title-zh"] or "汉语拼音索引",
			grouped(zh, function(e) return e.zh end, function(e) return e.key end)),
			galley.Attr("", { "index-zh" })),
	}
	if options.english ~= "no" and options.english ~= "false" then
		local en = {}
		for _, e in ipairs(entries) do if e.en and e.en ~= "" then en[#en + 1] = e end end
		utils.sort(en, "en", function(e) return e.en end)
		parts[#parts + 1] = galley.Div(titled(options["title-en"] or "英文对应词索引",
			grouped(en, function(e) return e.en end, function(e) return e.en:lower() end)),
			galley.Attr("", { "index-en" }))
	end
	local div = galley.Div(parts, galley.Attr("", { "index" }))
	div._line, div._col, div._file = block._line, block._col, block._file
	return div
end

return { galley_view = true, -- galley's view: text runs keep their spaces (filters.md)
	Doc = function(doc)
		local entries = nil
		for i, b in ipairs(doc.blocks) do
			if b.tag == "CodeBlock" and (b.info or ""):match("^%s*index%s*$") then
				entries = entries or entries_of(doc)
				if #entries == 0 then
					galley.warn("the index is empty: the document has no term entries "
						.. "(a ```terms block or headings of class term)", b)
				end
				doc.blocks[i] = build(b, entries)
			end
		end
		return doc
	end,
}
