-- pandoc's Markdown extensions as a pandoc filter sees them (issue 19): Superscript,
-- Subscript, Span and Div with their Attr, a DefinitionList's {term, definitions} pairs,
-- attributes on Code, CodeBlock, Link and Image; and the same elements built by the
-- filter.  A wrong answer is an error at its line; the last paragraph counts the checks.
local passed = 0
local function check(name, got, want)
	if got ~= want then
		galley.error(name .. ": got " .. tostring(got) .. ", want " .. tostring(want))
	else
		passed = passed + 1
	end
end

-- Run by Pandoc's walk below, not as the filter's own functions: each check runs once.
local seen, f = {}, {}
function f.Superscript(el) seen.sup = pandoc.utils.stringify(el) end
function f.Subscript(el) seen.sub = pandoc.utils.stringify(el) end
function f.Span(el)
	check("Span id", el.identifier, "m1")
	check("Span class", el.classes[1], "mark")
	check("Span attribute", el.attributes.k, "v")
	check("Span text", pandoc.utils.stringify(el), "标记")
end
function f.Div(el)
	check("Div id", el.identifier, "d1")
	check("Div class", el.classes:includes("note"), true)
end
function f.Code(el) check("Code class", el.classes[1], "lua") end
function f.Link(el) check("Link class", el.classes[1], "ext") end
function f.Image(el) check("Image width", el.attributes.width, "50%") end
function f.CodeBlock(el)
	check("CodeBlock id", el.identifier, "c1")
	check("CodeBlock class", el.classes[1], "lua")
	check("CodeBlock attribute", el.attributes.include, "x.lua")
end
function f.DefinitionList(el)
	check("items", #el.content, 1)
	local term, defs = el.content[1][1], el.content[1][2]
	check("term", pandoc.utils.stringify(term), "术语")
	check("definitions", #defs, 1)
	check("tight: Plain", defs[1][1].tag, "Plain")
	check("definition", pandoc.utils.stringify(defs[1]), "定义。")
end

function Pandoc(doc)
	doc = doc:walk(f)
	check("Superscript", seen.sup, "2")
	check("Subscript", seen.sub, "2")
	doc.blocks:insert(pandoc.Para({ "CO", pandoc.Subscript("2"), " 与 x", pandoc.Superscript("3"),
		pandoc.Span("红", pandoc.Attr("", { "red" })) }))
	doc.blocks:insert(pandoc.DefinitionList({
		{ "新术语", { { pandoc.Para("新定义一。") }, { pandoc.Para("新定义二。") } } },
		{ { pandoc.Strong("粗术语") }, pandoc.Plain("紧凑定义。") },
	}))
	doc.blocks:insert(pandoc.Div(pandoc.Para("双栏"), pandoc.Attr("d2", { "columns-2" })))
	-- pandoc.write through galley's HTML writer: the body, notes after it; doc unchanged
	local small = pandoc.Pandoc({ pandoc.Para({ "m", pandoc.Superscript("2"), pandoc.Note(pandoc.Para("注")) }),
		pandoc.DefinitionList({ { "词", pandoc.Plain("义") } }) })
	check("write html", pandoc.write(small, "html"), '<p>m<sup>2</sup><sup class="footnote-ref">' ..
		'<a href="#fn-1" id="fnref-1">1</a></sup></p><dl><dt>词</dt><dd>义</dd></dl>' ..
		'<section class="footnotes"><ol><li id="fn-1"><p>注<a class="footnote-back" ' ..
		'aria-label="返回正文" href="#fnref-1">↩︎</a></p></li></ol></section>')
	check("write keeps the document", small.blocks[2].content[1][2][1][1].tag, "Plain")
	check("write plain", pandoc.write(small, "plain"), "m2\n\n词义\n")
	doc.blocks:insert(pandoc.Para(passed .. " checks passed"))
	return doc
end
