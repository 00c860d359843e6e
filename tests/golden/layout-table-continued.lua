-- The table's first body row becomes a second head row: pipe tables have one head row only.
function Table(t)
	t.head.rows:insert(table.remove(t.bodies[1].body, 1))
	return t
end
