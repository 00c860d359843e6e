-- pandoc's table model in a pandoc filter (issue 19): head, bodies, colspecs, cells
-- holding blocks; a table made with pandoc.Table; both come back as galley's tables.
local passed = 0
local function check(name, got, want)
	if got ~= want then
		galley.error(name .. ": got " .. tostring(got) .. ", want " .. tostring(want))
	else
		passed = passed + 1
	end
end

local plains = 0
function Plain() plains = plains + 1 end

function Table(t)
	check("head rows", #t.head.rows, 1)
	check("bodies", #t.bodies, 1)
	check("body rows", #t.bodies[1].body, 2)
	check("colspecs", t.colspecs[1][1] .. " " .. t.colspecs[2][1], "AlignLeft AlignRight")
	local cell = t.bodies[1].body[1].cells[2]
	check("cell contents", pandoc.utils.type(cell.contents), "Blocks")
	check("cell Plain", cell.contents[1].t, "Plain")
	check("cell text", pandoc.utils.stringify(cell.contents), "12 台")
	check("caption", pandoc.utils.type(t.caption.long), "Blocks")
	cell.contents = { pandoc.Plain({ pandoc.Strong("十二"), pandoc.Space(), pandoc.Str("台") }) }
	t.classes:insert("checked")
	local made = pandoc.Table(
		{ long = { pandoc.Plain("新表") } },
		{ { "AlignCenter" }, { "AlignDefault" } },
		pandoc.TableHead({ pandoc.Row({ pandoc.Cell("甲"), pandoc.Cell("乙") }) }),
		{ pandoc.TableBody({ pandoc.Row({ pandoc.Cell({ pandoc.Para("一"), pandoc.Para("二") }), pandoc.Cell("丙") }) }) },
		pandoc.TableFoot(),
		pandoc.Attr("made"))
	check("made head", made.head.rows[1].cells[1].contents[1].t, "Plain")
	return { t, made }
end

function Pandoc(doc)
	-- every cell's inlines are a Plain in pandoc's view: 2 + 4 cells, plus the new table's 3 (one cell has two Paras)
	check("Plain in cells", plains, 6)
	doc.blocks:insert(pandoc.Para(passed .. " checks passed"))
	return doc
end
