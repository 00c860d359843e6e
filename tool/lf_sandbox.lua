-- The globals and environments filters run in, the end of galley's filter engine's chunk (after
-- lf_prelude.lua and lf_library.lua), which returns the internals table to lf.c.

-- The globals filters share: the two modules and pandoc's (the API of pandoc 3.1.11).
function internals.set_globals(format, source)
	G.pandoc = pandoc
	galley.walk_block, galley.walk_inline = pandoc.walk_block, pandoc.walk_inline

	G.PANDOC_VERSION = pandoc.types.Version("3.1.11")
	G.PANDOC_API_VERSION = pandoc.types.Version("1.23.1")
	G.FORMAT = format
	G.PANDOC_STATE = {
		input_files = setmetatable({ source }, List), output_file = nil,
		log = setmetatable({}, List), request_headers = setmetatable({}, List),
		resource_path = setmetatable({ path.directory(source) }, List),
		source_url = nil, user_data_dir = nil, trace = false, verbosity = "WARNING",
	}
	-- What galley's reader and writers do, in pandoc's terms, for filters that ask.
	G.PANDOC_READER_OPTIONS = {
		extensions = setmetatable({ "pipe_tables", "strikeout", "task_lists", "footnotes",
			"autolink_bare_uris", "header_attributes", "yaml_metadata_block",
			"east_asian_line_breaks" }, List),
		standalone = true, columns = 80, tab_stop = 4, default_image_extension = "",
		indented_code_classes = setmetatable({}, List), abbreviations = setmetatable({}, List),
		track_changes = "accept-changes",
	}
	G.PANDOC_WRITER_OPTIONS = {
		extensions = setmetatable({}, List), columns = 72, wrap_text = "wrap-auto",
		number_sections = false, table_of_contents = false, toc_depth = 3, dpi = 96,
		html_math_method = "plain", variables = {}, section_divs = false, tab_stop = 4,
	}
end

-- A filter's own globals, reading through to the shared ones, and the modules require
-- gives it without a file.
function internals.new_env(script)
	local env = setmetatable({}, { __index = G })
	env._G = env
	env.PANDOC_SCRIPT_FILE = script
	local loaded = {
		pandoc = pandoc, ["pandoc.List"] = pandoc.List, ["pandoc.utils"] = pandoc.utils,
		["pandoc.text"] = pandoc.text, ["pandoc.path"] = pandoc.path,
		["pandoc.system"] = pandoc.system, ["pandoc.mediabag"] = pandoc.mediabag,
		["pandoc.types"] = pandoc.types, text = pandoc.text, galley = galley,
		string = string, table = table, math = math, utf8 = utf8,
	}
	env.package = { loaded = loaded, path = "", cpath = "", preload = {} }
	return env, loaded
end

internals.is_element = is_element
return internals
