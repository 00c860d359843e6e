-- clause-numbering.lua: numbers headings (and list items) by the scheme in the
-- front matter's `numbering:` (or the style's default):
--   gb        GB/T 1.1-2020: chapters 1, 2; clauses 1.1, 1.1.1 …; annexes 附录A
--             （规范性）with clauses A.1; lists a) b) with nested 1) 2).
--   gongwen   GB/T 9704-2012 official documents: 一、 （一） 1. （1）.
--   articles  regulations: 第一章 第一节 第一条, articles counted through the
--             whole document; ordered lists inside them （一）（二）.
--   none      leaves the document alone.
-- Each numbered heading gets two attributes: `number`, what is printed before
-- its title ("5.2", "一、", "第十二条", "附录A"), and `number-ref`, the words a
-- cross-reference shows ("第5章", "5.2", "（三）", "附录A").  A number typed by
-- hand at the start of a heading is taken off and checked against the computed
-- one.

local utils = galley.utils
local has_class = utils.has_class
local trim = utils.trim
local cjk = utils.cjk_number

-- Chinese numerals back to numbers: 十一 → 11, 二十 → 20, 一百零一 → 101; nil if s is not one.
local function from_cjk(s)
	local digits = { ["零"] = 0, ["〇"] = 0, ["一"] = 1, ["二"] = 2, ["两"] = 2, ["三"] = 3,
		["四"] = 4, ["五"] = 5, ["六"] = 6, ["七"] = 7, ["八"] = 8, ["九"] = 9 }
	local units = { ["十"] = 10, ["百"] = 100, ["千"] = 1000 }
	local total, digit = 0, nil
	if s == "" then return nil end
	for _, code in utf8.codes(s) do
		local ch = utf8.char(code)
		if digits[ch] then
			digit = digits[ch]
		elseif units[ch] then
			total = total + (digit or 1) * units[ch]
			digit = nil
		else
			return nil
		end
	end
	return total + (digit or 0)
end

local function from_digits(s)
	return s:match("^%d+$") and tonumber(s) or nil
end

-- Headings GB/T 1.1 never numbers.
local GB_UNNUMBERED = { ["前言"] = true, ["引言"] = true, ["参考文献"] = true, ["索引"] = true,
	["目次"] = true }

-- Forms of numbers typed at the start of a heading: opening text, closing text,
-- how to read what is between, and the level (or kind) the form belongs to.
local TYPED = {
	gongwen = {
		{ "", "、", from_cjk, 1 },
		{ "（", "）", from_cjk, 2 }, { "(", ")", from_cjk, 2 },
		{ "", ".", from_digits, 3 }, { "", "．", from_digits, 3 },
		{ "（", "）", from_digits, 4 }, { "(", ")", from_digits, 4 },
	},
	articles = {
		{ "第", "章", from_cjk, "章" }, { "第", "节", from_cjk, "节" }, { "第", "条", from_cjk, "条" },
	},
}

-- The first form that s starts with: what the number says, its level and the rest of s.
local function match_typed(s, scheme)
	if scheme == "gb" then
		local number, rest = s:match("^(%d+[%.%d]*)(.*)$")
		if number and not number:find("%.$") and (rest:sub(1, 1) == " " or rest:sub(1, 3) == "\u{3000}") then
			return number, number, 0, trim(rest)
		end
		return nil
	end
	for _, form in ipairs(TYPED[scheme] or {}) do
		local open, close, read, level = form[1], form[2], form[3], form[4]
		if s:sub(1, #open) == open then
			local stop = s:find(close, #open + 1, true)
			if stop and stop - #open - 1 <= 12 then
				local inner = s:sub(#open + 1, stop - 1)
				local value = read(inner)
				if value then
					return s:sub(1, stop + #close - 1), value, level, trim(s:sub(stop + #close))
				end
			end
		end
	end
	return nil
end

-- Takes a typed number off the heading's first text; returns what it said, or nil.
local function take_typed(heading, scheme)
	local first = heading.content[1]
	if not first or first.tag ~= "Str" then return nil end
	local text, value, kind, rest = match_typed(first.text, scheme)
	if not text then return nil end
	if rest == "" then
		table.remove(heading.content, 1)
	else
		first.text = rest
	end
	return { text = text, value = value, kind = kind }
end

local function heading_text(h)
	return trim(utils.stringify(h.content))
end

local function set_number(h, number, ref)
	h.attr.attributes["number"] = number
	h.attr.attributes["number-ref"] = ref or number
end

-- Warns when a number typed by hand is of another level or another value than the computed one.
local function check_typed(typed, kind, value, number, h)
	if not typed then return end
	if typed.kind ~= kind then
		galley.warn(string.format("the heading's typed number “%s” is of another level; it is numbered %s",
			typed.text, number), h)
	elseif typed.value ~= value then
		galley.warn(string.format("the heading's typed number “%s” differs from its place: it is numbered %s",
			typed.text, number), h)
	end
end

-- The smallest heading level that gets a number: gongwen and articles count from it.
local function base_level(blocks, skip)
	local base = 7
	for _, b in ipairs(blocks) do
		if b.tag == "Header" and not skip(b) and b.level < base then base = b.level end
	end
	return base
end

local function deepest_level(blocks, skip)
	local deepest = 0
	for _, b in ipairs(blocks) do
		if b.tag == "Header" and not skip(b) and b.level > deepest then deepest = b.level end
	end
	return deepest
end

local function unnumbered(h)
	return has_class(h, "unnumbered")
end

-- GB/T 1.1-2020 ------------------------------------------------------------

local function annex_letter(n)
	return string.char(64 + n)
end

local function number_gb(doc)
	local counts, annexes, annex = {}, 0, nil
	for _, b in ipairs(doc.blocks) do
		if b.tag == "Header" then
			local typed = take_typed(b, "gb")
			local title = heading_text(b)
			if unnumbered(b) or (b.level == 1 and GB_UNNUMBERED[title]) then
				if b.level == 1 then annex = nil end
				-- 前言, 引言, 参考文献, 索引: centred titles, as the 目次's.
				if b.level == 1 and GB_UNNUMBERED[title] and not has_class(b, "gb-title") then
					table.insert(b.attr.classes, "gb-title")
				end
				if typed then
					galley.warn("“" .. title .. "” is not numbered in GB/T 1.1; the typed number "
						.. typed.text .. " is dropped", b)
				end
			elseif b.level == 1 and has_class(b, "annex") then
				annexes = annexes + 1
				annex = annex_letter(annexes)
				counts = {}
				local kind = has_class(b, "normative") and "规范性"
					or has_class(b, "informative") and "资料性" or nil
				if not kind then
					galley.warn("annex " .. annex .. " should be marked .normative (规范性) or "
						.. ".informative (资料性)", b)
				end
				set_number(b, "附录" .. annex)
				b.attr.attributes["annex"] = annex
				if kind then b.attr.attributes["annex-type"] = kind end
			else
				if b.level == 1 then annex = nil end
				counts[b.level] = (counts[b.level] or 0) + 1
				for l = b.level + 1, 6 do counts[l] = nil end
				local parts = { annex }
				for l = annex and 2 or 1, b.level do
					parts[#parts + 1] = tostring(counts[l] or 0)
				end
				if #parts > 5 then
					galley.warn("GB/T 1.1 allows clauses to five levels; this heading is at level " .. #parts, b)
				end
				local number = table.concat(parts, ".")
				local ref = (b.level == 1 and not annex) and ("第" .. number .. "章") or number
				set_number(b, number, ref)
				check_typed(typed, 0, number, number, b)
			end
		end
	end
end

-- Lists in a standard: a) b) c), and 1) 2) inside them.
local function gb_lists(doc)
	local function restyle(blocks, depth)
		for _, b in ipairs(blocks) do
			if b.tag == "OrderedList" then
				b.style = depth == 0 and "LowerAlpha" or "Decimal"
				b.delimiter = "OneParen"
				b.start = 1
				for _, item in ipairs(b.content) do restyle(item, depth + 1) end
			elseif b.tag == "BulletList" then
				table.insert(b.attr.classes, "dash")
				for _, item in ipairs(b.content) do restyle(item, depth + 1) end
			elseif b.tag == "BlockQuote" or b.tag == "Div" then
				restyle(b.content, depth)
			end
		end
	end
	restyle(doc.blocks, 0)
end

-- GB/T 9704-2012 -------------------------------------------------------------

local GONGWEN = {
	function(n) return cjk(n) .. "、", cjk(n) end,
	function(n) return "（" .. cjk(n) .. "）", "（" .. cjk(n) .. "）" end,
	function(n) return n .. ".", tostring(n) end,
	function(n) return "（" .. n .. "）", "（" .. n .. "）" end,
}

local function number_gongwen(doc)
	local base = base_level(doc.blocks, unnumbered)
	local counts = {}
	for _, b in ipairs(doc.blocks) do
		if b.tag == "Header" and not unnumbered(b) then
			local depth = b.level - base + 1
			local typed = take_typed(b, "gongwen")
			counts[depth] = (counts[depth] or 0) + 1
			for d = depth + 1, 6 do counts[d] = nil end
			if depth > #GONGWEN then
				galley.warn("GB/T 9704 numbers four levels (一、（一）1.（1））; this heading is deeper", b)
			else
				local n = counts[depth]
				local number, ref = GONGWEN[depth](n)
				set_number(b, number, ref)
				check_typed(typed, depth, n, number, b)
			end
		end
	end
end

-- Regulations: 第一章 第一节 第一条 ------------------------------------------

local function number_articles(doc)
	local base = base_level(doc.blocks, unnumbered)
	local deepest = deepest_level(doc.blocks, unnumbered)
	local levels = deepest - base + 1
	-- The deepest level holds the articles; above them chapters, then sections.
	local kinds = levels >= 3 and { "章", "节", "条" } or levels == 2 and { "章", "条" } or { "条" }
	local chapter, section, article = 0, 0, 0
	for _, b in ipairs(doc.blocks) do
		if b.tag == "Header" and not unnumbered(b) then
			local kind = kinds[b.level - base + 1]
			local typed = take_typed(b, "articles")
			local n
			if kind == "章" then
				chapter, section = chapter + 1, 0
				n = chapter
			elseif kind == "节" then
				section = section + 1
				n = section
			elseif kind == "条" then
				article = article + 1
				n = article
			end
			if kind then
				local number = "第" .. cjk(n) .. kind
				set_number(b, number)
				check_typed(typed, kind, n, number, b)
			else
				galley.warn("regulations number three levels (章, 节, 条); this heading is deeper", b)
			end
		end
	end
	-- Items inside an article: （一）（二）.
	local function restyle(blocks)
		for _, b in ipairs(blocks) do
			if b.tag == "OrderedList" then
				b.style, b.delimiter = "CJKDecimal", "TwoParens"
			end
			if b.tag == "BlockQuote" or b.tag == "Div" then restyle(b.content) end
		end
	end
	restyle(doc.blocks)
end

local SCHEMES = {
	gb = function(doc) number_gb(doc); gb_lists(doc) end,
	gongwen = number_gongwen,
	articles = number_articles,
	none = function() end,
}

return { galley_view = true, -- galley's view: text runs keep their spaces (filters.md)
	Doc = function(doc)
		local scheme = doc.meta.numbering
		if scheme == nil or scheme == false then return nil end
		scheme = utils.stringify(scheme)
		local run = SCHEMES[scheme]
		if not run then
			galley.error("unknown numbering scheme '" .. scheme .. "' (known: gb, gongwen, articles, none)",
				"numbering")
			return nil
		end
		run(doc)
		return doc
	end,
}
