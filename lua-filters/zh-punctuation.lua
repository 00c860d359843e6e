-- Warns about half-width punctuation typed inside Chinese text (GB/T 15834-2011):
-- "，。：；？！" typed as ", . : ; ? !", "……" as "...", and ASCII quotes " and '
-- next to Chinese characters, each at its line and column with the mark to use.
--
-- A mark counts as Chinese text when a Chinese character or a full-width mark
-- stands right before it, or (except ".") right after it.  So numbers (3.5,
-- 1:1000, 9001:2015), Latin text, URLs and code are left alone: code and
-- links that show their own URL are not read at all, and neither is text a
-- filter made (a term base's entries), which has no place in the source.

local utils = galley.utils

local FULL_WIDTH = { [","] = "，", [";"] = "；", [":"] = "：", ["?"] = "？", ["!"] = "！", ["."] = "。" }

-- Han characters, CJK marks (、。〈〉《》「」〔〕…) and full-width forms (，：；（）…).
local function is_chinese(cp)
	return cp ~= nil and ((cp >= 0x4E00 and cp <= 0x9FFF) or (cp >= 0x3400 and cp <= 0x4DBF)
		or (cp >= 0x20000 and cp <= 0x2FFFF) or (cp >= 0xF900 and cp <= 0xFAFF)
		or (cp >= 0x3000 and cp <= 0x303F) or (cp >= 0xFF01 and cp <= 0xFF60))
end

local function last_char(s)
	local cp
	for _, c in utf8.codes(s) do cp = c end
	return cp
end

local function first_char(s)
	for _, c in utf8.codes(s) do return c end
	return nil
end

-- A link that shows its own address (a bare URL, <https://…>, an e-mail address).
local function shows_address(link)
	local shown = utils.stringify(link.content)
	return shown ~= "" and (link.target:sub(-#shown) == shown or link.target == "mailto:" .. shown)
end

local function warn_at(str, i, typed, wanted)
	local message = (typed == "'" or typed == '"') and "use '%s' instead of the straight quote %s"
		or "use '%s' instead of '%s'"
	galley.warn(string.format(message, wanted, typed), galley.locate(str, i) or str)
end

-- Checks one Str; before and after are the characters next to it in its line of
-- inlines (nil at either end); quotes counts the ASCII quotes seen in the block.
local function check_str(str, before, after, quotes)
	local text = str.text
	local chars = {}
	for p, c in utf8.codes(text) do chars[#chars + 1] = { p = p, c = c } end
	local k = 1
	while k <= #chars do
		local p, c = chars[k].p, chars[k].c
		local prev = k > 1 and chars[k - 1].c or before
		local ch = c < 128 and string.char(c) or nil
		if ch == "." and is_chinese(prev) then
			local run = k
			while chars[run + 1] and chars[run + 1].c == 46 do run = run + 1 end
			if run - k >= 2 then
				warn_at(str, p, text:sub(p, chars[run].p), "……")
				k = run
			else
				warn_at(str, p, ".", "。")
			end
		elseif ch and ch ~= "." and FULL_WIDTH[ch] then
			local next = k < #chars and chars[k + 1].c or after
			if is_chinese(prev) or is_chinese(next) then warn_at(str, p, ch, FULL_WIDTH[ch]) end
		elseif ch == '"' or ch == "'" then
			local next = k < #chars and chars[k + 1].c or after
			quotes[ch] = (quotes[ch] or 0) + 1
			if is_chinese(prev) or is_chinese(next) then
				local opening = quotes[ch] % 2 == 1
				local wanted = ch == '"' and (opening and "“" or "”") or (opening and "‘" or "’")
				warn_at(str, p, ch, wanted)
			end
		end
		k = k + 1
	end
end

local check_inlines, check_blocks

-- The characters on either side of list[k]: the edge of its neighbours' text.
local function neighbours(list, k, before, after)
	local prev, next = before, after
	if list[k - 1] then
		local t = list[k - 1].tag
		prev = (t == "SoftBreak" or t == "LineBreak") and 32 or last_char(utils.stringify(list[k - 1]))
	end
	if list[k + 1] then
		local t = list[k + 1].tag
		next = (t == "SoftBreak" or t == "LineBreak") and 32 or first_char(utils.stringify(list[k + 1]))
	end
	return prev, next
end

-- The marks check_str looks at: a Str without any has nothing to check.
local ASCII_MARKS = "[,;:%?!%.\"']"

function check_inlines(list, quotes, before, after)
	for k, el in ipairs(list) do
		if el.tag == "Str" then
			if el._line and not el._origin and el.text:find(ASCII_MARKS) then
				local prev, next = neighbours(list, k, before, after)
				check_str(el, prev, next, quotes)
			end
		elseif el.tag == "Note" then
			check_blocks(el.content)
		elseif el.tag == "Link" and shows_address(el) then
			-- a link that shows its own address is not Chinese text
		elseif el.content and el.tag ~= "Image" then
			local prev, next = neighbours(list, k, before, after)
			check_inlines(el.content, quotes, prev, next)
		end
	end
end

function check_blocks(blocks)
	for _, b in ipairs(blocks) do
		if b.tag == "Para" or b.tag == "Header" then
			check_inlines(b.content, {})
		elseif b.tag == "BulletList" or b.tag == "OrderedList" then
			for _, item in ipairs(b.content) do check_blocks(item) end
		elseif b.tag == "Table" then
			if b.caption then check_inlines(b.caption, {}) end
			for _, row in ipairs(b.rows) do
				for _, cell in ipairs(row.cells) do check_inlines(cell, {}) end
			end
		elseif b.tag == "Figure" then
			check_inlines(b.caption, {})
		elseif b.content and b.tag ~= "CodeBlock" and b.tag ~= "RawBlock" then
			check_blocks(b.content)
		end
	end
end

return { galley_view = true, -- galley's view: text runs keep their spaces (filters.md)
	Doc = function(doc)
		if doc.meta.checks == false or doc.meta.checks == "false" then return nil end
		check_blocks(doc.blocks)
		return nil
	end,
}
