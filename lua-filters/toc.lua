-- toc.lua: contents lists (目次, 目录) of the headings with their numbers, and
-- lists of figures and tables, for HTML and PDF alike.
--   * `toc: true` in the front matter puts the contents at the start of the
--     document; `toc: {depth: 3, title: 目录, figures: true, tables: true}`
--     chooses what it holds.  A code block ```toc (its lines `key: value`,
--     the same keys) puts it where the block stands instead.
--   * The contents is a Div {#toc .toc}: a heading {.toc-title}, then one Div
--     {.toc-entry level=N target=ID} per entry holding a paragraph: a link to
--     the heading (its number in a Span {.toc-number}, then its title) and an
--     empty Span {.page-ref target=ID} that the PDF fills with the page number.
--     Lists of figures and tables follow as Divs {.toc .toc-figures} and
--     {.toc .toc-tables} in the same form.
--   * `gb` documents (numbering: gb) list 前言, 引言, chapters and clauses to
--     the depth, annexes as "附录A（规范性）　title", 参考文献 and 索引, never
--     term entries or other unnumbered headings.
--   * `toc-style: grouped` (the bulletin's) lists the level-1 headings as
--     group labels, "【重要通知】", with the articles under them as "◎ title".
--   * `toc-new-page: true` (the standard's and bulletin's) starts a new page
--     after the contents.
-- Runs after clause-numbering and crossref, whose numbers it shows.

local utils = galley.utils
local has_class = utils.has_class

local KEYS = { depth = true, title = true, figures = true, tables = true, ["new-page"] = true,
	["figures-title"] = true, ["tables-title"] = true }

local function truthy(v)
	if type(v) == "boolean" then return v end
	if v == nil then return false end
	v = utils.stringify(v)
	return v == "true" or v == "yes" or v == "1"
end

-- Options from the front matter's `toc` (true or a map), or a ```toc block's lines.
local function options_of_meta(value)
	local o = {}
	if type(value) == "table" and value.tag == nil then
		for k, v in pairs(value) do
			if not KEYS[k] then
				galley.warn("unknown toc option '" .. k .. "' (known: depth, title, figures, " ..
					"tables, new-page, figures-title, tables-title)", "toc")
			end
			o[k] = v
		end
	end
	return o
end

local function options_of_block(block)
	local o = {}
	for _, kv in ipairs(utils.key_values(block)) do
		if kv.key and KEYS[kv.key] then
			o[kv.key] = kv.value
		else
			galley.error("not a toc option: '" .. (kv.text or kv.key .. ": " .. kv.value) ..
				"' (write `key: value`; keys: depth, title, figures, tables, new-page)", kv.where)
		end
	end
	return o
end

-- The text a heading's number prints before its title, as the PDF and HTML set it.
local function label_of(h)
	local number = h.attr.attributes["number"]
	if not number then return nil, nil end
	local label = number
	local kind = h.attr.attributes["annex-type"]
	if kind then label = label .. "（" .. kind .. "）" end
	-- No separator after a number's own mark ("一、", "（一）", "1.").
	local sep = "\u{3000}"
	if number:sub(-3) == "、" or number:sub(-3) == "）" or number:sub(-1) == "." then sep = "" end
	return label, sep
end

-- The title inlines for an entry: links become their text, notes go.
local function entry_title(inlines)
	local out = {}
	for _, il in ipairs(inlines) do
		if il.tag == "Link" then
			for _, c in ipairs(entry_title(il.content)) do out[#out + 1] = c end
		elseif il.tag ~= "Note" then
			out[#out + 1] = il:clone()
		end
	end
	return out
end

local function entry(level, id, number, sep, title, marker)
	local content = {}
	if marker then content[#content + 1] = galley.Span({ galley.Str(marker) }, galley.Attr("", { "toc-marker" })) end
	if number then
		content[#content + 1] = galley.Span({ galley.Str(number) }, galley.Attr("", { "toc-number" }))
		if sep ~= "" then content[#content + 1] = galley.Str(sep) end
	end
	for _, il in ipairs(title) do content[#content + 1] = il end
	local para = galley.Para({
		galley.Link(content, "#" .. id),
		galley.Span({}, galley.Attr("", { "page-ref" }, { target = id })),
	})
	return galley.Div({ para }, galley.Attr("", { "toc-entry" }, { level = tostring(level), target = id }))
end

-- The headings, figures and tables in document order, looking into Divs.
local function collect(blocks, out)
	for _, b in ipairs(blocks) do
		if b.tag == "Header" or b.tag == "Figure" or b.tag == "Table" then
			out[#out + 1] = b
		elseif b.tag == "Div" and not has_class(b, "toc") then
			collect(b.content, out)
		end
	end
	return out
end

-- Ids for the figures and tables a list shows that have none.
local function ensure_id(el, prefix, used)
	if el.attr.identifier ~= "" then return el.attr.identifier end
	local n, id = 1, nil
	repeat
		id = prefix .. "-" .. n
		n = n + 1
	until not used[id]
	used[id] = true
	el.attr.identifier = id
	return id
end

local function is_toc_block(b)
	return b.tag == "CodeBlock" and b.info ~= nil and b.info:match("^%s*(%S+)") == "toc"
end

local GB_LISTED = { ["前言"] = true, ["引言"] = true, ["参考文献"] = true, ["索引"] = true }

local function contents_entries(items, o, mode)
	local depth = tonumber(o.depth and utils.stringify(o.depth)) or 2
	local entries = {}
	for _, h in ipairs(items) do
		if h.tag ~= "Header" or h.level > depth or has_class(h, "unlisted") or
			has_class(h, "toc-title") or has_class(h, "term") or h.attr.identifier == "" then
			goto continue
		end
		local number, sep = label_of(h)
		local title = entry_title(h.content)
		if mode == "gb" then
			if not number and not (h.level == 1 and GB_LISTED[utils.stringify(h.content)]) then
				goto continue
			end
		end
		if mode == "grouped" and h.level == 1 then
			local text = utils.stringify(title)
			if not (text:sub(1, 3) == "【" or text:sub(1, 1) == "[") then text = "【" .. text .. "】" end
			local label = galley.Para({ galley.Link({ galley.Str(text) },
				"#" .. h.attr.identifier) })
			entries[#entries + 1] = galley.Div({ label }, galley.Attr("", { "toc-group" }, { target = h.attr.identifier }))
		elseif mode == "grouped" then
			entries[#entries + 1] = entry(h.level, h.attr.identifier, number, sep, title, "◎")
		else
			entries[#entries + 1] = entry(h.level, h.attr.identifier, number, sep, title)
		end
		::continue::
	end
	return entries
end

-- Entries for the figures (tag "Figure") or tables ("Table") that have numbers.
local function list_entries(items, tag, used)
	local entries = {}
	for _, el in ipairs(items) do
		local number = el.tag == tag and el.attr.attributes["number"]
		if number then
			local id = ensure_id(el, tag == "Figure" and "fig" or "tbl", used)
			entries[#entries + 1] = entry(1, id, number, "\u{3000}", entry_title(el.caption or {}))
		end
	end
	return entries
end

local function build(doc, o)
	local gb = doc.meta.numbering and utils.stringify(doc.meta.numbering) == "gb"
	local mode = doc.meta["toc-style"] and utils.stringify(doc.meta["toc-style"]) or
		(gb and "gb" or "plain")
	if mode ~= "gb" and mode ~= "grouped" and mode ~= "plain" then
		galley.error("unknown toc-style '" .. mode .. "' (known: gb, grouped, plain)", "toc-style")
		mode = "plain"
	end
	local items = collect(doc.blocks, {})
	local used = {}
	for _, el in ipairs(items) do
		if el.attr.identifier ~= "" then used[el.attr.identifier] = true end
	end
	-- GB/T 1.1 spaces its two-character titles: 目　次, as 前　言.
	local title = o.title and utils.stringify(o.title) or (gb and "目\u{3000}次" or "目录")
	local list_word = gb and "目次" or "目录"
	local out = {}
	local function add_list(classes, heading, entries, id)
		if #entries == 0 and classes[2] then return end
		local blocks = { galley.Header(1, { galley.Str(heading) },
			galley.Attr(id, { "unnumbered", "toc-title" })) }
		for _, e in ipairs(entries) do blocks[#blocks + 1] = e end
		out[#out + 1] = galley.Div(blocks, galley.Attr("", classes))
	end
	add_list({ "toc" }, title, contents_entries(items, o, mode), "toc")
	if truthy(o.figures) then
		add_list({ "toc", "toc-figures" }, o["figures-title"] and utils.stringify(o["figures-title"]) or
			("图" .. list_word), list_entries(items, "Figure", used), "list-of-figures")
	end
	if truthy(o.tables) then
		add_list({ "toc", "toc-tables" }, o["tables-title"] and utils.stringify(o["tables-title"]) or
			("表" .. list_word), list_entries(items, "Table", used), "list-of-tables")
	end
	local new_page = o["new-page"]
	if new_page == nil then new_page = doc.meta["toc-new-page"] end
	if truthy(new_page) then out[#out + 1] = galley.Div({}, galley.Attr("", { "page-break" })) end
	return out
end

return { galley_view = true, -- galley's view: text runs keep their spaces (filters.md)
	Doc = function(doc)
		local blocks_at = {}
		for i, b in ipairs(doc.blocks) do
			if is_toc_block(b) then blocks_at[#blocks_at + 1] = i end
		end
		local o, at
		if #blocks_at > 0 then
			at = blocks_at[1]
			o = options_of_block(doc.blocks[at])
			for k = 2, #blocks_at do
				galley.error("a second ```toc block: a document has one contents list",
					doc.blocks[blocks_at[k]])
			end
		elseif truthy(doc.meta.toc) or (type(doc.meta.toc) == "table" and doc.meta.toc.tag == nil) then
			o = options_of_meta(doc.meta.toc)
			at = 1
		else
			return nil
		end
		local depth = o.depth and tonumber(utils.stringify(o.depth))
		if o.depth and not (depth and depth >= 1 and depth <= 6 and depth % 1 == 0) then
			galley.error("toc depth must be a whole number from 1 to 6, not '" ..
				utils.stringify(o.depth) .. "'", #blocks_at > 0 and doc.blocks[at] or "toc")
			o.depth = nil
		end
		local lists = build(doc, o)
		local blocks = {}
		for i, b in ipairs(doc.blocks) do
			if i == at then
				for _, l in ipairs(lists) do blocks[#blocks + 1] = l end
			end
			if not (is_toc_block(b)) then
				blocks[#blocks + 1] = b
			end
		end
		doc.blocks = blocks
		return doc
	end,
}
