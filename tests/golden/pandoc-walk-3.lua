-- The third filter of pandoc-walk.md, returning nothing like the second: it runs its own
-- functions only (the second one's Pandoc, run again, would add a second paragraph).
function Header() end
