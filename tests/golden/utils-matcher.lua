-- galley.utils.matcher: each paragraph of the document is searched for the words, and
-- a paragraph is added listing the uses as from-to:word.  Expected, by hand:
--   视频监控系统 beats 视频 and 监控 (starts first, then earlier in the list);
--   5G is a whole word: not in 15G or 5GB, found in "5G," and "用5G";
--   overlapping uses: the first to start wins (监控系统 in 视频监控系统 is inside it).
local words = { "视频监控系统", "监控系统", "视频", "监控", "5G" }
local matcher = galley.utils.matcher(words)
return {
	Doc = function(doc)
		local lines = {}
		for _, b in ipairs(doc.blocks) do
			if b.tag == "Para" then
				local text = galley.utils.stringify(b)
				local uses = {}
				for _, u in ipairs(matcher:find_all(text)) do
					uses[#uses + 1] = u.from .. "-" .. u.to .. ":" .. words[u.index]
					assert(text:sub(u.from, u.to) == words[u.index])
				end
				lines[#lines + 1] = galley.Para(table.concat(uses, " "))
			end
		end
		for _, l in ipairs(lines) do doc.blocks[#doc.blocks + 1] = l end
		local ok, err = pcall(galley.utils.matcher, { "视频", "" })
		doc.blocks[#doc.blocks + 1] = galley.Para(tostring(ok) .. " " .. err)
		return doc
	end,
}
