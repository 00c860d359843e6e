-- A list of filters whose second item is not a table of functions.
return { { Str = function() end }, "not a filter" }
