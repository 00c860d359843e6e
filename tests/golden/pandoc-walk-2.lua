-- The second filter of pandoc-walk.md: the first one's globals are not here, and
-- global functions of this file alone run (pandoc's form without a return).
function Para(p)
	if shared_global ~= nil then galley.error("a global leaked from pandoc-walk.lua", p) end
	if Str ~= nil then galley.error("a function leaked from pandoc-walk.lua", p) end
end

function Pandoc(doc)
	doc.blocks:insert(pandoc.Para("second filter: " .. tostring(shared_global) .. " " ..
		tostring(rawget(_G, "Pandoc") ~= nil)))
	return doc
end
