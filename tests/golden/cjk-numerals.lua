-- Lists Chinese numerals for counts where they are easy to get wrong.
return {
	Doc = function(doc)
		local cases = { 0, 1, 9, 10, 11, 19, 20, 21, 99, 100, 101, 110, 111, 1000, 1001,
			1010, 1100, 2026, 10000, 10001, 10010, 100010, 1000000, 99999999 }
		local items = {}
		for _, n in ipairs(cases) do
			items[#items + 1] = { galley.Para(n .. " = " .. galley.utils.cjk_number(n)) }
		end
		table.insert(doc.blocks, galley.BulletList(items))
		local letters = {}
		for _, n in ipairs({ 1, 2, 26, 27, 52, 53 }) do letters[#letters + 1] = galley.utils.alpha(n) end
		table.insert(doc.blocks, galley.Para(table.concat(letters, " ")))
		return doc
	end,
}
