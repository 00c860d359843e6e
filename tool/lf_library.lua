-- The library filters call, part of galley's filter engine (with lf_prelude.lua and lf_sandbox.lua,
-- one chunk): galley.utils, pandoc.List, pandoc.utils, pandoc.text, pandoc.path, pandoc.system,
-- pandoc.mediabag, pandoc.read and pandoc.write.

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
		raise("cjk_number: expected a whole number from 0 to 99999999")
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
		raise("alpha: expected a whole number from 1")
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
	if type(list) ~= "table" then raise("sort: expected a list") end
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

-- ---- pandoc.List ------------------------------------------------------------------

local function list_new(mt, t)
	return setmetatable(t or {}, mt)
end
function List:clone()
	local copy = setmetatable({}, getmetatable(self))
	for i, v in ipairs(self) do copy[i] = is_element(v) and clone(v) or v end
	return copy
end
function List:extend(other)
	for _, v in ipairs(other) do self[#self + 1] = v end
	return self
end
function List:find(needle, init)
	init = init or 1
	if init < 0 then init = #self + init + 1 end
	for i = init, #self do
		if pandoc.utils.equals(self[i], needle) then return self[i], i end
	end
	return nil
end
function List:find_if(pred, init)
	init = init or 1
	if init < 0 then init = #self + init + 1 end
	for i = init, #self do
		if pred(self[i]) then return self[i], i end
	end
	return nil
end
function List:includes(needle, init)
	return (select(2, self:find(needle, init))) ~= nil
end
function List:filter(pred)
	local out = setmetatable({}, getmetatable(self))
	for i, v in ipairs(self) do
		if pred(v, i) then out[#out + 1] = v end
	end
	return out
end
function List:map(fn)
	local out = setmetatable({}, List)
	for i, v in ipairs(self) do out[i] = fn(v, i) end
	return out
end
function List:insert(pos, value)
	if value == nil then table.insert(self, pos) else table.insert(self, pos, value) end
end
function List:remove(pos) return table.remove(self, pos) end
function List:sort(comp) table.sort(self, comp) end
function List:at(i, default)
	if i < 0 then i = #self + i + 1 end
	local v = self[i]
	if v == nil then return default end
	return v
end
function List:iter(step)
	local i, n = 0, #self
	return function()
		i = i + 1
		if i <= n then return self[i] end
	end
end
function List:new(t) return setmetatable(t or {}, self == pandoc.List and List or self) end
List.__concat = function(a, b)
	local out = setmetatable({}, getmetatable(a) or getmetatable(b))
	for _, v in ipairs(a) do out[#out + 1] = v end
	for _, v in ipairs(b) do out[#out + 1] = v end
	return out
end
List.__eq = function(a, b) return pandoc.utils.equals(a, b) end
Inlines.__concat, Inlines.__eq = List.__concat, List.__eq
Blocks.__concat, Blocks.__eq = List.__concat, List.__eq
function Inlines:clone() return List.clone(self) end
function Blocks:clone() return List.clone(self) end
pandoc.List = setmetatable({}, {
	__index = List,
	__call = function(_, t) return list_new(List, t) end,
})
pandoc.List.new = function(self, t)
	if t == nil and self ~= pandoc.List then t = self end
	return list_new(List, t)
end

-- ---- pandoc.utils ------------------------------------------------------------------

local utils = pandoc.utils
utils.stringify = stringify_string

-- pandoc.utils.type: the type name pandoc gives a value.
function utils.type(x)
	local t = type(x)
	if t ~= "table" then return t end
	local mt = getmetatable(x)
	if mt == Element then
		local tag = rawget(x, "tag")
		if tag == "Pandoc" or rawget(x, "blocks") then return "Pandoc" end
		if BLOCK[tag] then return "Block" end
		if INLINE[tag] then return "Inline" end
		return "table"
	end
	if mt == Inlines then return "Inlines" end
	if mt == Blocks then return "Blocks" end
	if mt == List then return "List" end
	if mt == Attr then return "Attr" end
	if mt ~= nil and mt.__name then return mt.__name end
	return "table"
end

-- Deep equality of elements, lists and plain values; galley's bookkeeping (_line, …) aside.
local function equals(a, b, depth)
	if rawequal(a, b) then return true end
	if type(a) ~= "table" or type(b) ~= "table" then return false end
	depth = (depth or 0) + 1
	if depth > MAX_DEPTH then too_deep(a) end
	for k, v in pairs(a) do
		if not (type(k) == "string" and sub(k, 1, 1) == "_") and not equals(v, rawget(b, k), depth) then
			return false
		end
	end
	for k, v in pairs(b) do
		if not (type(k) == "string" and sub(k, 1, 1) == "_") and rawget(a, k) == nil and v ~= nil then
			return false
		end
	end
	return true
end
function utils.equals(a, b) return equals(a, b) end

function blocks_to_inlines(blocks, sep)
	sep = sep or { new("Space", {}), new("Str", { text = "¶" }), new("Space", {}) }
	local out = setmetatable({}, Inlines)
	local first = true
	local function add(list)
		for _, b in ipairs(list) do
			local tag = b.tag
			if INLINE_CONTENT[tag] or tag == "CodeBlock" or tag == "RawBlock" then
				if not first then for _, s in ipairs(sep) do out[#out + 1] = clone(s) end end
				first = false
				if tag == "CodeBlock" then
					out[#out + 1] = new("Code", { text = b.text, attr = b.attr })
				elseif tag == "RawBlock" then
					out[#out + 1] = new("RawInline", { format = b.format, text = b.text })
				else
					for _, i in ipairs(b.content) do out[#out + 1] = i end
				end
			elseif BLOCK_CONTENT[tag] then
				add(b.content)
			elseif ITEM_CONTENT[tag] then
				for _, item in ipairs(b.content) do add(item) end
			elseif DEFS_CONTENT[tag] then
				for _, item in ipairs(b.content) do
					add({ { tag = "Plain", content = item[1] } })
					for _, d in ipairs(item[2]) do add(d) end
				end
			end
		end
	end
	add(as_blocks(blocks, "blocks_to_inlines"))
	return out
end
utils.blocks_to_inlines = function(blocks, sep) return blocks_to_inlines(blocks, sep) end

function utils.to_roman_numeral(n)
	if type(n) ~= "number" or n < 1 or n >= 4000 or n % 1 ~= 0 then
		raise("to_roman_numeral: expected a whole number from 1 to 3999")
	end
	local out = {}
	for _, p in ipairs({ { 1000, "M" }, { 900, "CM" }, { 500, "D" }, { 400, "CD" }, { 100, "C" },
			{ 90, "XC" }, { 50, "L" }, { 40, "XL" }, { 10, "X" }, { 9, "IX" }, { 5, "V" },
			{ 4, "IV" }, { 1, "I" } }) do
		while n >= p[1] do
			out[#out + 1] = p[2]
			n = n - p[1]
		end
	end
	return concat(out)
end
for _, name in ipairs({ "citeproc", "references", "run_json_filter", "run_lua_filter" }) do
	utils[name] = function()
		raise("pandoc.utils." .. name .. " is not available in galley")
	end
end

-- pandoc.utils.make_sections(number_sections, base_level, blocks): headings and what
-- follows them, to the next heading of their level or above, in Divs of class section.
function utils.make_sections(number, base_level, blocks)
	blocks = as_blocks(blocks, "make_sections")
	local counters = {}
	local function build(list, from, level)
		local out, i = setmetatable({}, Blocks), from
		while i <= #list do
			local b = list[i]
			if b.tag == "Header" then
				if b.level <= level then return out, i end
				local h = clone(b)
				local number_text
				if number and not h.attr.classes:includes("unnumbered") then
					counters[h.level] = (counters[h.level] or 0) + 1
					for l = h.level + 1, 6 do counters[l] = nil end
					local parts = {}
					for l = (base_level or 1), h.level do parts[#parts + 1] = tostring(counters[l] or 0) end
					number_text = concat(parts, ".")
					h.attr.attributes.number = number_text
				end
				local inner
				inner, i = build(list, i + 1, h.level)
				table.insert(inner, 1, h)
				local attr = make_attr(h.attr.identifier, { "section", "level" .. h.level })
				if number_text then attr.attributes.number = number_text end
				h.attr.identifier = ""
				out[#out + 1] = new("Div", { content = inner, attr = attr })
			else
				out[#out + 1] = b
				i = i + 1
			end
		end
		return out, i
	end
	return (build(blocks, 1, 0))
end

local Version = {}
Version.__name = "Version"
local function version_parts(v)
	if type(v) == "table" then
		local parts = {}
		for i, n in ipairs(v) do parts[i] = tonumber(n) or 0 end
		return parts
	end
	if type(v) == "number" then v = tostring(v) end
	if type(v) ~= "string" or not v:match("^%d+[%.%d]*$") then
		raise("cannot read a version from " .. describe(v))
	end
	local parts = {}
	for n in v:gmatch("%d+") do parts[#parts + 1] = tonumber(n) end
	return parts
end
local function version_compare(a, b)
	a, b = version_parts(a), version_parts(b)
	for i = 1, math.max(#a, #b) do
		local x, y = a[i] or 0, b[i] or 0
		if x ~= y then return x < y and -1 or 1 end
	end
	return 0
end
Version.__index = function(v, k)
	if k == "must_be_at_least" then
		return function(self, min, msg)
			if version_compare(self, min) < 0 then
				error(msg and msg:gsub("%%s", tostring(min), 1):gsub("%%s", tostring(self), 1) or
					("expected version " .. tostring(min) .. " or newer, got " .. tostring(self)), 2)
			end
		end
	end
	return nil
end
Version.__lt = function(a, b) return version_compare(a, b) < 0 end
Version.__le = function(a, b) return version_compare(a, b) <= 0 end
Version.__eq = function(a, b) return version_compare(a, b) == 0 end
Version.__tostring = function(v) return concat(v, ".") end
Version.__concat = function(a, b) return tostring(a) .. tostring(b) end
function pandoc.types.Version(v) return setmetatable(version_parts(v), Version) end

-- pandoc.text: UTF-8 aware string functions (case only for ASCII letters).
function pandoc.text.len(s) return utf8.len(s) end
function pandoc.text.lower(s) return (string.lower(s)) end
function pandoc.text.upper(s) return (string.upper(s)) end
function pandoc.text.reverse(s)
	local chars = {}
	for _, c in utf8.codes(s) do table.insert(chars, 1, utf8.char(c)) end
	return concat(chars)
end
function pandoc.text.sub(s, i, j)
	local n = utf8.len(s)
	i = i or 1
	j = j or -1
	if i < 0 then i = math.max(n + i + 1, 1) elseif i == 0 then i = 1 end
	if j < 0 then j = n + j + 1 elseif j > n then j = n end
	if i > j then return "" end
	local from = utf8.offset(s, i)
	local to = utf8.offset(s, j + 1)
	return sub(s, from, (to or #s + 1) - 1)
end
function pandoc.text.toencoding() raise("pandoc.text.toencoding: galley's text is UTF-8 only") end
function pandoc.text.fromencoding() raise("pandoc.text.fromencoding: galley's text is UTF-8 only") end

-- pandoc.path, for POSIX paths.
local path = pandoc.path
path.separator = "/"
path.search_path_separator = ":"
function path.split(p)
	local out = setmetatable({}, List)
	if sub(p, 1, 1) == "/" then out[1] = "/" end
	for part in p:gmatch("[^/]+") do out[#out + 1] = part end
	return out
end
function path.join(parts)
	local out = ""
	for i, part in ipairs(parts) do
		if sub(part, 1, 1) == "/" then out = part
		elseif i == 1 or out == "" then out = part
		elseif sub(out, -1) == "/" then out = out .. part
		else out = out .. "/" .. part end
	end
	return out
end
function path.is_absolute(p) return sub(p, 1, 1) == "/" end
function path.is_relative(p) return sub(p, 1, 1) ~= "/" end
function path.directory(p)
	local dir = p:match("^(.*)/[^/]*$")
	if dir == nil then return "." end
	if dir == "" then return "/" end
	return dir
end
function path.filename(p) return p:match("([^/]*)$") end
function path.split_extension(p)
	local base, ext = p:match("^(.*[^/%.])(%.[^/%.]*)$")
	if base == nil then return p, "" end
	return base, ext
end
function path.normalize(p)
	local absolute = sub(p, 1, 1) == "/"
	local parts = {}
	for part in p:gmatch("[^/]+") do
		if part ~= "." then parts[#parts + 1] = part end
	end
	local out = concat(parts, "/")
	if absolute then out = "/" .. out end
	if out == "" then out = "." end
	if sub(p, -1) == "/" and out ~= "/" then out = out .. "/" end
	return out
end
function path.make_relative(p, root, unsafe)
	p, root = path.normalize(p), path.normalize(root)
	if root == "." then return p end
	if sub(p, 1, #root + 1) == root .. "/" then return sub(p, #root + 2) end
	if p == root then return "." end
	if not unsafe then return p end
	local a, b = path.split(p), path.split(root)
	local i = 1
	while a[i] and b[i] and a[i] == b[i] do i = i + 1 end
	local parts = {}
	for _ = i, #b do parts[#parts + 1] = ".." end
	for j = i, #a do parts[#parts + 1] = a[j] end
	return concat(parts, "/")
end
function path.exists() raise("pandoc.path.exists: galley's filters do not look at files") end

-- pandoc.system and pandoc.mediabag, as far as galley's sandbox goes.
pandoc.system.os = "linux"
pandoc.system.arch = "x86_64"
for _, name in ipairs({ "environment", "get_working_directory", "list_directory", "make_directory",
		"remove_directory", "with_environment", "with_temporary_directory", "with_working_directory",
		"read_file", "write_file", "command", "copy", "rename", "remove", "times", "xdg", "cputime" }) do
	pandoc.system[name] = function()
		raise("pandoc.system." .. name .. " is not available: galley's filters run without the file system")
	end
end
function pandoc.mediabag.list() return setmetatable({}, List) end
function pandoc.mediabag.items() return function() return nil end end
function pandoc.mediabag.lookup() return nil end
function pandoc.mediabag.empty() end
function pandoc.mediabag.delete() end
for _, name in ipairs({ "insert", "fetch", "fill", "write", "make_data_uri" }) do
	pandoc.mediabag[name] = function()
		raise("pandoc.mediabag." .. name .. " is not available: galley takes images from the document's folder")
	end
end

function pandoc.pipe(command)
	raise("pandoc.pipe: galley's filters run no programs ('" .. tostring(command) .. "')")
end

-- pandoc.read: Markdown through galley's own parser (front matter is not read).
function pandoc.read(text, format)
	format = format or "markdown"
	if type(format) == "table" then format = format.format end
	local f = tostring(format):match("^[%w_]+")
	if f ~= "markdown" and f ~= "commonmark" and f ~= "commonmark_x" and f ~= "gfm" and f ~= "markdown_strict" then
		raise("pandoc.read: galley reads Markdown only, not '" .. tostring(format) .. "'")
	end
	if type(text) ~= "string" then raise("pandoc.read: expected a string, got " .. describe(text)) end
	local blocks = pandoc_blocks(internals.read_markdown(text))
	return setmetatable({ tag = "Pandoc", blocks = blocks, meta = {}, _view = "pandoc" }, Element)
end

-- pandoc.write: 'html' through galley's own HTML writer (the body, as pandoc writes it
-- without --standalone), and plain text.  The document is copied, not changed.
function pandoc.write(doc, format)
	format = format or "html"
	if type(format) == "table" then format = format.format end
	local blocks = type(doc) == "table" and rawget(doc, "blocks") or doc
	if format == "html" or format == "html5" then
		return internals.write_html(galley_blocks(clone(as_blocks(blocks, "pandoc.write")), 0))
	end
	if format ~= "plain" then
		error("pandoc.write: galley writes 'html' and 'plain' here; '" .. tostring(format) ..
			"' only as a whole document (galley build -t)", 2)
	end
	local paras = {}
	for _, b in ipairs(as_blocks(blocks, "pandoc.write")) do
		paras[#paras + 1] = stringify_string(b)
	end
	return concat(paras, "\n\n") .. "\n"
end
