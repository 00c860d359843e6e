-- Checks a GB/T 1.1-2020 standard draft against the drafting rules: the order of
-- its elements, the required ones, the fixed wording of the 前言 and of the lead-ins
-- of chapters 2 and 3, the marking of annexes and their mention in the text, and
-- references typed as plain text ("见5.3", "表4", "附录C") to what the document
-- does not have.  Every finding is a warning (an error under --strict).
--
-- Runs after clause-numbering and crossref: it reads the numbers they give.

local utils = galley.utils

local function trim(s) return utils.trim(s) end

local function has_class(el, cls) return el.attr ~= nil and utils.has_class(el, cls) end

-- The elements of GB/T 1.1-2020 in their order; technical chapters rank between.
local RANKS = {
	["前言"] = 1, ["引言"] = 2, ["范围"] = 3, ["规范性引用文件"] = 4, ["术语和定义"] = 5,
	["符号和缩略语"] = 6, ["符号"] = 6, ["缩略语"] = 6, ["代号和缩略语"] = 6,
	["符号、代号和缩略语"] = 6, ["参考文献"] = 9, ["索引"] = 10,
}
local TECHNICAL, ANNEX = 7, 8
local REQUIRED = { "前言", "范围", "规范性引用文件", "术语和定义" }

local FOREWORD = "本文件按照GB/T 1.1—2020《标准化工作导则\u{3000}第1部分：标准化文件的结构和起草规则》的规定起草。"
local NORMATIVE_LEAD = "下列文件中的内容通过文中的规范性引用而构成本文件必不可少的条款。其中，注日期的引用文件，"
	.. "仅该日期对应的版本适用于本文件；不注日期的引用文件，其最新版本（包括所有的修改单）适用于本文件。"
local NO_NORMATIVE = "本文件没有规范性引用文件。"
local NO_TERMS = "本文件没有需要界定的术语和定义。"

local function title_of(h) return trim(utils.stringify(h.content)) end

local function rank_of(h)
	if has_class(h, "annex") then return ANNEX end
	local rank = RANKS[title_of(h)]
	if rank then return rank end
	if h.attr.attributes["number"] then return TECHNICAL end
	return nil
end

-- The Str of a block's inlines holding byte pos of its text, and pos within it.
local function str_at(inlines, pos)
	local start = 1
	for _, el in ipairs(inlines) do
		local text = utils.stringify(el)
		if pos < start + #text then
			if el.tag == "Str" then return el, pos - start + 1 end
			if el.content and el.tag ~= "Note" then return str_at(el.content, pos - start + 1) end
			return nil
		end
		start = start + #text
	end
	return nil
end

-- Warns at the character of para's text at byte pos, or at para.
local function warn_in(para, pos, message)
	local str, i = str_at(para.content or {}, pos)
	galley.warn(message, str and str._line and not str._origin and galley.locate(str, i) or para)
end

-- The byte where a and b part (at a character's start), or nil when equal.
local function first_difference(a, b)
	local i = 1
	while i <= #a and i <= #b and a:byte(i) == b:byte(i) do i = i + 1 end
	if i > #a and i > #b then return nil end
	while i > 1 and i <= #a and (a:byte(i) & 0xC0) == 0x80 do i = i - 1 end
	return i
end

local function char_at(s, i)
	return s:match("^[%z\1-\127\194-\244][\128-\191]*", i) or ""
end

-- A paragraph that must read exactly wanted (one of several wordings when wanted is a list).
local function check_wording(para, wanted, what)
	local text = trim(utils.stringify(para.content))
	for _, w in ipairs(wanted) do
		if text == w then return end
	end
	local w = wanted[1]
	local d = first_difference(text, w)
	local typed, expected = char_at(text, d), char_at(w, d)
	local detail = typed == "" and "it stops short"
		or expected == "" and "it goes on after the sentence"
		or string.format("“%s” here should be “%s”", typed, expected)
	warn_in(para, d, string.format("%s reads “%s” (GB/T 1.1-2020); %s", what, w, detail))
end

local function first_para_after(blocks, k)
	local b = blocks[k + 1]
	if b and b.tag == "Para" then return b end
	return nil
end

local function check_order(doc)
	local highest, highest_title = 0, nil
	local seen = {}
	for k, b in ipairs(doc.blocks) do
		if b.tag == "Header" and b.level == 1 then
			local title, rank = title_of(b), rank_of(b)
			if rank then
				seen[title] = true
				if rank < highest then
					galley.warn(string.format("“%s” comes before “%s” in GB/T 1.1-2020 (前言, 引言, 范围, "
						.. "规范性引用文件, 术语和定义, …, 附录, 参考文献, 索引)", title, highest_title), b)
				elseif rank > highest or rank == TECHNICAL or rank == ANNEX then
					highest, highest_title = rank, title
				end
			end
			local lead = first_para_after(doc.blocks, k)
			if title == "前言" then
				if lead then check_wording(lead, { FOREWORD }, "the 前言's first sentence")
				else galley.warn("the 前言 begins “" .. FOREWORD .. "” (GB/T 1.1-2020)", b) end
			elseif title == "规范性引用文件" and lead then
				check_wording(lead, { NORMATIVE_LEAD, NO_NORMATIVE }, "the lead-in of 规范性引用文件")
			elseif title == "术语和定义" and lead then
				local text = trim(utils.stringify(lead.content))
				if text ~= NO_TERMS and not text:find("适用于本文件。$") then
					warn_in(lead, 1, "the lead-in of 术语和定义 ends “…术语和定义适用于本文件。” or reads “"
						.. NO_TERMS .. "” (GB/T 1.1-2020)")
				end
			end
		end
	end
	for _, name in ipairs(REQUIRED) do
		if not seen[name] then
			galley.warn("a standard has a “" .. name .. "” (GB/T 1.1-2020); this one has none",
				doc.meta.title and "title" or doc.blocks[1])
		end
	end
end

-- Annexes: one kind each, given by the class and not typed, and each mentioned in the text.
local function check_annexes(doc, mentioned)
	for _, b in ipairs(doc.blocks) do
		if b.tag == "Header" and b.level == 1 and has_class(b, "annex") then
			local letter = b.attr.attributes["annex"] or "?"
			if has_class(b, "normative") and has_class(b, "informative") then
				galley.warn("annex " .. letter .. " is marked both .normative and .informative", b)
			end
			local title = title_of(b)
			local typed = title:match("（规范性附录）") or title:match("（资料性附录）")
				or title:match("（规范性）") or title:match("（资料性）")
			if typed then
				local kind = b.attr.attributes["annex-type"]
				local note = kind and typed:find(kind, 1, true) == nil
					and "; it contradicts the class, which makes it （" .. kind .. "）" or ""
				galley.warn("the annex's kind comes from {.normative} or {.informative}; remove the typed “"
					.. typed .. "”" .. note, b)
			end
			if not mentioned["附录" .. letter] then
				galley.warn("annex " .. letter .. " is not mentioned in the text; GB/T 1.1-2020 wants "
					.. "every annex referred to (见附录" .. letter .. ")", b)
			end
		end
	end
end

-- Everything a reference may name: clause, chapter, annex, table and figure numbers.
local function collect_numbers(blocks, numbers)
	for _, b in ipairs(blocks) do
		local number = b.attr and b.attr.attributes and b.attr.attributes["number"]
		if number then numbers[number] = true end
		if b.tag == "Div" or b.tag == "BlockQuote" or b.tag == "Figure" then
			collect_numbers(b.content, numbers)
		end
	end
	return numbers
end

-- What a plain-text reference may follow: 见5.3, 按5.3, 按照, 依据, 符合, 5.2和5.3 ….
local BEFORE = { ["见"] = true, ["按"] = true, ["照"] = true, ["据"] = true, ["合"] = true,
	["和"] = true, ["与"] = true, ["及"] = true, ["、"] = true, ["至"] = true, ["～"] = true,
	["（"] = true, ["如"] = true, ["由"] = true, ["在"] = true }
-- … and what it may be followed by, so that 按1.5倍 is a quantity, not clause 1.5.
local AFTER = { [""] = true, ["，"] = true, ["。"] = true, ["；"] = true, ["、"] = true, ["）"] = true,
	["的"] = true, ["中"] = true, ["条"] = true, ["和"] = true, ["或"] = true, ["至"] = true,
	["～"] = true, [" "] = true, ["："] = true, ["规"] = true, ["要"] = true, ["所"] = true }

local function char_before(s, i)
	local j = i - 1
	while j > 1 and (s:byte(j) & 0xC0) == 0x80 do j = j - 1 end
	return j >= 1 and s:sub(j, i - 1) or ""
end

-- Tables and figures: the word, the pattern of a reference to one, what it is.
local NUMBERED = {
	{ "表", "()表(%u?%.?%d[%d%.]*)", "a table" },
	{ "图", "()图(%u?%.?%d[%d%.]*)", "a figure" },
}

-- Plain-text references in one Str: the things they name that the document lacks.
local function check_references(str, numbers)
	local text = str.text
	-- Every reference has a digit or an annex's capital: most Strs have neither.
	if not text:find("[%d%u]") then return end
	local function missing(i, name, what)
		galley.warn("“" .. name .. "” is not " .. what .. " of this document",
			galley.locate(str, i) or str)
	end
	for i, letter in text:gmatch("()附录(%u)%f[^%u]") do
		if not numbers["附录" .. letter] then missing(i, "附录" .. letter, "an annex") end
	end
	for i, n in text:gmatch("()第(%d+)章") do
		if not numbers[n] then missing(i, "第" .. n .. "章", "a chapter") end
	end
	for _, numbered in ipairs(NUMBERED) do
		local kind, pattern, what = numbered[1], numbered[2], numbered[3]
		for i, n in text:gmatch(pattern) do
			n = n:gsub("%.+$", "")
			if (i == 1 or BEFORE[char_before(text, i)]) and not numbers[kind .. n] then
				missing(i, kind .. n, what)
			end
		end
	end
	for i, n in text:gmatch("()(%w+%.%d[%d%.]*)") do
		n = n:gsub("%.+$", "")
		local clause = n:match("^%d+%.%d+[%.%d]*$") or n:match("^%u%.%d[%d%.]*$")
		if clause and i > 1 and BEFORE[char_before(text, i)] and AFTER[char_at(text, i + #n)]
			and not numbers[n] then
			missing(i, n, "a clause")
		end
	end
end

-- mentioned gets the annexes the text refers to, outside the annex itself.
local function scan(blocks, numbers, mentioned, annex)
	local function inlines(list)
		for _, el in ipairs(list) do
			if el.tag == "Str" then
				if el._line and not el._origin then check_references(el, numbers) end
				-- Links crossref filled in (见[](#annex-a)) mention what they point to.
				for letter in el.text:gmatch("附录(%u)") do
					if letter ~= annex then mentioned["附录" .. letter] = true end
				end
			elseif el.tag == "Note" then
				scan(el.content, numbers, mentioned, annex)
			elseif el.content and el.tag ~= "Image" then
				inlines(el.content)
			end
		end
	end
	for _, b in ipairs(blocks) do
		if b.tag == "Header" and b.level == 1 then annex = b.attr.attributes["annex"] end
		if b.tag == "Para" or b.tag == "Header" and not has_class(b, "annex") then
			inlines(b.content)
		elseif b.tag == "BulletList" or b.tag == "OrderedList" then
			for _, item in ipairs(b.content) do scan(item, numbers, mentioned, annex) end
		elseif b.tag == "Table" then
			for _, row in ipairs(b.rows) do
				for _, cell in ipairs(row.cells) do inlines(cell) end
			end
		elseif b.tag == "Div" and has_class(b, "toc") then
			-- the 目次 lists every annex; that is no mention
		elseif b.content and b.tag ~= "CodeBlock" and b.tag ~= "RawBlock" then
			scan(b.content, numbers, mentioned, annex)
		end
	end
end

return { galley_view = true, -- galley's view: text runs keep their spaces (filters.md)
	Doc = function(doc)
		if doc.meta.checks == false or doc.meta.checks == "false" then return nil end
		check_order(doc)
		local mentioned = {}
		scan(doc.blocks, collect_numbers(doc.blocks, {}), mentioned)
		check_annexes(doc, mentioned)
		return nil
	end,
}
