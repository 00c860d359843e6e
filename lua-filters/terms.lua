-- terms.lua: term bases, GB/T 1.1 term entries, uses of terms in the text and glossaries.
--   * Terms come from the files the front matter names in `term-bases:` (YAML or
--     TSV, read with galley.read_data), from the front matter's `terms:` list and
--     from ```term blocks of `key: value` lines; an id or a Chinese term defined
--     twice is an error.
--   * A ```terms block (term ids one a line, `all` or `all used`) becomes term
--     entries: a heading one level below the enclosing one, id = the term's id,
--     class `term`, "zh　en" (the English in a Span .term-en), then the
--     definition, 注/示例 and [来源：…] paragraphs.  clause-numbering, which runs
--     after this filter, numbers the headings 3.1, 3.2 …
--   * Uses of terms in the text are found (longest first; not in headings, code
--     or links).  `glossary: {annotate: first, link: true}` in the front matter
--     adds the English after the first use and links uses to the term's entry
--     (or to its glossary row).
--   * A ```glossary block becomes a table 中文 | English | (缩写 |) 定义 of the
--     terms used, sorted by pinyin (`sort: en`: by English); rows get ids
--     `gloss-<id>`.
-- The index (```index) is term-index.lua's, which runs after the numbering.

local utils = galley.utils
local has_class = utils.has_class
local trim = utils.trim
local IDEO_SPACE = "\u{3000}"

-- A string or a list of strings as a list (nil: empty).
local function as_list(v)
	if v == nil or v == "" then return {} end
	if type(v) == "table" then
		local out = {}
		for _, x in ipairs(v) do out[#out + 1] = utils.stringify(x) end
		return out
	end
	return { tostring(v) }
end

-- "file:line" of a place, for messages that point at two places.
local function place_text(where)
	if type(where) == "table" then
		local file = where._file or where.file or galley.source
		local line = where._line or where.line
		return line and (file .. ":" .. line) or file
	end
	return "the front matter's '" .. tostring(where) .. "'"
end

-- The sort key of a term: its `pinyin` (tone marks or digits, spaced or not) or the pinyin
-- galley finds, lower-case, one space between syllables.
local function sort_key(zh, pinyin)
	local key = utils.pinyin(pinyin and pinyin ~= "" and pinyin or zh)
	key = key:gsub("(%a[1-5])(%a)", "%1 %2"):gsub("(%a[1-5])(%a)", "%1 %2")
	return key
end

-- The term registry --------------------------------------------------------

local terms, by_id, by_zh = {}, {}, {}
local FIELDS = { "id", "zh", "en" }

-- Adds a term from a row (a table of strings); where is the place errors point at.
local function add_term(row, where)
	for _, key in ipairs(FIELDS) do
		local v = row[key]
		if v == nil or trim(utils.stringify(v)) == "" then
			galley.error("the term " .. (row.id and ("'" .. tostring(row.id) .. "' ") or
				(row.zh and ("“" .. tostring(row.zh) .. "” ") or "")) ..
				"has no '" .. key .. "' (every term needs id, zh and en)", where)
			return
		end
	end
	local t = {
		id = trim(utils.stringify(row.id)), zh = trim(utils.stringify(row.zh)),
		en = trim(utils.stringify(row.en)),
		def = row.def and trim(utils.stringify(row.def)) or nil,
		abbr = row.abbr and trim(utils.stringify(row.abbr)) or nil,
		pinyin = row.pinyin and trim(utils.stringify(row.pinyin)) or nil,
		source = row.source and trim(utils.stringify(row.source)) or nil,
		notes = as_list(row.note), examples = as_list(row.example),
		where = where,
	}
	if t.abbr == "" then t.abbr = nil end
	if t.def == "" then t.def = nil end
	if not t.id:match("^[%w_][%w_%-%.:]*$") then
		galley.error("the term id '" .. t.id .. "' may hold only letters, digits and - _ . :", where)
		return
	end
	if by_id[t.id] then
		galley.error("the term id '" .. t.id .. "' is defined twice (first at " ..
			place_text(by_id[t.id].where) .. ")", where)
		return
	end
	if by_zh[t.zh] then
		galley.error("the term “" .. t.zh .. "” is defined twice (as '" .. by_zh[t.zh].id ..
			"' at " .. place_text(by_zh[t.zh].where) .. ")", where)
		return
	end
	terms[#terms + 1] = t
	by_id[t.id], by_zh[t.zh] = t, t
end

-- Whether v is a file name or a list of them (YAML gives a map as a table with string keys).
local function is_name_list(v)
	if type(v) == "string" then return true end
	if type(v) ~= "table" then return false end
	local count = 0
	for _ in pairs(v) do count = count + 1 end
	if count ~= #v then return false end
	for _, x in ipairs(v) do
		if type(x) ~= "string" then return false end
	end
	return true
end

local function load_bases(meta)
	local bases = meta["term-bases"]
	if bases == nil then return end
	if not is_name_list(bases) then
		galley.error("'term-bases' must be a file name or a list of file names", "term-bases")
		return
	end
	for _, name in ipairs(as_list(bases)) do
		local rows, err, reported = galley.read_data(name)
		if not rows then
			if not reported then galley.error("term base: " .. err, "term-bases") end
		else
			for _, row in ipairs(rows) do add_term(row, row) end
		end
	end
end

local function load_front_matter(meta)
	local list = meta.terms
	if list == nil then return end
	if type(list) ~= "table" then
		galley.error("'terms' must be a list of terms (maps with id, zh, en, def …)", "terms")
		return
	end
	for _, row in ipairs(list) do
		if type(row) ~= "table" then
			galley.error("each of 'terms' must be a map with id, zh, en, def …", "terms")
		else
			add_term(row, "terms")
		end
	end
end

local function code_kind(b)
	if b.tag ~= "CodeBlock" then return nil end
	local info = (b.info or ""):match("^%s*([%w_-]+)")
	if info == nil and b.attr and b.attr.classes[1] then info = b.attr.classes[1] end
	return info
end

-- The place of line i (1 = the first line inside the fence) of a code block.
local function line_of(block, i)
	return { file = block._file or galley.source, line = (block._line or 0) + i, col = 1 }
end

-- A ```term block: `key: value` lines (note and example may repeat).
local function read_term_block(block)
	local row = {}
	for _, kv in ipairs(utils.key_values(block)) do
		if not kv.key then
			galley.error("a term block holds 'key: value' lines", kv.where)
			return
		end
		if kv.key == "note" or kv.key == "example" then
			row[kv.key] = row[kv.key] or {}
			table.insert(row[kv.key], kv.value)
		else
			row[kv.key] = kv.value
		end
	end
	add_term(row, line_of(block, 1))
end

-- Term entries ----------------------------------------------------------------

local function numbered_paras(word, texts)
	local out = {}
	for k, text in ipairs(texts) do
		local lead = word .. (#texts > 1 and tostring(k) or "") .. "："
		out[#out + 1] = galley.Para({ galley.Str(lead .. text) })
	end
	return out
end

local function entry(t, level)
	local attr = galley.Attr(t.id, { "term" })
	if t.pinyin then
		t.key = t.key or sort_key(t.zh, t.pinyin)
		attr.attributes["pinyin"] = t.key
	end
	local blocks = {
		galley.Header(level, { galley.Str(t.zh), galley.Str(IDEO_SPACE),
			galley.Span({ galley.Str(t.en) }, galley.Attr("", { "term-en" })) }, attr),
	}
	if t.abbr then blocks[#blocks + 1] = galley.Para({ galley.Str(t.abbr) }) end
	if t.def then blocks[#blocks + 1] = galley.Para({ galley.Str(t.def) }) end
	for _, p in ipairs(numbered_paras("示例", t.examples)) do blocks[#blocks + 1] = p end
	for _, p in ipairs(numbered_paras("注", t.notes)) do blocks[#blocks + 1] = p end
	if t.source then blocks[#blocks + 1] = galley.Para({ galley.Str("[来源：" .. t.source .. "]") }) end
	return blocks
end

-- The options of a terms/glossary block and the terms it names; nil after an error.
local function read_selection(block, used, default)
	local names, options = {}, {}
	local i = 0
	for line in (block.text .. "\n"):gmatch("(.-)\r?\n") do
		i = i + 1
		local text = trim(line)
		if text ~= "" and not text:match("^#") then
			local key, value = text:match("^([%w_-]+)%s*[:：]%s*(.-)$")
			if key then
				options[key] = value
			else
				names[#names + 1] = { text = text, line = i }
			end
		end
	end
	if #names == 0 then names = default and { { text = default, line = 1 } } or {} end
	if #names == 0 then
		galley.error("a terms block names the terms to define: their ids one a line, "
			.. "`all` or `all used`", line_of(block, 0))
		return nil
	end
	local list, seen = {}, {}
	local function take(t)
		if not seen[t.id] then
			seen[t.id] = true
			list[#list + 1] = t
		end
	end
	for _, name in ipairs(names) do
		if name.text == "all" then
			for _, t in ipairs(terms) do take(t) end
		elseif name.text == "all used" or name.text == "used" then
			for _, t in ipairs(terms) do if used[t.id] then take(t) end end
		elseif by_id[name.text] then
			take(by_id[name.text])
		else
			galley.error("unknown term '" .. name.text .. "' (no term base or term block "
				.. "defines it)", line_of(block, name.line))
		end
	end
	return list, options
end

-- Uses of terms in the text -------------------------------------------------------

local function mark_uses(doc, opts, targets)
	local ordered = {}
	for _, t in ipairs(terms) do ordered[#ordered + 1] = t end
	table.sort(ordered, function(a, b)
		if #a.zh ~= #b.zh then return #a.zh > #b.zh end
		return a.id < b.id
	end)
	-- Where uses overlap, the first wins, then the longest: 视频监控系统 over 视频.
	local words = {}
	for i, t in ipairs(ordered) do words[i] = t.zh end
	local matcher = utils.matcher(words)
	local used, annotated = {}, {}
	local own = nil		-- the term whose entry we are in: it does not refer to itself
	local change = opts.annotate ~= "none" or opts.link

	local function rewrite_str(s)
		local uses = matcher:find_all(s.text)
		if #uses == 0 then return nil end
		local out, pos = {}, 1
		for _, u in ipairs(uses) do
			local t = ordered[u.index]
			if t.id ~= own then
				used[t.id] = true
				if change then
					if u.from > pos then out[#out + 1] = galley.Str(s.text:sub(pos, u.from - 1)) end
					local word = galley.Str(t.zh)
					local target = opts.link and targets(t)
					if target then
						out[#out + 1] = galley.Link({ word }, target, nil, galley.Attr("", { "term" }))
					else
						out[#out + 1] = galley.Span({ word }, galley.Attr("", { "term" }))
					end
					-- Not when the text gives the English itself: 双栈（dual stack）.
					local given = s.text:sub(u.to + 1, u.to + #("（" .. t.en)) == "（" .. t.en
					if not given and (opts.annotate == "all" or
						(opts.annotate == "first" and not annotated[t.id])) then
						annotated[t.id] = true
						out[#out + 1] = galley.Str("（" .. t.en .. "）")
					end
					pos = u.to + 1
				end
			end
		end
		if not change or pos == 1 then return nil end
		if pos <= #s.text then out[#out + 1] = galley.Str(s.text:sub(pos)) end
		return out
	end

	local walk_blocks
	-- The list itself when nothing in it changes: the first pass changes nothing.
	local function walk_inlines(list)
		local out = nil
		for i, el in ipairs(list) do
			local tag = el.tag
			local replaced = nil
			if tag == "Str" then
				replaced = rewrite_str(el)
			elseif tag == "Emph" or tag == "Strong" or tag == "Strikeout" or tag == "Span" then
				el.content = walk_inlines(el.content)
			elseif tag == "Note" then
				el.content = walk_blocks(el.content)
			end
			-- Link, Image, Code, RawInline: left alone.
			if replaced and not out then out = table.move(list, 1, i - 1, 1, {}) end
			if replaced then
				for _, r in ipairs(replaced) do out[#out + 1] = r end
			elseif out then
				out[#out + 1] = el
			end
		end
		return out or list
	end
	function walk_blocks(list)
		for _, b in ipairs(list) do
			local tag = b.tag
			if tag == "Header" then
				own = has_class(b, "term") and b.attr.identifier or nil
			elseif tag == "Para" then
				b.content = walk_inlines(b.content)
			elseif tag == "BlockQuote" or tag == "Div" or tag == "Figure" then
				if not has_class(b, "glossary") then b.content = walk_blocks(b.content) end
			elseif tag == "BulletList" or tag == "OrderedList" then
				for i, item in ipairs(b.content) do b.content[i] = walk_blocks(item) end
			elseif tag == "Table" and not has_class(b, "glossary") then
				for _, row in ipairs(b.rows) do
					if not row.header then
						for j, cell in ipairs(row.cells) do row.cells[j] = walk_inlines(cell) end
					end
				end
			end
		end
		return list
	end
	walk_blocks(doc.blocks)
	return used
end

-- Glossaries ------------------------------------------------------------------------

local function glossary_table(block, list, options)
	local sort = options.sort or "pinyin"
	if sort == "pinyin" or sort == "zh" then
		for _, t in ipairs(list) do t.key = t.key or sort_key(t.zh, t.pinyin) end
	end
	if sort == "en" or sort == "english" then
		utils.sort(list, "en", function(t) return t.en end)
	elseif sort == "pinyin" or sort == "zh" then
		table.sort(list, function(a, b)
			if a.key ~= b.key then return a.key < b.key end
			local c = utils.compare(a.zh, b.zh, "zh")
			if c ~= 0 then return c < 0 end
			return a.id < b.id
		end)
	else
		galley.error("unknown sort '" .. sort .. "' (pinyin or en)", line_of(block, 0))
	end
	local abbr = false
	for _, t in ipairs(list) do if t.abbr then abbr = true end end
	local head = { { galley.Str("中文") }, { galley.Str("English") } }
	if abbr then head[#head + 1] = { galley.Str("缩写") } end
	head[#head + 1] = { galley.Str("定义") }
	local rows = { { header = true, cells = head } }
	for _, t in ipairs(list) do
		local cells = {
			{ galley.Span({ galley.Str(t.zh) }, galley.Attr("gloss-" .. t.id)) },
			{ galley.Str(t.en) },
		}
		if abbr then cells[#cells + 1] = { galley.Str(t.abbr or "") } end
		cells[#cells + 1] = { galley.Str(t.def or "") }
		rows[#rows + 1] = { header = false, cells = cells }
	end
	local aligns = {}
	for i = 1, #head do aligns[i] = "left" end
	return galley.Table(rows, aligns, {}, galley.Attr("", { "glossary" }))
end

-- The filter ----------------------------------------------------------------------

local function options_of(meta)
	local g = meta.glossary
	local opts = { annotate = "none", link = false }
	if type(g) == "table" then
		local a = g.annotate
		if a == true then a = "first" elseif a == false or a == nil then a = "none" end
		a = tostring(a)
		if a ~= "none" and a ~= "first" and a ~= "all" then
			galley.error("glossary: annotate is none, first or all, not '" .. a .. "'", "glossary")
			a = "none"
		end
		opts.annotate = a
		opts.link = g.link == true or g.link == "true"
	elseif g ~= nil then
		galley.error("'glossary' holds options: {annotate: first, link: true}", "glossary")
	end
	return opts
end

return { galley_view = true, -- galley's view: text runs keep their spaces (filters.md)
	Doc = function(doc)
		load_bases(doc.meta)
		load_front_matter(doc.meta)
		local blocks, out = doc.blocks, {}
		local wanted = false
		for _, b in ipairs(blocks) do
			local kind = code_kind(b)
			if kind == "term" then
				read_term_block(b)
			else
				if kind == "terms" or kind == "glossary" or kind == "index" then wanted = true end
				out[#out + 1] = b
			end
		end
		if #terms == 0 and not wanted then
			doc.blocks = out
			return doc
		end
		-- Term entries first, so that uses can link to them.
		local pending_level = {}	-- a terms block's entries' heading level
		local level = 1
		for _, b in ipairs(out) do
			if b.tag == "Header" then level = b.level + 1 end
			if code_kind(b) == "terms" then pending_level[b] = math.min(level, 6) end
		end
		local has_glossary = false
		for _, b in ipairs(out) do if code_kind(b) == "glossary" then has_glossary = true end end
		-- "all used" needs the uses, the uses' links need the entries: find uses in a copy first.
		local used = mark_uses({ blocks = out }, { annotate = "none", link = false },
			function() return nil end)
		local entries = {}
		local final = {}
		for _, b in ipairs(out) do
			if pending_level[b] then
				local list = read_selection(b, used, nil)
				for _, t in ipairs(list or {}) do
					entries[t.id] = true
					for _, e in ipairs(entry(t, pending_level[b])) do final[#final + 1] = e end
				end
			else
				final[#final + 1] = b
			end
		end
		doc.blocks = final
		-- Headings of class term written by hand count as entries too.
		for _, b in ipairs(final) do
			if b.tag == "Header" and has_class(b, "term") and b.attr.identifier ~= "" then
				entries[b.attr.identifier] = true
			end
		end
		local opts = options_of(doc.meta)
		used = mark_uses(doc, opts, function(t)
			if entries[t.id] then return "#" .. t.id end
			if has_glossary then return "#gloss-" .. t.id end
			return nil
		end)
		-- Glossary blocks, from what the text uses.
		for i, b in ipairs(doc.blocks) do
			if code_kind(b) == "glossary" then
				local list, options = read_selection(b, used, "all used")
				if list then
					if #list == 0 then
						galley.warn("the glossary is empty: the text uses none of the terms", b)
						doc.blocks[i] = galley.Div({}, galley.Attr("", { "glossary" }))
					else
						doc.blocks[i] = glossary_table(b, list, options)
					end
				end
			end
		end
		return doc
	end,
}
