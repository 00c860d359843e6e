-- The Lua half of galley's filter engine: elements, constructors, walking, running a filter.
-- lf.c runs this chunk once per document, before any filter, and gets back the internals
-- table at its end; filters see only the `galley` module and the safe standard libraries.

local getinfo, traceback = debug.getinfo, debug.traceback
local type, pairs, ipairs, setmetatable, getmetatable, rawget, error, tostring =
	type, pairs, ipairs, setmetatable, getmetatable, rawget, error, tostring
local concat, sort = table.concat, table.sort

local galley = { utils = {} }
local internals = { galley = galley, current = nil }

local BLOCK = {
	Para = true, Heading = true, BlockQuote = true, BulletList = true,
	OrderedList = true, CodeBlock = true, RawBlock = true, HorizontalRule = true,
	Table = true, Figure = true, Div = true,
}
local INLINE = {
	Str = true, Emph = true, Strong = true, Strikeout = true, Code = true,
	Link = true, Image = true, SoftBreak = true, LineBreak = true,
	RawInline = true, Note = true, Span = true,
}
-- pandoc's names for the same elements, so that pandoc filters read naturally.
local ALIAS = { Header = "Heading", Text = "Str", Strikethrough = "Strikeout" }

-- What each element holds: fields that are lists of inlines, of blocks, or of lists of blocks.
local INLINE_CONTENT = {
	Para = true, Heading = true, Emph = true, Strong = true, Strikeout = true,
	Link = true, Image = true, Span = true,
}
local BLOCK_CONTENT = { BlockQuote = true, Div = true, Note = true, Figure = true }
local ITEM_CONTENT = { BulletList = true, OrderedList = true }

local methods = {}
local Element = {
	__index = function(el, key)
		if key == "t" then return rawget(el, "tag") end
		return methods[key]
	end,
}
internals.Element = Element

local function is_element(x)
	return type(x) == "table" and getmetatable(x) == Element
end

local function category(el)
	if BLOCK[el.tag] then return "block" end
	if INLINE[el.tag] then return "inline" end
	return nil
end

-- The filter line that called a constructor, so messages about made elements can point at it.
local function caller()
	for level = 3, 8 do
		local info = getinfo(level, "Sl")
		if info == nil then return nil end
		if info.what ~= "C" and info.source ~= "=galley" then
			return info.short_src .. ":" .. (info.currentline or 0)
		end
	end
	return nil
end

local function new(tag, fields)
	fields.tag = tag
	fields._origin = caller()
	return setmetatable(fields, Element)
end

local function describe(x)
	if is_element(x) then return "a " .. x.tag end
	if type(x) == "table" then return "a table without a tag" end
	return "a " .. type(x)
end

local function as_inlines(x, what)
	if x == nil then return {} end
	if type(x) == "string" then return { new("Str", { text = x }) } end
	if is_element(x) then x = { x } end
	if type(x) ~= "table" then
		error(what .. ": expected inlines, got " .. describe(x), 3)
	end
	local list = {}
	for i, el in ipairs(x) do
		if type(el) == "string" then el = new("Str", { text = el }) end
		if not is_element(el) or category(el) ~= "inline" then
			error(what .. ": item " .. i .. " is " .. describe(el) .. ", not an inline", 3)
		end
		list[i] = el
	end
	return list
end

local function as_blocks(x, what)
	if x == nil then return {} end
	if type(x) == "string" then return { new("Para", { content = { new("Str", { text = x }) } }) } end
	if is_element(x) then
		if category(x) == "inline" then
			return { new("Para", { content = { x } }) }
		end
		x = { x }
	end
	if type(x) ~= "table" then
		error(what .. ": expected blocks, got " .. describe(x), 3)
	end
	local list = {}
	for i, el in ipairs(x) do
		if not is_element(el) or category(el) ~= "block" then
			error(what .. ": item " .. i .. " is " .. describe(el) .. ", not a block", 3)
		end
		list[i] = el
	end
	return list
end

function galley.Attr(identifier, classes, attributes)
	if type(identifier) == "table" then
		return galley.Attr(identifier.identifier, identifier.classes, identifier.attributes)
	end
	local attr = { identifier = identifier or "", classes = {}, attributes = {} }
	for i, c in ipairs(classes or {}) do attr.classes[i] = tostring(c) end
	for k, v in pairs(attributes or {}) do
		if type(k) == "number" and type(v) == "table" then
			attr.attributes[tostring(v[1])] = tostring(v[2])
		else
			attr.attributes[tostring(k)] = tostring(v)
		end
	end
	return attr
end
local Attr = galley.Attr

function galley.Para(content) return new("Para", { content = as_inlines(content, "Para"), attr = Attr() }) end
function galley.Heading(level, content, attr)
	if type(level) ~= "number" or level < 1 or level > 6 or level % 1 ~= 0 then
		error("Heading: level must be a whole number from 1 to 6", 2)
	end
	return new("Heading", { level = level, content = as_inlines(content, "Heading"), attr = Attr(attr) })
end
galley.Header = galley.Heading
function galley.BlockQuote(content) return new("BlockQuote", { content = as_blocks(content, "BlockQuote"), attr = Attr() }) end
function galley.Div(content, attr) return new("Div", { content = as_blocks(content, "Div"), attr = Attr(attr) }) end

local function as_items(items, what)
	local list = {}
	for i, item in ipairs(items or {}) do list[i] = as_blocks(item, what) end
	return list
end
function galley.BulletList(items)
	return new("BulletList", { content = as_items(items, "BulletList"), tight = true, tasks = {}, attr = Attr() })
end
function galley.OrderedList(items, listattrs)
	listattrs = listattrs or {}
	return new("OrderedList", {
		content = as_items(items, "OrderedList"), tight = true, tasks = {}, attr = Attr(),
		start = listattrs.start or listattrs[1] or 1,
		style = listattrs.style or listattrs[2] or "Decimal",
		delimiter = listattrs.delimiter or listattrs[3] or "Period",
	})
end
function galley.CodeBlock(text, attr) return new("CodeBlock", { text = tostring(text), attr = Attr(attr) }) end
function galley.RawBlock(format, text) return new("RawBlock", { format = tostring(format), text = tostring(text), attr = Attr() }) end
function galley.HorizontalRule() return new("HorizontalRule", { attr = Attr() }) end
function galley.Figure(content, caption, attr)
	return new("Figure", { content = as_blocks(content, "Figure"), caption = as_inlines(caption, "Figure caption"), attr = Attr(attr) })
end

-- galley's own table constructor (pandoc's Table differs): rows = { { header = bool,
-- cells = { inlines, … } }, … }, aligns = { "left" | "center" | "right" | "default", … }.
function galley.Table(rows, aligns, caption, attr)
	local list = {}
	for i, row in ipairs(rows or {}) do
		if type(row) ~= "table" or type(row.cells) ~= "table" then
			error("Table: row " .. i .. " must be a table with cells", 2)
		end
		local cells = {}
		for j, cell in ipairs(row.cells) do cells[j] = as_inlines(cell, "Table cell") end
		list[i] = { header = row.header and true or false, cells = cells }
	end
	local a = {}
	for i, v in ipairs(aligns or {}) do a[i] = tostring(v) end
	return new("Table", { rows = list, aligns = a, caption = as_inlines(caption, "Table caption"), attr = Attr(attr) })
end
function galley.Str(text) return new("Str", { text = tostring(text) }) end
function galley.Emph(content) return new("Emph", { content = as_inlines(content, "Emph"), attr = Attr() }) end
function galley.Strong(content) return new("Strong", { content = as_inlines(content, "Strong"), attr = Attr() }) end
function galley.Strikeout(content) return new("Strikeout", { content = as_inlines(content, "Strikeout"), attr = Attr() }) end
function galley.Span(content, attr) return new("Span", { content = as_inlines(content, "Span"), attr = Attr(attr) }) end
function galley.Code(text, attr) return new("Code", { text = tostring(text), attr = Attr(attr) }) end
function galley.Link(content, target, title, attr)
	return new("Link", { content = as_inlines(content, "Link"), target = tostring(target or ""), title = title and tostring(title), attr = Attr(attr) })
end
function galley.Image(caption, src, title, attr)
	return new("Image", { content = as_inlines(caption, "Image"), src = tostring(src or ""), title = title and tostring(title), attr = Attr(attr) })
end
function galley.SoftBreak() return new("SoftBreak", {}) end
function galley.LineBreak() return new("LineBreak", {}) end
function galley.RawInline(format, text) return new("RawInline", { format = tostring(format), text = tostring(text), attr = Attr() }) end
function galley.Note(content) return new("Note", { content = as_blocks(content, "Note") }) end

-- As deep as galley follows elements (lf.c's limit too): deeper is a runaway
-- filter or an element inside itself, which would otherwise overflow the stack.
local MAX_DEPTH = 1000

local function too_deep(x)
	local origin = type(x) == "table" and rawget(x, "_origin")
	error((origin and origin .. ": " or "") .. "elements nested more than " .. MAX_DEPTH ..
		" deep (or an element inside itself)", 0)
end

-- For filters that recurse on their own: raises galley's error for elements nested
-- deeper than it follows (a runaway filter, or an element inside itself) once depth
-- passes the limit, naming the filter line that made el.
function galley.utils.check_depth(el, depth)
	if depth > MAX_DEPTH then too_deep(el) end
end

-- Deep copy; elements keep their metatable.
local function clone(x, depth)
	if type(x) ~= "table" then return x end
	depth = (depth or 0) + 1
	if depth > MAX_DEPTH then too_deep(x) end
	local copy = {}
	for k, v in pairs(x) do copy[k] = clone(v, depth) end
	return setmetatable(copy, getmetatable(x))
end
methods.clone = function(x) return clone(x) end

-- Where a filter function is defined, for messages about what it returned.
local function site(fn)
	local info = getinfo(fn, "S")
	return info.short_src .. ":" .. (info.linedefined or 0)
end

-- Adds what a filter function returned for el to out (pandoc's rules).
local function splice(out, result, el, kind, name, fn)
	if result == nil then
		out[#out + 1] = el
		return
	end
	if is_element(result) then
		result = { result }
	elseif type(result) ~= "table" then
		error(site(fn) .. ": function '" .. name .. "' returned " .. describe(result) ..
			"; expected nil, " .. kind .. " or a list of them", 0)
	end
	for i, r in ipairs(result) do
		if not is_element(r) or category(r) ~= kind then
			error(site(fn) .. ": function '" .. name .. "' returned " .. describe(r) ..
				(i > 1 and (" as item " .. i) or "") .. " where " .. kind .. " was expected", 0)
		end
		out[#out + 1] = r
	end
end

local walk_inlines, walk_blocks

-- Walks the lists an element holds (its children), bottom-up, with the functions fns;
-- depth counts the elements above (none for a document's blocks).
local function walk_children(el, fns, kind, depth)
	local tag = el.tag
	depth = (depth or 0) + 1
	if depth > MAX_DEPTH then too_deep(el) end
	if INLINE_CONTENT[tag] then
		el.content = walk_inlines(el.content, fns, kind, depth)
	elseif BLOCK_CONTENT[tag] then
		el.content = walk_blocks(el.content, fns, kind, depth)
	elseif ITEM_CONTENT[tag] then
		for i, item in ipairs(el.content) do el.content[i] = walk_blocks(item, fns, kind, depth) end
	end
	if tag == "Figure" or tag == "Table" then
		el.caption = walk_inlines(el.caption or {}, fns, kind, depth)
	end
	if tag == "Table" then
		for _, row in ipairs(el.rows) do
			for j, cell in ipairs(row.cells) do row.cells[j] = walk_inlines(cell, fns, kind, depth) end
		end
	end
end

local function walk_list(list, fns, kind, depth, this_kind, generic, plural)
	-- A new list only once a function returns something: a walk that changes
	-- nothing in a list (most lists, in most walks) costs no allocation.
	local out = nil
	for i, el in ipairs(list) do
		walk_children(el, fns, kind, depth)
		local fn, name = nil, el.tag
		if this_kind == kind then
			fn = fns[el.tag]
			if fn == nil then fn, name = fns[generic], generic end
		end
		local result = nil
		if fn then
			internals.current = el
			result = fn(el)
		end
		if result ~= nil and out == nil then
			-- A list item or table cell keeps its source position across the walk.
			out = table.move(list, 1, i - 1, 1, { _line = rawget(list, "_line"),
				_col = rawget(list, "_col"), _file = rawget(list, "_file") })
		end
		if out then splice(out, result, el, kind, name, fn) end
	end
	out = out or list
	if this_kind == kind and fns[plural] then
		local fn = fns[plural]
		local result = fn(out)
		if result ~= nil then
			local checked = {}
			for _, r in ipairs(type(result) == "table" and not is_element(result) and result or { result }) do
				splice(checked, r, nil, kind, plural, fn)
			end
			out = checked
		end
	end
	return out
end

function walk_inlines(list, fns, kind, depth)
	return walk_list(list, fns, kind, depth, "inline", "Inline", "Inlines")
end
function walk_blocks(list, fns, kind, depth)
	return walk_list(list, fns, kind, depth, "block", "Block", "Blocks")
end

-- The functions of a filter table under their canonical names, and which of the two
-- walks (inlines, then blocks) has anything to do: a walk without functions would
-- only rebuild every list of the document.
local function normalise(filter)
	local fns = {}
	for name, fn in pairs(filter) do
		if type(fn) == "function" then fns[ALIAS[name] or name] = fn end
	end
	if fns.Pandoc and not fns.Doc then fns.Doc = fns.Pandoc end
	local passes = {
		inline = fns.Inline ~= nil or fns.Inlines ~= nil,
		block = fns.Block ~= nil or fns.Blocks ~= nil,
	}
	for tag in pairs(fns) do
		if INLINE[tag] then passes.inline = true end
		if BLOCK[tag] then passes.block = true end
	end
	return fns, passes
end

function methods.walk(el, filter)
	local fns, passes = normalise(filter)
	local copy = clone(el)
	for _, kind in ipairs({ "inline", "block" }) do
		if passes[kind] then
			if rawget(copy, "blocks") then
				copy.blocks = walk_blocks(copy.blocks, fns, kind)
			else
				walk_children(copy, fns, kind)
			end
		end
	end
	return copy
end

-- Runs one filter table over doc = { blocks = …, meta = … } and returns the new doc.
local function run_one(filter, doc)
	local fns, passes = normalise(filter)
	if passes.inline then doc.blocks = walk_blocks(doc.blocks, fns, "inline") end
	if passes.block then doc.blocks = walk_blocks(doc.blocks, fns, "block") end
	internals.current = nil
	if fns.Meta then
		local meta = fns.Meta(doc.meta)
		if meta ~= nil then
			if type(meta) ~= "table" then
				error(site(fns.Meta) .. ": function 'Meta' returned " .. describe(meta) .. "; expected a table", 0)
			end
			doc.meta = meta
		end
	end
	if fns.Doc then
		local result = fns.Doc(setmetatable(doc, Element))
		if result ~= nil then
			if type(result) ~= "table" or type(result.blocks) ~= "table" then
				error(site(fns.Doc) .. ": function 'Doc' returned " .. describe(result) ..
					"; expected a document with blocks and meta", 0)
			end
			doc = result
		end
	end
	doc.blocks = as_blocks(doc.blocks, "document")
	return doc
end

-- A filter is a table of functions or, as in pandoc, a list of such tables run in order.
function internals.run(filter, doc)
	if type(filter) ~= "table" then
		error("the filter must return a table of functions, not " .. describe(filter), 0)
	end
	if filter[1] == nil then return run_one(filter, doc) end
	for i, one in ipairs(filter) do
		if type(one) ~= "table" then
			error("item " .. i .. " of the filter list is " .. describe(one) ..
				", not a table of functions", 0)
		end
		doc = run_one(one, doc)
	end
	return doc
end

function internals.traceback(message)
	if type(message) ~= "string" then message = describe(message) end
	return traceback(message, 2)
end

-- Plain text of an element, a list, a document or a metadata value.
local function stringify(x, out)
	if type(x) == "string" then
		out[#out + 1] = x
	elseif type(x) == "boolean" or type(x) == "number" then
		out[#out + 1] = tostring(x)
	elseif type(x) == "table" then
		local tag = rawget(x, "tag")
		if tag == "Str" or tag == "Code" then
			out[#out + 1] = x.text
		elseif tag == "SoftBreak" or tag == "LineBreak" then
			out[#out + 1] = " "
		elseif tag == "Note" or tag == "RawInline" or tag == "RawBlock" then
			return out
		elseif tag == "CodeBlock" then
			out[#out + 1] = x.text
		elseif tag ~= nil then
			if x.content then
				if ITEM_CONTENT[tag] then
					for _, item in ipairs(x.content) do stringify(item, out) end
				else
					stringify(x.content, out)
				end
			end
		elseif rawget(x, "blocks") then
			stringify(x.blocks, out)
		else
			for i, v in ipairs(x) do
				if i > 1 and is_element(v) and category(v) == "block" then out[#out + 1] = " " end
				stringify(v, out)
			end
		end
	end
	return out
end

function galley.utils.stringify(x)
	return concat(stringify(x, {}))
end

local DIGITS = { "一", "二", "三", "四", "五", "六", "七", "八", "九" }

-- 0 to 9999 in Chinese numerals, without the leading 一 of 一十 removed.
local function below_ten_thousand(n)
	local units = { "千", "百", "十", "" }
	local places = { n // 1000 % 10, n // 100 % 10, n // 10 % 10, n % 10 }
	local out, zero, started = {}, false, false
	for i = 1, 4 do
		local d = places[i]
		if d == 0 then
			zero = started
		else
			if zero then out[#out + 1] = "零" end
			out[#out + 1] = DIGITS[d] .. units[i]
			zero, started = false, true
		end
	end
	return concat(out)
end

-- Chinese numerals as in 第十二条, 一百零一, 一千零一十 (whole numbers below 10^8).
function galley.utils.cjk_number(n)
	if type(n) ~= "number" or n % 1 ~= 0 or n < 0 or n >= 100000000 then
		error("cjk_number: expected a whole number from 0 to 99999999", 2)
	end
	if n == 0 then return "零" end
	local high, low = n // 10000, n % 10000
	local s = ""
	if high > 0 then
		s = below_ten_thousand(high) .. "万"
		if low > 0 and low < 1000 then s = s .. "零" end
	end
	if low > 0 then s = s .. below_ten_thousand(low) end
	if s:sub(1, 6) == "一十" then s = s:sub(4) end
	return s
end

-- s without spaces, tabs and ideographic spaces at either end.
function galley.utils.trim(s)
	s = tostring(s)
	repeat
		local before = s
		s = s:gsub("^[ \t]+", ""):gsub("[ \t]+$", "")
		if s:sub(1, 3) == "\u{3000}" then s = s:sub(4) end
		if #s >= 3 and s:sub(-3) == "\u{3000}" then s = s:sub(1, -4) end
	until s == before
	return s
end

-- The lines of a code block such as ```toc or ```term, in order: { key =,
-- value =, where = } for `key: value` (or `key：value`) lines, { text =,
-- where = } for any other line that is not blank or a # comment; `where` is
-- the line's place, for galley.error.
function galley.utils.key_values(block)
	local out, i = {}, 0
	for line in (tostring(block.text) .. "\n"):gmatch("(.-)\r?\n") do
		i = i + 1
		local text = galley.utils.trim(line)
		if text ~= "" and not text:match("^#") then
			local where = { file = block._file or galley.source, line = (block._line or 0) + i,
				col = 1 }
			local key, value = text:match("^([%w_-]+)%s*[:：]%s*(.-)$")
			out[#out + 1] = key and { key = key, value = value, where = where } or
				{ text = text, where = where }
		end
	end
	return out
end

-- Whether element el has the class cls.
function galley.utils.has_class(el, cls)
	for _, c in ipairs(type(el) == "table" and el.attr and el.attr.classes or {}) do
		if c == cls then return true end
	end
	return false
end

-- a, b, …, z, aa, ab … as in GB/T 1.1 list items.
function galley.utils.alpha(n)
	if type(n) ~= "number" or n < 1 or n % 1 ~= 0 then
		error("alpha: expected a whole number from 1", 2)
	end
	local s = ""
	while n > 0 do
		local d = (n - 1) % 26
		s = string.char(97 + d) .. s
		n = (n - 1) // 26
	end
	return s
end

-- Sorted keys, for deterministic iteration over a map.
function galley.utils.sorted_keys(t)
	local keys = {}
	for k in pairs(t) do keys[#keys + 1] = k end
	sort(keys, function(a, b) return tostring(a) < tostring(b) end)
	return keys
end

-- Sorts list in place by galley.utils.compare in language lang ("zh" by default), comparing
-- key(item) when a key function is given; equal items keep their order.  Returns list.
function galley.utils.sort(list, lang, key)
	if type(list) ~= "table" then error("sort: expected a list", 2) end
	lang = lang or "zh"
	local compare = galley.utils.compare
	local items = {}
	for i, v in ipairs(list) do
		local k = v
		if key then k = key(v) end
		items[i] = { value = v, key = tostring(k), index = i }
	end
	sort(items, function(a, b)
		local c = compare(a.key, b.key, lang)
		if c ~= 0 then return c < 0 end
		return a.index < b.index
	end)
	for i, item in ipairs(items) do list[i] = item.value end
	return list
end

internals.is_element = is_element
return internals
