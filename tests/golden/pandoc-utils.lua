-- pandoc's globals and utility modules (issue 19), each checked against pandoc's answer;
-- a wrong one is an error at its line, and the last paragraph counts the checks.
local passed = 0
local function check(name, got, want)
	if got ~= want then
		galley.error(name .. ": got " .. tostring(got) .. ", want " .. tostring(want))
	else
		passed = passed + 1
	end
end
local function fails(name, fn, pattern)
	local ok, err = pcall(fn)
	check(name, not ok and tostring(err):match(pattern) ~= nil, true)
end

function Pandoc(doc)
	-- versions
	check("PANDOC_VERSION >= {2,17}", PANDOC_VERSION >= { 2, 17 }, true)
	check("PANDOC_VERSION >= '3.0'", PANDOC_VERSION >= "3.0", true)
	check("PANDOC_VERSION < '4'", PANDOC_VERSION < "4", true)
	check("tostring", tostring(PANDOC_VERSION), "3.1.11")
	check("API", PANDOC_API_VERSION >= { 1, 23 }, true)
	check("index", PANDOC_VERSION[1], 3)
	fails("must_be_at_least", function() PANDOC_VERSION:must_be_at_least("9.0") end, "9%.0")
	check("FORMAT", FORMAT, "tree")
	check("PANDOC_STATE", PANDOC_STATE.input_files[1], "tests/golden/pandoc-utils.md")
	check("PANDOC_READER_OPTIONS", PANDOC_READER_OPTIONS.extensions:includes("pipe_tables"), true)
	check("PANDOC_WRITER_OPTIONS", PANDOC_WRITER_OPTIONS.columns, 72)
	check("PANDOC_SCRIPT_FILE", PANDOC_SCRIPT_FILE:match("pandoc%-utils%.lua$") ~= nil, true)
	-- pandoc.utils
	local u = pandoc.utils
	check("stringify", u.stringify(doc.blocks[2]), "正文 一。")
	check("stringify meta", u.stringify(pandoc.MetaInlines({ pandoc.Emph("甲"), pandoc.Space(), pandoc.Str("乙") })), "甲 乙")
	check("type Inline", u.type(pandoc.Str("x")), "Inline")
	check("type List", u.type(pandoc.List()), "List")
	check("type Attr", u.type(pandoc.Attr()), "Attr")
	check("type string", u.type("x"), "string")
	check("type Version", u.type(PANDOC_VERSION), "Version")
	check("equals", u.equals(pandoc.Para("甲 乙"), pandoc.Para({ pandoc.Str("甲"), pandoc.Space(), pandoc.Str("乙") })), true)
	check("not equals", u.equals(pandoc.Str("a"), pandoc.Str("b")), false)
	check("blocks_to_inlines", u.stringify(u.blocks_to_inlines({ pandoc.Para("甲"), pandoc.Para("乙") })), "甲 ¶ 乙")
	check("blocks_to_inlines sep", #u.blocks_to_inlines({ pandoc.Para("甲"), pandoc.Para("乙") }, { pandoc.LineBreak() }), 3)
	local sections = u.make_sections(true, nil, doc.blocks)
	check("make_sections", sections[1].t .. " " .. sections[1].classes[1] .. " " .. sections[1].identifier, "Div section 第一章")
	check("make_sections number", sections[1].content[3].attributes.number, "1.1")
	check("sha1", u.sha1("galley"), "4bf6a2e55f10293d358a97328ef2038822f8f8fc")
	check("sha1 empty", u.sha1(""), "da39a3ee5e6b4b0d3255bfef95601890afd80709")
	check("sha1 two blocks", u.sha1(string.rep("中", 30)), "c5068ee7b4d56040e1e9b77f6b1f8936cea2779f")
	-- pandoc.text
	check("text.len", pandoc.text.len("中文ab"), 4)
	check("text.sub", pandoc.text.sub("中文ab", 2, 3), "文a")
	check("text.upper", pandoc.text.upper("ab中"), "AB中")
	check("text.reverse", pandoc.text.reverse("中文"), "文中")
	-- pandoc.path
	local p = pandoc.path
	check("path.join", p.join({ "a", "b", "c.md" }), "a/b/c.md")
	check("path.directory", p.directory("a/b/c.md"), "a/b")
	check("path.filename", p.filename("a/b/c.md"), "c.md")
	check("path.split_extension", select(2, p.split_extension("a/b.c.md")), ".md")
	check("path.normalize", p.normalize("a/./b//c"), "a/b/c")
	check("path.is_absolute", p.is_absolute("/x"), true)
	check("path.make_relative", p.make_relative("/a/b/c", "/a"), "b/c")
	check("path.split", #p.split("a/b/c"), 3)
	check("to_roman_numeral", u.to_roman_numeral(2024), "MMXXIV")
	-- pandoc.read and pandoc.write
	local read = pandoc.read("# 标题\n\n*强调* 文字\n")
	check("read", read.blocks[1].t .. " " .. read.blocks[2].content[1].t .. " " .. read.blocks[2].content[2].t, "Header Emph Space")
	check("write plain", pandoc.write(read, "plain"), "标题\n\n强调 文字\n")
	check("write html", pandoc.write(read, "html"), "<h1>标题</h1><p><em>强调</em> 文字</p>")
	fails("write docx", function() pandoc.write(read, "docx") end, "'docx' only as a whole document")
	fails("read docx", function() pandoc.read("x", "docx") end, "galley reads Markdown only")
	-- the sandbox
	check("system.os", pandoc.system.os, "linux")
	fails("system", function() pandoc.system.get_working_directory() end, "not available")
	fails("mediabag", function() pandoc.mediabag.fetch("http://example.com/a.png") end, "not available")
	check("mediabag.list", #pandoc.mediabag.list(), 0)
	fails("pipe", function() pandoc.pipe("ls", {}, "") end, "run no programs")
	check("os.getenv", os.getenv("HOME"), nil)
	check("os.time", type(os.time()), "number")
	fails("os.execute", function() os.execute("true") end, "os%.execute is not available")
	fails("io", function() return io.open("/etc/passwd") end, "io")
	fails("require C", function() require("lpeg") end, "module 'lpeg' not found")
	fails("require ..", function() require("..secret") end, "not found")
	check("require pandoc.List", require("pandoc.List"), pandoc.List)
	doc.blocks:insert(pandoc.Para(passed .. " checks passed"))
	return doc
end
