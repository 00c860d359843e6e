-- crossref.lua: figures, tables, notes and cross-references.
--   * An image alone in a paragraph becomes a figure whose caption is the
--     image's text; `![标题](a.png){#fig-x}` gives it an id.  Figures are
--     numbered 图1, 图2 … (图A.1 inside annex A of a `gb` document).
--   * A paragraph "Table: 标题", "表：标题" or ": 标题" right before or after a
--     table becomes its caption; "{#tbl-x}" at its end gives the table an id.
--     Tables are numbered 表1 … (表A.1 in annexes).
--   * Paragraphs "注：…" right after a table are the table's notes: they move
--     into a Div {.table-notes} after it, which HTML and PDF set inside the
--     table's frame (GB/T 1.1, 8.6.4), numbered on their own.  Footnotes in
--     its cells become the table's footnotes: marked a, b … (a Span
--     {.table-fnref}), their text a Div {.table-footnote mark=a} in the same
--     Div after the notes.
--   * In `gb` documents the notes of a clause are "注：" when alone and
--     "注1：" "注2：" … when several; examples likewise ("示例：", "示例1：").
--   * A link with no text to an id, `[](#scope)`, shows the target's number in
--     words ("第5章", "5.2", "图1", "表A.1", "附录A", "第十二条", "（三）"); a link
--     with text keeps it.  A link to an id that does not exist is an error.
-- Runs after clause-numbering, whose `number` and `number-ref` attributes it reads.

local utils = galley.utils

local function first_str(blocks_or_inlines)
	local first = blocks_or_inlines[1]
	if first and first.tag == "Str" then return first end
	return nil
end

-- A caption paragraph: returns its inlines without the "表：" lead, or nil.
local CAPTION_LEADS = { "Table:", "Table：", "表：", "表:", ":" }
local function caption_of(para)
	if para == nil or para.tag ~= "Para" then return nil end
	local first = first_str(para.content)
	if not first then return nil end
	for _, lead in ipairs(CAPTION_LEADS) do
		if first.text:sub(1, #lead) == lead then
			local content = para:clone().content
			local rest = content[1].text:sub(#lead + 1):gsub("^ +", "")
			if rest == "" then table.remove(content, 1) else content[1].text = rest end
			return content
		end
	end
	return nil
end

-- Takes "{#id .class}" off the end of inlines into attr.
local function take_attr(inlines, attr)
	local last = inlines[#inlines]
	if not last or last.tag ~= "Str" then return end
	local head, block = last.text:match("^(.-) *(%b{})$")
	if not block then return end
	local parsed = utils.parse_attr(block)
	if not parsed then return end
	if parsed.identifier ~= "" then attr.identifier = parsed.identifier end
	for _, c in ipairs(parsed.classes) do table.insert(attr.classes, c) end
	for k, v in pairs(parsed.attributes) do attr.attributes[k] = v end
	if head == "" then table.remove(inlines) else last.text = head end
end

local function lone_image(block)
	if block.tag ~= "Para" then return nil end
	local image, attr_text = nil, nil
	for _, el in ipairs(block.content) do
		if el.tag == "Image" and not image then
			image = el
		elseif el.tag == "Str" and image and not attr_text and el.text:match("^ *%b{} *$") then
			attr_text = el
		elseif el.tag ~= "SoftBreak" then
			return nil
		end
	end
	return image, attr_text
end

-- A paragraph led by "注：" / "注1：" (word "注") or "示例："; returns its first Str,
-- the number typed and the rest of that Str, or nil.
local function lead_of(para, word)
	local first = para.tag == "Para" and first_str(para.content)
	if not first then return nil end
	local digits, rest = first.text:match("^" .. word .. "(%d*)：(.*)$")
	if digits == nil then digits, rest = first.text:match("^" .. word .. "(%d*):(.*)$") end
	if digits == nil then return nil end
	return first, digits, rest
end

local function is_table_notes(block)
	if block.tag ~= "Div" then return false end
	for _, c in ipairs(block.attr.classes) do
		if c == "table-notes" then return true end
	end
	return false
end

-- Footnotes in a table's cells become the table's own (GB/T 1.1): marked a, b …
-- afresh in each table, their text set inside its frame after its notes.
-- Returns the Divs {.table-footnote mark=a} holding their text.
local function table_footnotes(tbl)
	local notes = {}
	local function letter_of(note)
		local mark = utils.alpha(#notes + 1)
		local div = galley.Div(note.content, galley.Attr("", { "table-footnote" }, { mark = mark }))
		div._line, div._col, div._file = note._noteline, note._notecol, note._file
		notes[#notes + 1] = div
		return galley.Span({ galley.Str(mark) }, galley.Attr("", { "table-fnref" }))
	end
	-- Whether a list of inlines holds a Note, so that only such cells are walked.
	local function has_note(list, depth)
		for _, el in ipairs(list) do
			utils.check_depth(el, depth)
			if el.tag == "Note" then return true end
			if el.content and has_note(el.content, depth + 1) then return true end
		end
		return false
	end
	for _, row in ipairs(tbl.rows) do
		for j, cell in ipairs(row.cells) do
			if not has_note(cell, 1) then goto next_cell end
			local before = #notes
			local walked = galley.Span(cell):walk({ Note = letter_of }).content
			if #notes > before then
				walked._line, walked._col, walked._file = cell._line, cell._col, cell._file
				row.cells[j] = walked
			end
			::next_cell::
		end
	end
	return notes
end

-- Builds figures and captioned tables and numbers both.
local function figures_and_tables(doc)
	local annex, figures, tables = nil, 0, 0
	local function build(blocks)
		local out, taken = {}, {}
		for i, b in ipairs(blocks) do
			if taken[i] then goto continue end
			if b.tag == "Header" and b.level == 1 then
				local letter = b.attr.attributes["annex"]
				if letter ~= annex then annex, figures, tables = letter, 0, 0 end
			end
			local image, attr_text = lone_image(b)
			if image then
				figures = figures + 1
				local attr = galley.Attr(image.attr)
				if attr_text then take_attr({ galley.Str(attr_text.text:match("^ *(.-) *$")) }, attr) end
				local number = "图" .. (annex and (annex .. ".") or "") .. figures
				attr.attributes["number"] = number
				attr.attributes["number-ref"] = number
				local figure = galley.Figure({ galley.Para({ image }) }, image.content, attr)
				figure._line, figure._col, figure._file = b._line, b._col, b._file
				-- The figure takes the image's id, as pandoc's implicit figures do; the
				-- image keeps its size (width, height) for the HTML and the PDF.
				figure.attr.attributes.width, figure.attr.attributes.height = nil, nil
				image.attr.identifier = ""
				b = figure
			elseif b.tag == "Table" then
				local caption = caption_of(blocks[i - 1])
				if caption and out[#out] == blocks[i - 1] then
					table.remove(out)
				else
					caption = caption_of(blocks[i + 1])
					if caption then taken[i + 1] = true end
				end
				if caption then
					take_attr(caption, b.attr)
					b.caption = caption
				end
				if caption or (b.caption and #b.caption > 0) then
					tables = tables + 1
					local number = "表" .. (annex and (annex .. ".") or "") .. tables
					b.attr.attributes["number"] = number
					b.attr.attributes["number-ref"] = number
				end
				local notes, j = {}, i + 1
				while taken[j] do j = j + 1 end
				while blocks[j] and lead_of(blocks[j], "注") do
					notes[#notes + 1] = blocks[j]
					taken[j] = true
					j = j + 1
				end
				for _, note in ipairs(table_footnotes(b)) do notes[#notes + 1] = note end
				if #notes > 0 then
					out[#out + 1] = b
					b = galley.Div(notes, galley.Attr("", { "table-notes" }))
					b._line, b._col, b._file = notes[1]._line, notes[1]._col, notes[1]._file
				end
			elseif b.tag == "Div" then
				-- Images and tables inside a block (::: {.columns-2}, an article's classes) too, in order.
				b.content = build(b.content)
			end
			out[#out + 1] = b
			::continue::
		end
		return out
	end
	doc.blocks = build(doc.blocks)
end

-- 注： / 注1： and 示例： / 示例1： within each clause of a gb document.
local function number_notes(doc)
	local function renumber(group, word)
		for k, p in ipairs(group) do
			local first, digits, rest = lead_of(p, word)
			if #group == 1 and digits ~= "" then
				galley.warn("a clause with one " .. word .. " does not number it: “" .. word .. "：”", p)
			end
			first.text = word .. (#group > 1 and tostring(k) or "") .. "：" .. rest
		end
	end
	local notes, examples = {}, {}
	local function flush()
		renumber(notes, "注")
		renumber(examples, "示例")
		notes, examples = {}, {}
	end
	for _, b in ipairs(doc.blocks) do
		if b.tag == "Header" then
			flush()
		elseif lead_of(b, "注") then
			notes[#notes + 1] = b
		elseif lead_of(b, "示例") then
			examples[#examples + 1] = b
		elseif is_table_notes(b) then
			local own = {}
			for _, p in ipairs(b.content) do
				if lead_of(p, "注") then own[#own + 1] = p end
			end
			renumber(own, "注")
		end
	end
	flush()
end

-- Every id in the document with the words a reference to it shows: blocks' ids and
-- anchored Spans' (a glossary row's, terms.lua), whose words are their text.
local function collect_targets(doc)
	local targets = {}
	local function visit_inlines(list, depth)
		for _, el in ipairs(list or {}) do
			utils.check_depth(el, depth)
			if el.tag == "Span" and el.attr.identifier ~= "" and not targets[el.attr.identifier] then
				targets[el.attr.identifier] = { words = utils.stringify(el.content), element = el }
			end
			if el.tag == "Span" or el.tag == "Emph" or el.tag == "Strong" or el.tag == "Strikeout" then
				visit_inlines(el.content, depth + 1)
			end
		end
	end
	local function visit(blocks, depth)
		for _, b in ipairs(blocks) do
			utils.check_depth(b, depth)
			local id = b.attr and b.attr.identifier
			if id and id ~= "" then
				local words = b.attr.attributes["number-ref"]
				if not words and b.tag == "Header" then words = utils.stringify(b.content) end
				targets[id] = { words = words or id, element = b }
			end
			if b.tag == "Para" then visit_inlines(b.content, depth + 1) end
			if b.tag == "Table" then
				for _, row in ipairs(b.rows) do
					for _, cell in ipairs(row.cells) do visit_inlines(cell, depth + 1) end
				end
			end
			if b.tag == "BlockQuote" or b.tag == "Div" or b.tag == "Figure" then visit(b.content, depth + 1) end
			if b.tag == "BulletList" or b.tag == "OrderedList" then
				for _, item in ipairs(b.content) do visit(item, depth + 1) end
			end
		end
	end
	visit(doc.blocks, 1)
	return targets
end

-- The filter that fills in references, once targets holds every id.
local function link_resolver(targets)
	return {
		Link = function(link)
			local id = link.target:match("^#(.+)$")
			if not id then return nil end
			local target = targets[id]
			if not target then
				galley.error("reference to '#" .. id .. "', which no heading, figure or table has", link)
				return nil
			end
			if #link.content == 0 then
				link.content = { galley.Str(target.words) }
				table.insert(link.attr.classes, "xref")
				return link
			end
			return nil
		end,
	}
end

-- Numbering first (it builds figures and tables); references then see the numbers.
local targets = {}
return { galley_view = true, -- galley's view: text runs keep their spaces (filters.md)
	{
		Doc = function(doc)
			local scheme = doc.meta.numbering and utils.stringify(doc.meta.numbering) or ""
			figures_and_tables(doc)
			if scheme == "gb" then number_notes(doc) end
			for id, target in pairs(collect_targets(doc)) do targets[id] = target end
			return doc
		end,
	},
	link_resolver(targets),
}
