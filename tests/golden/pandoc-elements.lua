-- pandoc's element model as a pandoc filter sees it (issue 19): names, the Str/Space split
-- with galley's Chinese rule, the attr shortcuts, Plain in tight lists, pandoc.List's
-- methods, constructors.  Each check is written with pandoc's answer; a wrong one is an
-- error at its line, and the last paragraph counts the checks that ran.
local passed = 0
local function check(name, got, want)
	if got ~= want then
		galley.error(name .. ": got " .. tostring(got) .. ", want " .. tostring(want))
	else
		passed = passed + 1
	end
end

local words = {}
function Str(s) words[#words + 1] = s.text end
function Space() words[#words + 1] = "_" end
function SoftBreak() words[#words + 1] = "~" end

function Header(h)
	check("Header tag", h.t, "Header")
	check("tag", h.tag, "Header")
	check("identifier", h.identifier, "general")
	check("classes", h.classes[1], "main")
	check("classes:includes", h.classes:includes("main"), true)
	check("attributes", h.attributes.lang, "zh")
	h.identifier = "general-2"
	h.classes:insert("extra")
	h.attributes["data-x"] = "1"
	return h
end

local plains = 0
function Plain(p) plains = plains + 1 end

function Pandoc(doc)
	-- text split as pandoc splits it, no SoftBreak between Han characters; the metadata
	-- first, in key order, as pandoc walks them
	check("words", table.concat(words, " "),
		"pandoc-elements 要点 _ 与 _ 说明 总则 Hello _ world, _ 中文没有空格。第二行 _ " ..
		"{{helloworld}} _ 在句中。 紧凑 _ 列表 第二项 图一")
	check("tight items hold Plain", plains, 2)
	check("title is MetaInlines", pandoc.utils.type(doc.meta.title), "Inlines")
	check("title emphasis", doc.meta.title[1].t, "Strong")
	check("blocks", pandoc.utils.type(doc.blocks), "Blocks")
	check("Pandoc", pandoc.utils.type(doc), "Pandoc")
	check("Para content", pandoc.utils.type(doc.blocks[2].content), "Inlines")
	check("a Block", pandoc.utils.type(doc.blocks[2]), "Block")
	check("an Inline", pandoc.utils.type(doc.blocks[2].content[1]), "Inline")
	-- pandoc.List
	local l = pandoc.List({ 1, 2, 3 })
	check("map", table.concat(l:map(function(x) return x * 2 end), ","), "2,4,6")
	check("filter", table.concat(l:filter(function(x) return x > 1 end), ","), "2,3")
	check("find", select(2, l:find(3)), 3)
	check("find_if", (l:find_if(function(x) return x > 1 end)), 2)
	check("includes", l:includes(4), false)
	l:extend({ 4 })
	l:insert(1, 0)
	check("extend, insert", table.concat(l, ","), "0,1,2,3,4")
	check("concat", #(l .. pandoc.List({ 5 })), 6)
	check("clone", table.concat(l:clone(), ","), "0,1,2,3,4")
	check("List:new", pandoc.utils.type(pandoc.List:new({})), "List")
	check("equals", pandoc.utils.equals(pandoc.Str("a"), pandoc.Str("a")), true)
	check("List ==", pandoc.List({ 1 }) == pandoc.List({ 1 }), true)
	-- constructors and walks
	local inl = pandoc.Inlines("两个 词")
	check("Inlines from text", #inl, 3)
	check("Inlines split", inl[2].t, "Space")
	check("Inlines line break", pandoc.Inlines("一\n二")[2].t, "SoftBreak")
	local para = pandoc.Para({ pandoc.Str("甲"), pandoc.Space(), pandoc.Emph("乙") })
	local walked = para:walk({ Str = function(s) return pandoc.Str(s.text .. "!") end })
	check("walk copies", pandoc.utils.stringify(para), "甲 乙")
	check("walk", pandoc.utils.stringify(walked), "甲! 乙!")
	check("Inlines:walk", pandoc.utils.stringify(para.content:walk({ Emph = function(e) return e.content end })), "甲 乙")
	local div = pandoc.Div({ para }, pandoc.Attr("d", { "note" }, { k = "v" }))
	check("Div attr", div.identifier .. div.classes[1] .. div.attributes.k, "dnotev")
	check("clone", div:clone().content[1].content[1].text, "甲")
	-- galley's crossref (a later filter) makes the figure; here the image is in a Para
	check("Image caption", doc.blocks[#doc.blocks].content[1].caption[1].text, "图一")
	check("Image src", doc.blocks[#doc.blocks].content[1].src, "a.png")
	local ok, err = pcall(pandoc.Math, "InlineMath", "x")
	check("no Math", ok, false)
	check("Math message", err:match("galley's documents have no Math elements") ~= nil, true)
	doc.blocks:insert(pandoc.Para(passed .. " checks passed"))
	doc.blocks:insert(div)
	return doc
end
