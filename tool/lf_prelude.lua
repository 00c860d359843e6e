-- The Lua half of galley's filter engine: elements, constructors, walking, running a filter.
-- With lf_library.lua and lf_sandbox.lua after it, it makes one chunk (out/bin/gen-prelude
-- joins them, so that they share its locals), which lf.c runs once per document, before any
-- filter, and which gives back the internals table at its end; filters see the `pandoc` and
-- `galley` modules and the safe standard libraries, each filter file in an environment of its own.

local getinfo, traceback = debug.getinfo, debug.traceback
local type, pairs, ipairs, setmetatable, getmetatable, rawget, error, tostring =
	type, pairs, ipairs, setmetatable, getmetatable, rawget, error, tostring
local concat, sort = table.concat, table.sort

local G = _G
local galley = { utils = {} }
-- pandoc's module: the same constructors as galley's, pandoc's names and utilities.
local pandoc = { utils = {}, text = {}, path = {}, system = {}, mediabag = {}, types = {} }
local internals = { galley = galley, pandoc = pandoc, current = nil }
local find, sub, gsub, rep = string.find, string.sub, string.gsub, string.rep

-- The elements' tags by kind, and by what they hold (inlines, blocks, lists of blocks, a
-- definition list's items): out/bin/gen-prelude writes the next line from tool/doc_types.h.
--@doc_types@
-- Other names for the same elements: galley's older ones and pandoc's.
local ALIAS = { Heading = "Header", Text = "Str", Strikethrough = "Strikeout", Doc = "Pandoc" }

-- Lists: pandoc.List, and its kinds Inlines and Blocks (lists of elements that can be walked).
local List = {}
List.__index = List
local Inlines = setmetatable({}, { __index = List })
Inlines.__index = Inlines
local Blocks = setmetatable({}, { __index = List })
Blocks.__index = Blocks
internals.List, internals.Inlines, internals.Blocks = List, Inlines, Blocks

local methods = {}
-- Fields pandoc reads through an element's attr.
local SHORTCUT = { identifier = true, classes = true, attributes = true }
local Attr = {}
Attr.__index = Attr
internals.Attr = Attr
-- Keys __index answers besides the methods; any other missing field is nil at once
-- (galley reads many missing fields when it takes a document back).
local COMPUTED = { t = true, identifier = true, classes = true, attributes = true,
	caption = true, listAttributes = true }
local Element = {
	__index = function(el, key)
		local m = methods[key]
		if m then return m end
		if not COMPUTED[key] then return nil end
		if key == "t" then return rawget(el, "tag") end
		if SHORTCUT[key] then
			local a = rawget(el, "attr")
			return a and a[key]
		end
		local tag = rawget(el, "tag")
		if key == "caption" and tag == "Image" then return rawget(el, "content") end
		if key == "listAttributes" and tag == "OrderedList" then
			return { start = el.start, style = el.style, delimiter = el.delimiter }
		end
		return nil
	end,
	__newindex = function(el, key, value)
		if SHORTCUT[key] then
			local a = rawget(el, "attr")
			if a == nil then
				a = setmetatable({ identifier = "", classes = setmetatable({}, List), attributes = {} }, Attr)
				rawset(el, "attr", a)
			end
			if key == "classes" and type(value) == "table" then setmetatable(value, List) end
			a[key] = value
		elseif key == "t" then
			rawset(el, "tag", value)
		elseif key == "caption" and rawget(el, "tag") == "Image" then
			rawset(el, "content", value)
		elseif key == "listAttributes" and type(value) == "table" then
			rawset(el, "start", value.start or value[1])
			rawset(el, "style", value.style or value[2])
			rawset(el, "delimiter", value.delimiter or value[3])
		else
			rawset(el, key, value)
		end
	end,
}
internals.Element = Element

-- pairs over an element skips galley's bookkeeping (_line, _col, _origin, …), which
-- pandoc's elements do not have: filters that dump elements show pandoc's fields.
local function next_field(t, k)
	local v
	repeat
		k, v = next(t, k)
	until type(k) ~= "string" or sub(k, 1, 1) ~= "_"
	return k, v
end
Element.__pairs = function(t) return next_field, t, nil end

local function is_element(x)
	return type(x) == "table" and getmetatable(x) == Element
end

local function category(el)
	if BLOCK[el.tag] then return "block" end
	if INLINE[el.tag] then return "inline" end
	return nil
end

-- The filter line that called a constructor, so messages about made elements can point at it
-- (internals.origin, lf.c, looks at the levels from 3 up, as getinfo here would).
local function caller()
	local origin = internals.origin()
	return origin
end

local function new(tag, fields)
	fields.tag = tag
	fields._origin = caller()
	return setmetatable(fields, Element)
end

-- Raises a misuse of the API at the filter line that called into galley; after a tail
-- call (return pandoc.Header(…)) that line is gone, and the running filter function's
-- first line stands for it.
local function raise(message)
	for level = 3, 12 do
		local info = getinfo(level, "Sl")
		if info == nil then break end
		if info.what ~= "C" and info.source ~= "=galley" then
			error(info.short_src .. ":" .. (info.currentline or 0) .. ": " .. message, 0)
		end
	end
	local fn = internals.current_fn
	if fn then
		local info = getinfo(fn, "S")
		error(info.short_src .. ":" .. (info.linedefined or 0) .. ": " .. message, 0)
	end
	error(message, 0)
end

local function describe(x)
	if is_element(x) then return "a " .. x.tag end
	if type(x) == "table" then return "a table without a tag" end
	return "a " .. type(x)
end

-- Str and Space elements for text as pandoc splits it: a run of spaces or tabs is one Space.
-- Whether constructors split text at spaces and make pandoc's tables and captions: in
-- galley's view a string stays one Str.
local splitting = true

local function text_inlines(s, out)
	local pos, n = 1, #s
	if not splitting or n > 0 and not find(s, "[ \t\r\n]") then
		out[#out + 1] = new("Str", { text = s })
		return out
	end
	local origin = caller()
	while pos <= n do
		local a, b = find(s, "[ \t\r\n]+", pos)
		if a == nil then a, b = n + 1, n end
		if a > pos then
			out[#out + 1] = setmetatable({ tag = "Str", text = sub(s, pos, a - 1), _origin = origin }, Element)
		end
		if a <= n then
			-- pandoc.Inlines: spaces are a Space, a run with a line break a SoftBreak
			local nl = find(s, "\n", a, true)
			local tag = nl and nl <= b and "SoftBreak" or "Space"
			out[#out + 1] = setmetatable({ tag = tag, _origin = origin }, Element)
		end
		pos = b + 1
	end
	return out
end

local function as_inlines(x, what)
	if x == nil then return setmetatable({}, Inlines) end
	if type(x) == "string" then return text_inlines(x, setmetatable({}, Inlines)) end
	if is_element(x) then x = { x } end
	if type(x) ~= "table" then
		raise(what .. ": expected inlines, got " .. describe(x))
	end
	local list = setmetatable({}, Inlines)
	for i, el in ipairs(x) do
		if type(el) == "string" then
			el = new("Str", { text = el })
		elseif getmetatable(el) ~= Element or not INLINE[el.tag] then
			raise(what .. ": item " .. i .. " is " .. describe(el) .. ", not an inline")
		end
		list[i] = el
	end
	return list
end

local function as_blocks(x, what)
	if x == nil then return setmetatable({}, Blocks) end
	if type(x) == "string" then
		-- pandoc makes a Plain of a string where blocks are expected; galley's view a Para
		return setmetatable({ new(splitting and "Plain" or "Para",
			{ content = text_inlines(x, setmetatable({}, Inlines)) }) }, Blocks)
	end
	if is_element(x) then
		if category(x) == "inline" then
			return setmetatable({ new("Plain", { content = setmetatable({ x }, Inlines) }) }, Blocks)
		end
		x = { x }
	end
	if type(x) ~= "table" then
		raise(what .. ": expected blocks, got " .. describe(x))
	end
	local list = setmetatable({}, Blocks)
	local inlines = nil
	for i, el in ipairs(x) do
		local tag = getmetatable(el) == Element and el.tag
		if BLOCK[tag] then
			inlines = nil
			list[#list + 1] = el
		elseif type(el) == "string" or INLINE[tag] then
			-- pandoc's rule: inlines among blocks are gathered into a Plain.
			if inlines == nil then
				inlines = setmetatable({}, Inlines)
				list[#list + 1] = new("Plain", { content = inlines })
			end
			inlines[#inlines + 1] = type(el) == "string" and new("Str", { text = el }) or el
		else
			raise(what .. ": item " .. i .. " is " .. describe(el) .. ", not a block")
		end
	end
	return list
end

local function make_attr(identifier, classes, attributes)
	if type(identifier) == "table" then
		local a = identifier
		return make_attr(a.identifier or a[1], a.classes or a[2], a.attributes or a[3])
	end
	local attr = setmetatable({ identifier = identifier or "", classes = setmetatable({}, List), attributes = {} }, Attr)
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
pandoc.Attr = make_attr
function Attr.clone(a) return make_attr(a) end
local function AttrOf(x) return make_attr(x) end

function pandoc.Para(content) return new("Para", { content = as_inlines(content, "Para"), attr = AttrOf() }) end
function pandoc.Plain(content) return new("Plain", { content = as_inlines(content, "Plain"), attr = AttrOf() }) end
function pandoc.Header(level, content, attr)
	if type(level) ~= "number" or level < 1 or level > 6 or level % 1 ~= 0 then
		raise("Header: level must be a whole number from 1 to 6")
	end
	return new("Header", { level = level, content = as_inlines(content, "Header"), attr = AttrOf(attr) })
end
function pandoc.BlockQuote(content) return new("BlockQuote", { content = as_blocks(content, "BlockQuote"), attr = AttrOf() }) end
function pandoc.Div(content, attr) return new("Div", { content = as_blocks(content, "Div"), attr = AttrOf(attr) }) end

local function as_items(items, what)
	local list = setmetatable({}, List)
	if is_element(items) then items = { items } end
	for i, item in ipairs(items or {}) do list[i] = as_blocks(item, what) end
	return list
end
function pandoc.BulletList(items)
	return new("BulletList", { content = as_items(items, "BulletList"), tight = true, tasks = {}, attr = AttrOf() })
end
function pandoc.OrderedList(items, listattrs)
	listattrs = listattrs or {}
	return new("OrderedList", {
		content = as_items(items, "OrderedList"), tight = true, tasks = {}, attr = AttrOf(),
		start = listattrs.start or listattrs[1] or 1,
		style = listattrs.style or listattrs[2] or "Decimal",
		delimiter = listattrs.delimiter or listattrs[3] or "Period",
	})
end
function pandoc.ListAttributes(start, style, delimiter)
	return { start = start or 1, style = style or "DefaultStyle", delimiter = delimiter or "DefaultDelim" }
end
-- pandoc.DefinitionList({{term, {definition, …}}, …}): a term is inlines, each definition
-- blocks; one definition may stand alone.  An item is tight (_tight) when none of its
-- definitions starts with a Para.
function pandoc.DefinitionList(items)
	local list, tight = setmetatable({}, List), true
	for i, item in ipairs(type(items) == "table" and items or {}) do
		if type(item) ~= "table" or is_element(item) then
			raise("DefinitionList: item " .. i .. " is " .. describe(item) .. ", not a pair {term, definitions}")
		end
		local defs, out, item_tight = item[2], setmetatable({}, List), true
		if type(defs) ~= "table" or is_element(defs) or is_element(defs[1]) then defs = { defs } end
		for j, d in ipairs(defs) do
			out[j] = as_blocks(d, "DefinitionList")
			if out[j][1] and out[j][1].tag == "Para" then item_tight, tight = false, false end
		end
		list[i] = { as_inlines(item[1], "DefinitionList"), out, _tight = item_tight }
	end
	return new("DefinitionList", { content = list, tight = tight, attr = AttrOf() })
end
function pandoc.CodeBlock(text, attr) return new("CodeBlock", { text = tostring(text), attr = AttrOf(attr) }) end
function pandoc.RawBlock(format, text) return new("RawBlock", { format = tostring(format), text = tostring(text), attr = AttrOf() }) end
function pandoc.HorizontalRule() return new("HorizontalRule", { attr = AttrOf() }) end

-- A caption as pandoc gives it (Caption {long = Blocks, short = Inlines}), or inlines, as inlines.
local blocks_to_inlines
local function caption_inlines(caption, what)
	if type(caption) == "table" and not is_element(caption) and (caption.long or caption.short) then
		if caption.long and #caption.long > 0 then return blocks_to_inlines(as_blocks(caption.long, what)) end
		return as_inlines(caption.short, what)
	end
	if type(caption) == "table" and is_element(caption[1]) and category(caption[1]) == "block" then
		return blocks_to_inlines(as_blocks(caption, what))
	end
	return as_inlines(caption, what)
end
-- A caption as pandoc's view has it: { long = Blocks, short = Inlines or nil }.
local function as_caption(caption, what)
	if type(caption) == "table" and not is_element(caption) and
			(rawget(caption, "long") ~= nil or rawget(caption, "short") ~= nil) then
		return { long = as_blocks(caption.long, what), short = caption.short and as_inlines(caption.short, what) }
	end
	if caption == nil or (type(caption) == "table" and caption[1] == nil and not is_element(caption)) then
		return { long = setmetatable({}, Blocks) }
	end
	if type(caption) == "table" and is_element(caption[1]) and category(caption[1]) == "block" then
		return { long = as_blocks(caption, what) }
	end
	return { long = setmetatable({ new("Plain", { content = as_inlines(caption, what) }) }, Blocks) }
end
function pandoc.Figure(content, caption, attr)
	return new("Figure", { content = as_blocks(content, "Figure"),
		caption = splitting and as_caption(caption, "Figure caption") or caption_inlines(caption, "Figure caption"),
		attr = AttrOf(attr) })
end

local function galley_table(rows, aligns, caption, attr)
	local list = {}
	for i, row in ipairs(rows or {}) do
		if type(row) ~= "table" or type(row.cells) ~= "table" then
			raise("Table: row " .. i .. " must be a table with cells")
		end
		local cells = {}
		for j, cell in ipairs(row.cells) do cells[j] = as_inlines(cell, "Table cell") end
		list[i] = { header = row.header and true or false, cells = cells }
	end
	local a = {}
	for i, v in ipairs(aligns or {}) do a[i] = tostring(v) end
	return new("Table", { rows = list, aligns = a, caption = caption_inlines(caption, "Table caption"), attr = AttrOf(attr) })
end
-- galley's own table constructor: rows = { { header = bool, cells = { inlines, … } }, … },
-- aligns = { "left" | "center" | "right" | "default", … }.
function galley.Table(rows, aligns, caption, attr) return galley_table(rows, aligns, caption, attr) end

-- pandoc's table model, as far as galley's tables carry it: a cell's blocks become its
-- inlines, spans, widths and the attributes of rows, heads and bodies are dropped.
local ALIGN = { AlignLeft = "left", AlignCenter = "center", AlignRight = "right", AlignDefault = "default" }
local UNALIGN = { left = "AlignLeft", center = "AlignCenter", right = "AlignRight", default = "AlignDefault" }
function pandoc.Cell(contents, align, rowspan, colspan, attr)
	return { contents = as_blocks(contents, "Cell"), alignment = align or "AlignDefault",
		row_span = rowspan or 1, col_span = colspan or 1, attr = AttrOf(attr) }
end
function pandoc.Row(cells, attr) return { cells = setmetatable(cells or {}, List), attr = AttrOf(attr) } end
function pandoc.TableHead(rows, attr) return { rows = setmetatable(rows or {}, List), attr = AttrOf(attr) } end
function pandoc.TableFoot(rows, attr) return { rows = setmetatable(rows or {}, List), attr = AttrOf(attr) } end
function pandoc.TableBody(body, head, row_head_columns, attr)
	return { body = setmetatable(body or {}, List), head = setmetatable(head or {}, List),
		row_head_columns = row_head_columns or 0, attr = AttrOf(attr) }
end
function pandoc.Caption(long, short) return { long = as_blocks(long, "Caption"), short = short and as_inlines(short, "Caption") } end
function pandoc.Table(caption, colspecs, head, bodies, foot, attr)
	if splitting then
		-- pandoc's view: pandoc's model; galley's comes back when the document does
		return new("Table", { caption = as_caption(caption, "Table caption"),
			colspecs = setmetatable(colspecs or {}, List), head = head or pandoc.TableHead(),
			bodies = setmetatable(bodies or {}, List), foot = foot or pandoc.TableFoot(),
			attr = AttrOf(attr) })
	end
	local rows = {}
	local function add(rowlist, header)
		for _, row in ipairs(rowlist or {}) do
			local cells = {}
			for j, cell in ipairs(row.cells or row) do
				local contents = cell.contents or cell
				cells[j] = blocks_to_inlines(as_blocks(contents, "Table cell"))
			end
			rows[#rows + 1] = { header = header, cells = cells }
		end
	end
	add(head and head.rows, true)
	for _, body in ipairs(bodies or {}) do
		add(body.head, true)
		add(body.body, false)
	end
	add(foot and foot.rows, false)
	local aligns = {}
	for i, spec in ipairs(colspecs or {}) do aligns[i] = ALIGN[spec[1] or spec.align] or "default" end
	return galley_table(rows, aligns, caption, attr)
end

function pandoc.Str(text) return new("Str", { text = tostring(text) }) end
function pandoc.Space() return new("Space", {}) end
function pandoc.Emph(content) return new("Emph", { content = as_inlines(content, "Emph"), attr = AttrOf() }) end
function pandoc.Strong(content) return new("Strong", { content = as_inlines(content, "Strong"), attr = AttrOf() }) end
function pandoc.Strikeout(content) return new("Strikeout", { content = as_inlines(content, "Strikeout"), attr = AttrOf() }) end
function pandoc.Superscript(content) return new("Superscript", { content = as_inlines(content, "Superscript"), attr = AttrOf() }) end
function pandoc.Subscript(content) return new("Subscript", { content = as_inlines(content, "Subscript"), attr = AttrOf() }) end
function pandoc.Span(content, attr) return new("Span", { content = as_inlines(content, "Span"), attr = AttrOf(attr) }) end
function pandoc.Code(text, attr) return new("Code", { text = tostring(text), attr = AttrOf(attr) }) end
function pandoc.Link(content, target, title, attr)
	return new("Link", { content = as_inlines(content, "Link"), target = tostring(target or ""), title = title and tostring(title), attr = AttrOf(attr) })
end
function pandoc.Image(caption, src, title, attr)
	return new("Image", { content = as_inlines(caption, "Image"), src = tostring(src or ""), title = title and tostring(title), attr = AttrOf(attr) })
end
function pandoc.SoftBreak() return new("SoftBreak", {}) end
function pandoc.LineBreak() return new("LineBreak", {}) end
function pandoc.RawInline(format, text) return new("RawInline", { format = tostring(format), text = tostring(text), attr = AttrOf() }) end
function pandoc.Note(content) return new("Note", { content = as_blocks(content, "Note") }) end

-- pandoc's elements galley's model has no place for: a clear error at the calling line.
for _, name in ipairs({ "Math", "Quoted", "Cite", "Citation", "SmallCaps", "Underline",
		"LineBlock" }) do
	pandoc[name] = function()
		raise("pandoc." .. name .. ": galley's documents have no " .. name .. " elements")
	end
end

function pandoc.Inlines(x) return as_inlines(x, "Inlines") end
function pandoc.Blocks(x) return as_blocks(x, "Blocks") end
function pandoc.Meta(t) return t or {} end
function pandoc.MetaInlines(x) return as_inlines(x, "MetaInlines") end
function pandoc.MetaBlocks(x) return as_blocks(x, "MetaBlocks") end
function pandoc.MetaString(s) return tostring(s) end
function pandoc.MetaBool(b) return b and true or false end
function pandoc.MetaList(x) return setmetatable(type(x) == "table" and not is_element(x) and x or { x }, List) end
function pandoc.MetaMap(t) return t or {} end
function pandoc.Pandoc(blocks, meta)
	return setmetatable({ tag = "Pandoc", blocks = as_blocks(blocks, "Pandoc"), meta = meta or {} }, Element)
end

-- galley's module has the same constructors, under galley's older names too.
for k, v in pairs(pandoc) do
	if type(v) == "function" then galley[k] = v end
end
galley.Heading = pandoc.Header
galley.Table = function(rows, aligns, caption, attr) return galley_table(rows, aligns, caption, attr) end

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
	for k, v in next, x do copy[k] = clone(v, depth) end
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

-- Calls fi on each term and fb on each definition of a DefinitionList's items, putting
-- back what they return.
local function defs_children(el, fi, fb)
	for _, item in ipairs(type(el.content) == "table" and el.content or {}) do
		if type(item) == "table" then
			item[1] = fi(item[1] or {})
			if type(item[2]) == "table" then
				for j, d in ipairs(item[2]) do item[2][j] = fb(d) end
			end
		end
	end
end

-- Calls fi on each list of inlines and fb on each list of blocks a Table or Figure holds
-- besides its content (caption, cells), putting back what they return; either model.
local function table_children(el, fi, fb)
	local cap = rawget(el, "caption")
	if type(cap) == "table" and (rawget(cap, "long") ~= nil or rawget(cap, "short") ~= nil) then
		if rawget(cap, "long") ~= nil then cap.long = fb(cap.long) end
		if rawget(cap, "short") ~= nil then cap.short = fi(cap.short) end
	else
		el.caption = fi(cap or {})
	end
	if el.tag ~= "Table" then return end
	if rawget(el, "rows") ~= nil then
		for _, row in ipairs(el.rows) do
			if type(row) == "table" and type(row.cells) == "table" then
				for j, cell in ipairs(row.cells) do row.cells[j] = fi(cell) end
			end
		end
		return
	end
	local function rows(list)
		for _, row in ipairs(type(list) == "table" and list or {}) do
			for _, cell in ipairs(type(row) == "table" and type(row.cells) == "table" and row.cells or {}) do
				if type(cell) == "table" then cell.contents = fb(cell.contents or {}) end
			end
		end
	end
	if type(el.head) == "table" then rows(el.head.rows) end
	for _, body in ipairs(type(el.bodies) == "table" and el.bodies or {}) do
		if type(body) == "table" then
			rows(body.head)
			rows(body.body)
		end
	end
	if type(el.foot) == "table" then rows(el.foot.rows) end
end

local function positioned(to, from)
	if type(from) == "table" and type(to) == "table" then
		to._line, to._col, to._file = rawget(from, "_line"), rawget(from, "_col"), rawget(from, "_file")
	end
	return to
end

-- galley's table (rows, aligns) and caption (inlines) as pandoc's model: the leading
-- header rows are the head, the others one body; a cell's inlines are its Plain.
local function to_pandoc_model(el)
	local cap = rawget(el, "caption")
	if type(cap) ~= "table" or rawget(cap, "long") == nil then
		el.caption = as_caption(cap and #cap > 0 and cap or nil, "caption")
	end
	if el.tag ~= "Table" or rawget(el, "rows") == nil then return end
	local head, body, in_head = setmetatable({}, List), setmetatable({}, List), true
	for _, row in ipairs(el.rows) do
		local cells = setmetatable({}, List)
		for j, cell in ipairs(row.cells or {}) do
			local contents = setmetatable({}, Blocks)
			if #cell > 0 then contents[1] = setmetatable({ tag = "Plain", content = cell }, Element) end
			cells[j] = positioned({ attr = make_attr(), alignment = "AlignDefault", row_span = 1,
				col_span = 1, contents = contents }, cell)
		end
		local r = positioned({ attr = make_attr(), cells = cells }, row)
		if row.header and in_head then
			head[#head + 1] = r
		else
			in_head = false
			r._header = row.header or nil
			body[#body + 1] = r
		end
	end
	local colspecs = setmetatable({}, List)
	for i, a in ipairs(el.aligns or {}) do colspecs[i] = { UNALIGN[a] or "AlignDefault" } end
	rawset(el, "rows", nil)
	rawset(el, "aligns", nil)
	el.colspecs = colspecs
	el.head = { attr = make_attr(), rows = head }
	el.bodies = setmetatable({ { attr = make_attr(), head = setmetatable({}, List), body = body,
		row_head_columns = 0 } }, List)
	el.foot = { attr = make_attr(), rows = setmetatable({}, List) }
end

-- And back: every row of the head, bodies and foot in order, a cell's blocks as inlines.
local function to_galley_model(el)
	local cap = rawget(el, "caption")
	if type(cap) == "table" and (rawget(cap, "long") ~= nil or rawget(cap, "short") ~= nil) then
		el.caption = caption_inlines(cap, "caption")
	end
	if el.tag ~= "Table" or rawget(el, "rows") ~= nil then return end
	local rows = {}
	local function add(list, header)
		for _, row in ipairs(type(list) == "table" and list or {}) do
			local cells = {}
			for j, cell in ipairs(type(row) == "table" and type(row.cells) == "table" and row.cells or {}) do
				local contents = type(cell) == "table" and cell.contents or {}
				if type(contents) ~= "table" then
					raise("Table: a cell's contents must be blocks, not " .. describe(contents))
				end
				local inl
				if #contents == 1 and is_element(contents[1]) and INLINE_CONTENT[contents[1].tag] then
					inl = contents[1].content
				else
					inl = blocks_to_inlines(contents, { new("LineBreak", {}) })
				end
				cells[j] = positioned(inl, cell)
			end
			rows[#rows + 1] = positioned({ header = header or type(row) == "table" and rawget(row, "_header") or false,
				cells = cells }, row)
		end
	end
	add(type(el.head) == "table" and el.head.rows, true)
	for _, b in ipairs(type(el.bodies) == "table" and el.bodies or {}) do
		add(b.head, true)
		add(b.body, false)
	end
	add(type(el.foot) == "table" and el.foot.rows, false)
	local aligns = {}
	for i, spec in ipairs(type(el.colspecs) == "table" and el.colspecs or {}) do
		aligns[i] = ALIGN[type(spec) == "table" and (spec[1] or spec.align) or spec] or "default"
	end
	for _, k in ipairs({ "head", "bodies", "foot", "colspecs" }) do rawset(el, k, nil) end
	el.rows, el.aligns = rows, aligns
end

-- A list the walk makes in place of list: its kind's metatable, and a list item's or
-- table cell's source position, kept across the walk.
local function new_list(list, mt)
	return setmetatable({ _line = rawget(list, "_line"), _col = rawget(list, "_col"),
		_file = rawget(list, "_file"), _source = rawget(list, "_source"),
		_plain = rawget(list, "_plain") }, mt)
end

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
	elseif DEFS_CONTENT[tag] then
		defs_children(el, function(l) return walk_inlines(l, fns, kind, depth) end,
			function(l) return walk_blocks(l, fns, kind, depth) end)
	end
	if tag == "Figure" or tag == "Table" then
		table_children(el, function(l) return walk_inlines(l, fns, kind, depth) end,
			function(l) return walk_blocks(l, fns, kind, depth) end)
	end
end

local function walk_list(list, fns, kind, depth, this_kind, generic, plural, mt)
	-- A new list only once a function returns something: a walk that changes
	-- nothing in a list (most lists, in most walks) costs no allocation.
	local out = nil
	-- pandoc's view: every list a filter sees has its methods (galley's view skips the cost)
	if fns._lists and getmetatable(list) == nil then setmetatable(list, mt) end
	for i, el in ipairs(list) do
		walk_children(el, fns, kind, depth)
		local fn, name = nil, el.tag
		if this_kind == kind then
			fn = fns[el.tag]
			if fn == nil then fn, name = fns[generic], generic end
		end
		local result = nil
		if fn then
			internals.current, internals.current_fn = el, fn
			result = fn(el)
		end
		if result ~= nil and out == nil then
			out = table.move(list, 1, i - 1, 1, new_list(list, mt))
		end
		if out then splice(out, result, el, kind, name, fn) end
	end
	out = out or list
	if this_kind == kind and fns[plural] then
		local fn = fns[plural]
		local result = fn(out)
		if result ~= nil then
			local checked = new_list(out, mt)
			for _, r in ipairs(type(result) == "table" and not is_element(result) and result or { result }) do
				splice(checked, r, nil, kind, plural, fn)
			end
			out = checked
		end
	end
	return out
end

function walk_inlines(list, fns, kind, depth)
	return walk_list(list, fns, kind, depth, "inline", "Inline", "Inlines", Inlines)
end
function walk_blocks(list, fns, kind, depth)
	return walk_list(list, fns, kind, depth, "block", "Block", "Blocks", Blocks)
end

-- pandoc's other order, traverse = 'topdown': a list's function, then each element's,
-- then the children of what it returned, unless the function returned false second.
local topdown_inlines, topdown_blocks

local function topdown_children(el, fns, depth)
	local tag = el.tag
	depth = (depth or 0) + 1
	if depth > MAX_DEPTH then too_deep(el) end
	if INLINE_CONTENT[tag] then
		el.content = topdown_inlines(el.content, fns, depth)
	elseif BLOCK_CONTENT[tag] then
		el.content = topdown_blocks(el.content, fns, depth)
	elseif ITEM_CONTENT[tag] then
		for i, item in ipairs(el.content) do el.content[i] = topdown_blocks(item, fns, depth) end
	elseif DEFS_CONTENT[tag] then
		defs_children(el, function(l) return topdown_inlines(l, fns, depth) end,
			function(l) return topdown_blocks(l, fns, depth) end)
	end
	if tag == "Figure" or tag == "Table" then
		table_children(el, function(l) return topdown_inlines(l, fns, depth) end,
			function(l) return topdown_blocks(l, fns, depth) end)
	end
end

local function topdown_list(list, fns, depth, kind, generic, plural, mt)
	local fn = fns[plural]
	if fn then
		local result = fn(list)
		if result ~= nil then
			local checked = new_list(list, mt)
			for _, r in ipairs(type(result) == "table" and not is_element(result) and result or { result }) do
				splice(checked, r, nil, kind, plural, fn)
			end
			list = checked
		end
	end
	local out = new_list(list, mt)
	for _, el in ipairs(list) do
		local f, name = fns[el.tag], el.tag
		if f == nil then f, name = fns[generic], generic end
		local result, descend = nil, true
		if f then
			internals.current, internals.current_fn = el, f
			result, descend = f(el)
		end
		local from = #out + 1
		splice(out, result, el, kind, name, f)
		if descend ~= false then
			for i = from, #out do topdown_children(out[i], fns, depth) end
		end
	end
	return out
end

function topdown_inlines(list, fns, depth)
	return topdown_list(list, fns, depth, "inline", "Inline", "Inlines", Inlines)
end
function topdown_blocks(list, fns, depth)
	return topdown_list(list, fns, depth, "block", "Block", "Blocks", Blocks)
end

-- The functions of a filter table under their canonical names, and which of the two
-- walks (inlines, then blocks) has anything to do: a walk without functions would
-- only rebuild every list of the document.
local function normalise(filter)
	local fns = {}
	for name, fn in pairs(filter) do
		if type(fn) == "function" then fns[ALIAS[name] or name] = fn end
	end
	local passes = {
		inline = fns.Inline ~= nil or fns.Inlines ~= nil,
		block = fns.Block ~= nil or fns.Blocks ~= nil,
	}
	for tag in pairs(fns) do
		if INLINE[tag] then passes.inline = true end
		if BLOCK[tag] then passes.block = true end
	end
	local traverse = rawget(filter, "traverse")
	if traverse ~= nil and traverse ~= "topdown" and traverse ~= "typewise" then
		error("traverse must be 'topdown' or 'typewise', not " .. tostring(traverse), 0)
	end
	passes.topdown = traverse == "topdown"
	return fns, passes
end

local to_pandoc_meta, walk_meta

-- Walks the blocks of a list, an element or a document with one filter; returns the result.
local function walk_with(x, fns, passes, meta)
	if passes.topdown then
		if rawget(x, "blocks") then x.blocks = topdown_blocks(x.blocks, fns)
		elseif getmetatable(x) == Inlines then x = topdown_inlines(x, fns)
		elseif getmetatable(x) == Blocks then x = topdown_blocks(x, fns)
		else topdown_children(x, fns) end
		return x
	end
	for _, kind in ipairs({ "inline", "block" }) do
		if passes[kind] then
			if rawget(x, "blocks") then
				-- pandoc walks the metadata first, then the blocks.
				if meta then x.meta = walk_meta(x.meta, fns, kind) end
				x.blocks = walk_blocks(x.blocks, fns, kind)
			elseif getmetatable(x) == Inlines then x = walk_inlines(x, fns, kind)
			elseif getmetatable(x) == Blocks then x = walk_blocks(x, fns, kind)
			else walk_children(x, fns, kind) end
		end
	end
	return x
end

-- pandoc's MetaInlines and MetaBlocks are walked with the inline functions too.
function walk_meta(meta, fns, kind, depth)
	depth = (depth or 0) + 1
	if depth > 64 or type(meta) ~= "table" then return meta end
	local mt = getmetatable(meta)
	if mt == Inlines then return walk_inlines(meta, fns, kind) end
	if mt == Blocks then return walk_blocks(meta, fns, kind) end
	if mt ~= nil and mt ~= List then return meta end
	if mt == List or meta[1] ~= nil then
		for i, v in ipairs(meta) do
			if type(v) == "table" then meta[i] = walk_meta(v, fns, kind, depth) end
		end
		return meta
	end
	-- a map, in key order as pandoc's
	local keys = {}
	for k, v in pairs(meta) do
		if type(k) == "string" and type(v) == "table" then keys[#keys + 1] = k end
	end
	sort(keys)
	for _, k in ipairs(keys) do meta[k] = walk_meta(meta[k], fns, kind, depth) end
	return meta
end

-- Calls a filter's Meta, then its Pandoc function on doc; returns the document they leave.
local function meta_and_pandoc(fns, doc)
	internals.current, internals.current_fn = nil, fns.Meta
	if fns.Meta then
		local meta = fns.Meta(doc.meta)
		if meta ~= nil then
			if type(meta) ~= "table" then
				error(site(fns.Meta) .. ": function 'Meta' returned " .. describe(meta) .. "; expected a table", 0)
			end
			doc.meta = meta
		end
	end
	if fns.Pandoc then
		internals.current_fn = fns.Pandoc
		local result = fns.Pandoc(setmetatable(doc, Element))
		if result ~= nil then
			if type(result) ~= "table" or type(result.blocks) ~= "table" then
				error(site(fns.Pandoc) .. ": function 'Pandoc' returned " .. describe(result) ..
					"; expected a document with blocks and meta", 0)
			end
			doc = result
		end
	end
	return doc
end

function methods.walk(el, filter)
	local fns, passes = normalise(filter)
	fns._lists = true
	local copy = clone(el)
	if rawget(copy, "blocks") then
		copy = walk_with(copy, fns, passes, true)
		if getmetatable(copy) == Element and (fns.Meta or fns.Pandoc) then
			copy = meta_and_pandoc(fns, copy)
		end
		return copy
	end
	return walk_with(copy, fns, passes)
end
Inlines.walk = methods.walk
Blocks.walk = methods.walk
-- pandoc 2's functions, still used by many filters.
function pandoc.walk_block(el, filter) return methods.walk(el, filter) end
function pandoc.walk_inline(el, filter) return methods.walk(el, filter) end

-- ---- the two views of a document --------------------------------------------------
-- A filter sees pandoc's view unless it sets galley_view = true: then text runs keep their
-- spaces in one Str, tight list items and figures hold Para, metadata are plain strings,
-- as galley's own filters expect.  The document changes view only when the next filter
-- wants the other one.

-- Splits a Str into Str and Space as pandoc does; pieces remember the run they came
-- from (_run, _off) for galley.locate.
local function split_str(s, out)
	local text = s.text
	if type(text) ~= "string" or not find(text, "[ \t]") then
		out[#out + 1] = s
		return
	end
	local pos, n = 1, #text
	local line, col, file, origin = rawget(s, "_line"), rawget(s, "_col"), rawget(s, "_file"), rawget(s, "_origin")
	while pos <= n do
		local a, b = find(text, "[ \t]+", pos)
		if a == nil then a, b = n + 1, n end
		if a > pos then
			out[#out + 1] = setmetatable({ tag = "Str", text = sub(text, pos, a - 1), _line = line,
				_col = col, _file = file, _origin = origin, _run = text, _off = pos - 1 }, Element)
		end
		if a <= n then
			local w = sub(text, a, b)
			out[#out + 1] = setmetatable({ tag = "Space", _text = w ~= " " and w or nil }, Element)
		end
		pos = b + 1
	end
end

local pandoc_inlines, pandoc_blocks

-- The conversions follow only galley's own elements: an element a filter gave a
-- metatable of its own is left for galley to read (and report) as it stands.
local function pandoc_children(el, depth)
	if getmetatable(el) ~= Element then return end
	local tag = el.tag
	depth = (depth or 0) + 1
	if depth > MAX_DEPTH then too_deep(el) end
	if INLINE_CONTENT[tag] then
		el.content = pandoc_inlines(el.content, depth)
	elseif BLOCK_CONTENT[tag] then
		el.content = pandoc_blocks(el.content, tag == "Figure", depth)
	elseif ITEM_CONTENT[tag] then
		setmetatable(el.content, List)
		for i, item in ipairs(el.content) do el.content[i] = pandoc_blocks(item, el.tight, depth) end
	elseif DEFS_CONTENT[tag] then
		setmetatable(el.content, List)
		for _, item in ipairs(el.content) do
			if type(item) == "table" then
				local tight = rawget(item, "_tight")
				if tight == nil then tight = el.tight end
				item[1] = pandoc_inlines(item[1] or {}, depth)
				for j, d in ipairs(type(item[2]) == "table" and item[2] or {}) do
					item[2][j] = pandoc_blocks(d, tight, depth)
				end
			end
		end
	end
	if (tag == "Link" or tag == "Image") and rawget(el, "title") == nil then
		rawset(el, "title", "")	-- pandoc's links always have a title, "" for none
	end
	if tag == "Figure" or tag == "Table" then
		to_pandoc_model(el)
		table_children(el, function(l) return pandoc_inlines(l, depth) end,
			function(l) return pandoc_blocks(l, false, depth) end)
	end
end

function pandoc_inlines(list, depth)
	if type(list) ~= "table" or getmetatable(list) ~= nil and getmetatable(list) ~= Inlines and getmetatable(list) ~= List then return list end
	local out = new_list(list, Inlines)
	for _, el in ipairs(list) do
		if type(el) == "table" and getmetatable(el) == Element and el.tag == "Str" then
			split_str(el, out)
		else
			if type(el) == "table" then pandoc_children(el, depth) end
			out[#out + 1] = el
		end
	end
	return out
end

function pandoc_blocks(list, plain, depth)
	if type(list) ~= "table" or getmetatable(list) ~= nil and getmetatable(list) ~= Blocks and getmetatable(list) ~= List then return list end
	setmetatable(list, Blocks)
	for _, el in ipairs(list) do
		if type(el) == "table" then
			pandoc_children(el, depth)
			if getmetatable(el) == Element then
				local tag = el.tag
				if plain and tag == "Para" then
					el.tag = "Plain"
				elseif tag == "CodeBlock" and type(el.text) == "string" and sub(el.text, -1) == "\n" then
					-- pandoc's code blocks do not end with the line's newline
					el.text = sub(el.text, 1, -2)
				end
			end
		end
	end
	return list
end

local galley_inlines, galley_blocks

local function galley_children(el, depth)
	if getmetatable(el) ~= Element then return end
	local tag = el.tag
	depth = (depth or 0) + 1
	if depth > MAX_DEPTH then too_deep(el) end
	if INLINE_CONTENT[tag] then
		el.content = galley_inlines(el.content, depth)
	elseif BLOCK_CONTENT[tag] then
		el.content = galley_blocks(el.content, depth)
	elseif ITEM_CONTENT[tag] then
		for i, item in ipairs(el.content) do el.content[i] = galley_blocks(item, depth) end
	elseif DEFS_CONTENT[tag] then
		defs_children(el, function(l) return galley_inlines(l, depth) end,
			function(l) return galley_blocks(l, depth) end)
	end
	if tag == "Figure" or tag == "Table" then
		table_children(el, function(l) return galley_inlines(l, depth) end,
			function(l) return galley_blocks(l, depth) end)
		to_galley_model(el)
	end
end

-- Joins Str and Space back into runs; a merged Str is a new element (the old ones may
-- stand elsewhere too), placed where its first piece was.
function galley_inlines(list, depth)
	if type(list) ~= "table" or getmetatable(list) ~= nil and getmetatable(list) ~= Inlines and getmetatable(list) ~= List then return list end
	local out = new_list(list, Inlines)
	local run = nil		-- the Str being extended, made here
	for _, el in ipairs(list) do
		local tag = type(el) == "table" and getmetatable(el) == Element and el.tag
		if (tag == "Str" and type(el.text) == "string") or tag == "Space" then
			local text = tag == "Space" and (rawget(el, "_text") or " ") or el.text
			if run then
				run.text = run.text .. text
			elseif tag == "Space" then
				run = setmetatable({ tag = "Str", text = text }, Element)
				out[#out + 1] = run
			else
				run = setmetatable({ tag = "Str", text = text, _line = rawget(el, "_line"),
					_col = rawget(el, "_col"), _file = rawget(el, "_file"),
					_origin = rawget(el, "_origin"), _run = rawget(el, "_run"),
					_off = rawget(el, "_off") }, Element)
				for k, v in pairs(el) do
					if run[k] == nil then run[k] = v end
				end
				out[#out + 1] = run
			end
		else
			run = nil
			if tag then galley_children(el, depth) end
			out[#out + 1] = el
		end
	end
	return out
end

function galley_blocks(list, depth)
	if type(list) ~= "table" or getmetatable(list) ~= nil and getmetatable(list) ~= Blocks and getmetatable(list) ~= List then return list end
	setmetatable(list, Blocks)
	for _, el in ipairs(list) do
		if type(el) == "table" and getmetatable(el) == Element then
			galley_children(el, depth)
			local tag = el.tag
			if tag == "Plain" then
				el.tag = "Para"
			elseif tag == "CodeBlock" and type(el.text) == "string" and el.text ~= "" and
					sub(el.text, -1) ~= "\n" then
				el.text = el.text .. "\n"
			end
		end
	end
	return list
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
		elseif tag == "Space" or tag == "SoftBreak" or tag == "LineBreak" then
			out[#out + 1] = " "
		elseif tag == "Note" or tag == "RawInline" or tag == "RawBlock" then
			return out
		elseif tag == "CodeBlock" then
			out[#out + 1] = x.text
		elseif tag ~= nil and tag ~= "Pandoc" then
			if x.content then
				if ITEM_CONTENT[tag] or DEFS_CONTENT[tag] then
					for _, item in ipairs(x.content) do stringify(item, out) end
				else
					stringify(x.content, out)
				end
			end
		elseif rawget(x, "blocks") then
			stringify(x.blocks, out)
		elseif x[1] == nil and getmetatable(x) == nil then
			-- a metadata map: its values in key order
			local keys = {}
			for k in pairs(x) do if type(k) == "string" and sub(k, 1, 1) ~= "_" then keys[#keys + 1] = k end end
			sort(keys)
			for _, k in ipairs(keys) do stringify(x[k], out) end
		else
			for i, v in ipairs(x) do
				if i > 1 and is_element(v) and category(v) == "block" then out[#out + 1] = " " end
				stringify(v, out)
			end
		end
	end
	return out
end

local function stringify_string(x) return concat(stringify(x, {})) end
galley.utils.stringify = stringify_string

-- Metadata in pandoc's view: strings read as Markdown become MetaInlines (one
-- paragraph) or MetaBlocks, remembering their source so that an unchanged value
-- goes back to galley as it came.
function to_pandoc_meta(v, depth)
	depth = (depth or 0) + 1
	if depth > 64 then return v end
	if type(v) == "string" then
		local blocks = internals.read_markdown(v, true)
		local value
		if #blocks == 1 and blocks[1].tag == "Para" then
			value = pandoc_inlines(blocks[1].content)
		elseif #blocks == 0 then
			value = setmetatable({}, Inlines)
		else
			value = pandoc_blocks(blocks)
		end
		rawset(value, "_source", v)
		rawset(value, "_plain", stringify_string(value))
		return value
	elseif type(v) == "table" and not is_element(v) and getmetatable(v) == nil then
		if v[1] ~= nil then
			for i, x in ipairs(v) do v[i] = to_pandoc_meta(x, depth) end
			return setmetatable(v, List)
		end
		for k, x in pairs(v) do v[k] = to_pandoc_meta(x, depth) end
	end
	return v
end

local function to_galley_meta(v, depth)
	depth = (depth or 0) + 1
	if depth > 64 or type(v) ~= "table" then return v end
	local mt = getmetatable(v)
	if mt ~= nil and mt ~= Element and mt ~= Inlines and mt ~= Blocks and mt ~= List then
		return v	-- a filter's own table: galley reads (and reports) it as it stands
	end
	if is_element(v) or mt == Inlines or mt == Blocks then
		local plain = stringify_string(v)
		local source = rawget(v, "_source")
		if source and plain == rawget(v, "_plain") then return source end
		return plain
	end
	if mt == List or (mt == nil and v[1] ~= nil) then
		local out = {}
		for i, x in ipairs(v) do out[i] = to_galley_meta(x, depth) end
		return out
	end
	local out = {}
	for k, x in pairs(v) do out[k] = to_galley_meta(x, depth) end
	return out
end

-- Gives the elements of a metadata value (not nested deeper) the place of its key's value,
-- for messages about them.
local function place_meta(v, line, col, depth)
	depth = (depth or 0) + 1
	if type(v) ~= "table" or depth > 3 then return end
	if is_element(v) then
		if rawget(v, "_line") == nil then rawset(v, "_line", line); rawset(v, "_col", col) end
		return
	end
	for _, x in ipairs(v) do place_meta(x, line, col, depth) end
end

-- Puts doc in the view a filter wants: "pandoc" or "galley".
local function to_view(doc, view)
	if doc._view == view then return doc end
	if view == "pandoc" then
		doc.blocks = pandoc_blocks(as_blocks(doc.blocks, "document"))
		doc.meta = to_pandoc_meta(doc.meta or {})
		for k, v in pairs(doc.meta) do
			if type(k) == "string" then
				local line, col = internals.meta_place(k)
				if line then place_meta(v, line, col) end
			end
		end
	else
		doc.blocks = galley_blocks(as_blocks(doc.blocks, "document"))
		doc.meta = to_galley_meta(doc.meta or {})
	end
	doc._view = view
	return doc
end

-- Runs one filter table over doc = { blocks = …, meta = … } and returns the new doc.
local function run_one(filter, doc, galley_view)
	local fns, passes = normalise(filter)
	local own = rawget(filter, "galley_view")
	if own ~= nil then galley_view = own end
	doc = to_view(doc, galley_view == true and "galley" or "pandoc")
	doc.tag = "Pandoc"
	local view = doc._view
	fns._lists = view == "pandoc"
	splitting = view == "pandoc"
	doc = walk_with(doc, fns, passes, view == "pandoc")
	doc = meta_and_pandoc(fns, doc)
	doc.blocks = as_blocks(doc.blocks, "document")
	doc._view = view
	return doc
end

-- A filter is a table of functions or, as in pandoc, a list of such tables run in order.
function internals.run(filter, doc)
	if type(filter) ~= "table" then
		error("the filter must return a table of functions, not " .. describe(filter), 0)
	end
	doc._view = doc._view or "galley"
	if filter[1] == nil then return run_one(filter, doc) end
	for i, one in ipairs(filter) do
		if type(one) ~= "table" then
			error("item " .. i .. " of the filter list is " .. describe(one) ..
				", not a table of functions", 0)
		end
		doc = run_one(one, doc, rawget(filter, "galley_view"))
	end
	return doc
end

-- The document as galley takes it back.
function internals.finish(doc)
	if type(doc) ~= "table" then return doc end
	return to_view(doc, "galley")
end

function internals.traceback(message)
	if type(message) ~= "string" then message = describe(message) end
	return traceback(message, 2)
end
