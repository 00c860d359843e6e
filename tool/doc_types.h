/*
 * The one table of galley's node types, from which the enum, the XML and Lua
 * names and the filter prelude's tag sets are made, so that a type added here
 * reaches every switch over doc_type (which list every type: -Wswitch then
 * names each place that forgot the new one).
 */
#ifndef GALLEY_DOC_TYPES_H
#define GALLEY_DOC_TYPES_H

/*
 * X(NAME, xml, tag, more, kind, holds), one line per type, in enum order:
 *   NAME  the enum constant is DOC_NAME;
 *   xml   the element name of the XML vocabulary and of the tree dump;
 *   tag   the tag of the filters' element made from it ("" for a part of another
 *         element), and more: the other tags read back as this type, space separated;
 *   kind  BLOCK, INLINE, or PART (a table's row, a list's item: no element of its own);
 *   holds what its children are, for the walks: NONE, INLINES, BLOCKS, ITEMS
 *         (lists of blocks), DEFS (a definition list's items), ROWS (a table's).
 */
#define DOC_TYPES(X) \
	X(DOCUMENT,    "document",   "",               "",             PART,   BLOCKS) \
	X(PARA,        "para",       "Para",           "Plain",        BLOCK,  INLINES) \
	X(HEADING,     "heading",    "Header",         "",             BLOCK,  INLINES) \
	X(BLOCKQUOTE,  "blockquote", "BlockQuote",     "",             BLOCK,  BLOCKS) \
	X(LIST,        "list",       "BulletList",     "OrderedList",  BLOCK,  ITEMS) \
	X(ITEM,        "item",       "",               "",             PART,   BLOCKS) \
	X(CODEBLOCK,   "codeblock",  "CodeBlock",      "",             BLOCK,  NONE) \
	X(RAWBLOCK,    "rawblock",   "RawBlock",       "",             BLOCK,  NONE) \
	X(HR,          "hr",         "HorizontalRule", "",             BLOCK,  NONE) \
	X(TABLE,       "table",      "Table",          "",             BLOCK,  ROWS) \
	X(ROW,         "row",        "",               "",             PART,   NONE) \
	X(CELL,        "cell",       "",               "",             PART,   INLINES) \
	X(FOOTNOTE,    "footnote",   "",               "",             PART,   BLOCKS) \
	X(DIV,         "div",        "Div",            "",             BLOCK,  BLOCKS) \
	X(FIGURE,      "figure",     "Figure",         "",             BLOCK,  BLOCKS) \
	X(CAPTION,     "caption",    "",               "",             PART,   INLINES) \
	X(DEFLIST,     "deflist",    "DefinitionList", "",             BLOCK,  DEFS) \
	X(DEFITEM,     "defitem",    "",               "",             PART,   NONE) \
	X(TERM,        "term",       "",               "",             PART,   INLINES) \
	X(DEFINITION,  "definition", "",               "",             PART,   BLOCKS) \
	X(TEXT,        "text",       "Str",            "Space",        INLINE, NONE) \
	X(EMPH,        "emph",       "Emph",           "",             INLINE, INLINES) \
	X(STRONG,      "strong",     "Strong",         "",             INLINE, INLINES) \
	X(STRIKE,      "strike",     "Strikeout",      "",             INLINE, INLINES) \
	X(SUPERSCRIPT, "sup",        "Superscript",    "",             INLINE, INLINES) \
	X(SUBSCRIPT,   "sub",        "Subscript",      "",             INLINE, INLINES) \
	X(CODE,        "code",       "Code",           "",             INLINE, NONE) \
	X(LINK,        "link",       "Link",           "",             INLINE, INLINES) \
	X(IMAGE,       "image",      "Image",          "",             INLINE, INLINES) \
	X(SOFTBREAK,   "softbreak",  "SoftBreak",      "",             INLINE, NONE) \
	X(LINEBREAK,   "linebreak",  "LineBreak",      "",             INLINE, NONE) \
	X(RAWINLINE,   "rawinline",  "RawInline",      "",             INLINE, NONE) \
	X(NOTEREF,     "noteref",    "Note",           "",             INLINE, BLOCKS) \
	X(SPAN,        "span",       "Span",           "",             INLINE, INLINES)

#endif
