-- Checks a GB/T 9704-2012 official document (公文): the 发文字号 (doc-number) is
-- written 机关代字〔year in full〕serial号 with six-sided brackets, no 第 and no
-- leading zeros (内安协〔2018〕1号); dates are written 2018年1月1日 in Arabic
-- numerals, year in full, month and day without leading zeros; the addressee
-- line ends with a full-width colon.  The front matter is checked, and numbers
-- and dates typed in the text.  Every finding is a warning at its character.

local utils = galley.utils

-- Brackets typed for 〔〕 (ASCII, 【】, （）, ［］, 〈〉).
local OPENING = { "〔", "[", "【", "（", "(", "［", "〈" }
local CLOSING = { "〕", "]", "】", "）", ")", "］", "〉" }

local function alternatives(list)
	local set = {}
	for _, s in ipairs(list) do set[s] = true end
	return set
end
local IS_OPENING, IS_CLOSING = alternatives(OPENING), alternatives(CLOSING)

-- where is an element (a Str) or a front-matter key; i a byte of its text.
local function warn_at(where, i, message)
	galley.warn(message, galley.locate(where, i) or where)
end

local function utf8_char(s, i)
	return s:match("^[%z\1-\127\194-\244][\128-\191]*", i) or ""
end

-- Checks the 发文字号 that starts at byte i of text: open .. year .. close .. [第] .. serial .. 号.
local function check_number(where, text, i, open, year, close, ordinal, serial, whole)
	local fixed_year = #year == 2 and "20" .. year or year
	local fixed = (whole and text:sub(1, i - 1) or "…") .. "〔" .. fixed_year .. "〕" .. tostring(math.tointeger(tonumber(serial)) or serial) .. "号"
	if open ~= "〔" then
		warn_at(where, i, string.format("use '〔' instead of '%s' in the 发文字号: %s", open, fixed))
	end
	local at_year = i + #open
	if #year ~= 4 then
		warn_at(where, at_year, string.format("write the year of the 发文字号 in full: %s", fixed))
	end
	local at_close = at_year + #year
	if close ~= "〕" then
		warn_at(where, at_close, string.format("use '〕' instead of '%s' in the 发文字号: %s", close, fixed))
	end
	local at_serial = at_close + #close
	if ordinal ~= "" then
		warn_at(where, at_serial, string.format("no '第' in the 发文字号: %s", fixed))
		at_serial = at_serial + #ordinal
	end
	if serial:match("^0") then
		warn_at(where, at_serial, string.format("no leading zeros in the serial number of the 发文字号: %s", fixed))
	end
end

-- The 发文字号s in text (the first only when whole: text is one, and must be one).
local function scan_numbers(where, text, whole)
	local i = 1
	while i <= #text do
		local open = utf8_char(text, i)
		if IS_OPENING[open] then
			local year, close_at = text:match("^(%d+)()", i + #open)
			local close = year and utf8_char(text, close_at) or ""
			local ordinal, serial = "", nil
			if IS_CLOSING[close] then
				local rest = close_at + #close
				if text:sub(rest, rest + 2) == "第" then ordinal, rest = "第", rest + 3 end
				serial = text:match("^(%d+)号", rest)
			end
			-- A year of 4 digits, or 2 in 〔〕 (or in the doc-number): not the (1)2号 of a list.
			if serial and (#year == 4 or (#year == 2 and (whole or open == "〔"))) then
				check_number(where, text, i, open, year, close, ordinal, serial, whole)
				if whole then return end
			end
		end
		i = i + math.max(#open, 1)
	end
	if whole then
		warn_at(where, 1, "a 发文字号 is written 机关代字〔year〕serial号, as 内安协〔2018〕1号")
	end
end

local CN_DIGITS = { ["〇"] = 0, ["零"] = 0, ["一"] = 1, ["二"] = 2, ["三"] = 3, ["四"] = 4, ["五"] = 5,
	["六"] = 6, ["七"] = 7, ["八"] = 8, ["九"] = 9 }

-- A number in Chinese numerals: digit by digit (二〇一八) or with 十 (二十一); nil if not one.
local function cn_value(s)
	local digits, value, tens = {}, 0, nil
	for _, c in utf8.codes(s) do digits[#digits + 1] = utf8.char(c) end
	for k, d in ipairs(digits) do
		if d == "十" then
			tens = (k == 1) and 1 or value
			value = 0
		elseif CN_DIGITS[d] then
			value = value * 10 + CN_DIGITS[d]
		else
			return nil
		end
	end
	if tens then value = tens * 10 + value end
	return #digits > 0 and value or nil
end

local function date_text(y, m, d)
	return string.format("%d年%d月%d日", y, m, d)
end

-- A date (the signature's, the 印发 date): 2018年1月1日 is the only form.
local function check_date(key, text)
	text = utils.trim(text)
	local y, m, d = text:match("^(%d+)年(%d+)月(%d+)日$")
	if y then
		y, m, d = tonumber(y), tonumber(m), tonumber(d)
		if #text:match("^(%d+)") ~= 4 then
			warn_at(key, 1, "write the year in full: " .. date_text(#tostring(y) == 2 and 2000 + y or y, m, d))
		elseif text:match("年0") or text:match("月0") then
			warn_at(key, (text:find("年0") or text:find("月0")) + 3,
				"no leading zeros in a date: " .. date_text(y, m, d))
		end
		return
	end
	y, m, d = text:match("^(%d%d%d%d)[-./](%d%d?)[-./](%d%d?)$")
	if y then
		warn_at(key, 1, "write the date " .. date_text(tonumber(y), tonumber(m), tonumber(d)))
		return
	end
	local cy, cm, cd = text:match("^(.+)年(.+)月(.+)日$")
	y, m, d = cy and cn_value(cy), cm and cn_value(cm), cd and cn_value(cd)
	if y and m and d then
		warn_at(key, 1, "GB/T 9704-2012 writes dates in Arabic numerals: " .. date_text(y, m, d))
		return
	end
	warn_at(key, 1, "write the date as 2018年1月1日")
end

-- Dates typed in the text: ISO-like forms and leading zeros.
local function scan_dates(str)
	local text = str.text
	for i, y, m, d in text:gmatch("()(%d%d%d%d)[-./](%d%d?)[-./](%d%d?)%f[%D]") do
		if tonumber(m) >= 1 and tonumber(m) <= 12 then
			warn_at(str, i, "write the date " .. date_text(tonumber(y), tonumber(m), tonumber(d)))
		end
	end
	for i, y, m, d in text:gmatch("()(%d%d%d%d)年(%d+)月(%d+)日") do
		if m:match("^0") or d:match("^0") then
			warn_at(str, i, "no leading zeros in a date: " .. date_text(tonumber(y), tonumber(m), tonumber(d)))
		end
	end
end

local function check_addressee(text)
	text = text:gsub("%s+$", "")
	if text:sub(-3) == "：" then return end
	local last = text:match("[%z\1-\127\194-\244][\128-\191]*$") or ""
	if last == ":" then
		warn_at("addressee", #text, "use '：' instead of ':' at the end of the addressee line")
	else
		warn_at("addressee", 1, "the addressee line ends with a full-width colon: " .. text .. "：")
	end
end

local function scan_text(blocks)
	local function inlines(list)
		for _, el in ipairs(list) do
			if el.tag == "Str" then
				if el._line and not el._origin then
					scan_numbers(el, el.text, false)
					scan_dates(el)
				end
			elseif el.tag == "Note" then
				scan_text(el.content)
			elseif el.content and el.tag ~= "Image" and el.tag ~= "Link" then
				inlines(el.content)
			end
		end
	end
	for _, b in ipairs(blocks) do
		if b.tag == "Para" or b.tag == "Header" then
			inlines(b.content)
		elseif b.tag == "BulletList" or b.tag == "OrderedList" then
			for _, item in ipairs(b.content) do scan_text(item) end
		elseif b.tag == "Table" then
			for _, row in ipairs(b.rows) do
				for _, cell in ipairs(row.cells) do inlines(cell) end
			end
		elseif b.content and b.tag ~= "CodeBlock" and b.tag ~= "RawBlock" then
			scan_text(b.content)
		end
	end
end

return { galley_view = true, -- galley's view: text runs keep their spaces (filters.md)
	Doc = function(doc)
		if doc.meta.checks == false or doc.meta.checks == "false" then return nil end
		local meta = doc.meta
		if type(meta["doc-number"]) == "string" then scan_numbers("doc-number", meta["doc-number"], true) end
		for _, key in ipairs({ "date", "printed-date" }) do
			if type(meta[key]) == "string" then check_date(key, meta[key]) end
		end
		if type(meta.addressee) == "string" then check_addressee(meta.addressee) end
		scan_text(doc.blocks)
		return nil
	end,
}
