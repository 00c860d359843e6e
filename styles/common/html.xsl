<?xml version="1.0" encoding="UTF-8"?>
<!--
  Shared templates of galley's HTML styles: turn the document XML
  described in content/manual/xml.md into one HTML5 page.

  A style imports this file (<xsl:import href="../common/html.xsl"/>) and
  overrides named templates, moded templates or params; see
  styles/README.md for the list of hooks.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:a="urn:galley:attr"
    xmlns:g="urn:galley:xslt"
    extension-element-prefixes="g"
    exclude-result-prefixes="a">

  <xsl:output method="html" encoding="UTF-8" indent="no"/>

  <!-- Elements whose whitespace-only text children carry no meaning. -->
  <xsl:strip-space elements="document meta body footnotes footnote blockquote
                             list item table thead tbody row"/>

  <!-- ===== Parameters ================================================ -->

  <!-- Relative URL of the stylesheet; emitted as <link> when non-empty. -->
  <xsl:param name="css-href" select="''"/>
  <!-- The CSS itself; when non-empty it is inlined in <style> instead of
       the link. -->
  <xsl:param name="css-text" select="''"/>
  <!-- Heading of the footnotes section; empty means none. -->
  <xsl:param name="footnotes-title" select="''"/>
  <!-- Put between the values of a list-valued meta field (authors, …). -->
  <xsl:param name="list-separator" select="'、'"/>

  <!-- ===== Global variables and keys ================================= -->

  <!-- Name of the style; each style sets its own (it becomes a class of
       <body>). -->
  <xsl:variable name="style-name" select="string(/*/@style)"/>

  <xsl:variable name="upper" select="'ABCDEFGHIJKLMNOPQRSTUVWXYZ'"/>
  <xsl:variable name="lower" select="'abcdefghijklmnopqrstuvwxyz'"/>

  <!-- Language of the page: /document/@lang, else zh-CN. -->
  <xsl:variable name="lang">
    <xsl:choose>
      <xsl:when test="normalize-space(/*/@lang) != ''">
        <xsl:value-of select="normalize-space(/*/@lang)"/>
      </xsl:when>
      <xsl:otherwise>zh-CN</xsl:otherwise>
    </xsl:choose>
  </xsl:variable>
  <xsl:variable name="is-zh"
      select="translate(substring($lang, 1, 2), $upper, $lower) = 'zh'"/>

  <!-- Top-level meta fields by name: key('meta', 'title'). -->
  <xsl:key name="meta" match="document/meta/field" use="@name"/>
  <!-- Footnote references by the id of their footnote. -->
  <xsl:key name="noteref" match="noteref" use="@ref"/>
  <xsl:key name="footnote" match="document/footnotes/footnote" use="@id"/>

  <!-- ===== Page ====================================================== -->

  <xsl:template match="/">
    <!-- The html output method prints no doctype without doctype-system;
         write the HTML5 one ourselves. -->
    <xsl:text disable-output-escaping="yes">&lt;!DOCTYPE html&gt;&#10;</xsl:text>
    <xsl:apply-templates select="*" mode="page"/>
  </xsl:template>

  <xsl:template match="/*" mode="page">
    <xsl:if test="self::document and @version != '1'">
      <xsl:message>galley html.xsl: document version <xsl:value-of
          select="@version"/>, this stylesheet reads version 1</xsl:message>
    </xsl:if>
    <html lang="{$lang}">
      <head>
        <xsl:call-template name="head"/>
      </head>
      <body>
        <xsl:variable name="class">
          <xsl:call-template name="body-class"/>
        </xsl:variable>
        <xsl:if test="normalize-space($class) != ''">
          <xsl:attribute name="class">
            <xsl:value-of select="normalize-space($class)"/>
          </xsl:attribute>
        </xsl:if>
        <xsl:call-template name="title-block"/>
        <xsl:call-template name="before-main"/>
        <main>
          <xsl:call-template name="main-start"/>
          <xsl:apply-templates select="body"/>
          <xsl:call-template name="after-body"/>
        </main>
        <xsl:apply-templates select="footnotes"/>
        <xsl:call-template name="page-end"/>
      </body>
    </html>
  </xsl:template>

  <!-- Classes of <body>: "galley", the style name, "draft" when meta
       draft is true. -->
  <xsl:template name="body-class">
    <xsl:text>galley</xsl:text>
    <xsl:if test="normalize-space($style-name) != ''">
      <xsl:text> style-</xsl:text>
      <xsl:value-of select="normalize-space($style-name)"/>
    </xsl:if>
    <xsl:if test="key('meta', 'draft')[1] = 'true'">
      <xsl:text> draft</xsl:text>
    </xsl:if>
  </xsl:template>

  <!-- Hooks, empty by default. before-main: between the title block and
       <main>; main-start: first thing in <main>; after-body: last thing in
       <main>; page-end: after the footnotes. -->
  <xsl:template name="before-main"/>
  <xsl:template name="main-start"/>
  <xsl:template name="after-body"/>
  <xsl:template name="page-end"/>

  <!-- ===== Head ====================================================== -->

  <xsl:template name="head">
    <meta charset="utf-8"/>
    <meta name="viewport" content="width=device-width, initial-scale=1"/>
    <title><xsl:call-template name="document-title"/></title>
    <meta name="generator" content="galley"/>
    <xsl:call-template name="head-meta"/>
    <xsl:call-template name="css"/>
    <xsl:call-template name="head-extra"/>
  </xsl:template>

  <!-- Extra elements at the end of <head>; empty by default. -->
  <xsl:template name="head-extra"/>

  <!-- author, description and keywords from the front matter. -->
  <xsl:template name="head-meta">
    <xsl:variable name="authors">
      <xsl:for-each select="key('meta', 'author') | key('meta', 'authors')">
        <xsl:if test="position() != 1">
          <xsl:value-of select="$list-separator"/>
        </xsl:if>
        <xsl:apply-templates select="." mode="meta-value"/>
      </xsl:for-each>
    </xsl:variable>
    <xsl:if test="normalize-space($authors) != ''">
      <meta name="author" content="{normalize-space($authors)}"/>
    </xsl:if>
    <xsl:variable name="description">
      <xsl:call-template name="meta-value">
        <xsl:with-param name="name" select="'description'"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:if test="normalize-space($description) != ''">
      <meta name="description" content="{normalize-space($description)}"/>
    </xsl:if>
    <xsl:variable name="keywords">
      <xsl:call-template name="meta-value">
        <xsl:with-param name="name" select="'keywords'"/>
        <xsl:with-param name="sep" select="', '"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:if test="normalize-space($keywords) != ''">
      <meta name="keywords" content="{normalize-space($keywords)}"/>
    </xsl:if>
  </xsl:template>

  <!-- The stylesheet: inline when css-text is set, else a link. -->
  <xsl:template name="css">
    <xsl:choose>
      <xsl:when test="string($css-text) != ''">
        <style>
          <xsl:call-template name="css-guard">
            <xsl:with-param name="text" select="string($css-text)"/>
          </xsl:call-template>
        </style>
      </xsl:when>
      <xsl:when test="string($css-href) != ''">
        <link rel="stylesheet" href="{$css-href}"/>
      </xsl:when>
    </xsl:choose>
  </xsl:template>

  <!-- Copy CSS unescaped, writing "</" as "<\/" (the same thing in CSS)
       so that the text can never close the <style> element. -->
  <xsl:template name="css-guard">
    <xsl:param name="text"/>
    <xsl:choose>
      <xsl:when test="contains($text, '&lt;/')">
        <xsl:value-of select="substring-before($text, '&lt;/')"
            disable-output-escaping="yes"/>
        <xsl:text disable-output-escaping="yes">&lt;\/</xsl:text>
        <xsl:call-template name="css-guard">
          <xsl:with-param name="text" select="substring-after($text, '&lt;/')"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="$text" disable-output-escaping="yes"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Text of <title>: meta title, else the source file name without
       directory and .md extension. -->
  <xsl:template name="document-title">
    <xsl:variable name="title">
      <xsl:call-template name="meta-value">
        <xsl:with-param name="name" select="'title'"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:variable name="file">
      <xsl:call-template name="basename">
        <xsl:with-param name="path" select="string(/*/@source)"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="normalize-space($title) != ''">
        <xsl:value-of select="normalize-space($title)"/>
      </xsl:when>
      <xsl:when test="normalize-space($file) != ''">
        <xsl:value-of select="normalize-space($file)"/>
      </xsl:when>
      <xsl:otherwise>galley</xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="basename">
    <xsl:param name="path"/>
    <xsl:variable name="len" select="string-length($path)"/>
    <xsl:choose>
      <xsl:when test="contains($path, '/')">
        <xsl:call-template name="basename">
          <xsl:with-param name="path" select="substring-after($path, '/')"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:when test="contains($path, '\')">
        <xsl:call-template name="basename">
          <xsl:with-param name="path" select="substring-after($path, '\')"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:when test="$len &gt; 3 and substring($path, $len - 2) = '.md'">
        <xsl:value-of select="substring($path, 1, $len - 3)"/>
      </xsl:when>
      <xsl:when test="$len &gt; 9 and substring($path, $len - 8) = '.markdown'">
        <xsl:value-of select="substring($path, 1, $len - 9)"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="$path"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ===== Meta values =============================================== -->

  <!-- Text of the top-level meta field $name: a scalar as is, a list or
       map as its values joined with $sep; nothing when absent. -->
  <xsl:template name="meta-value">
    <xsl:param name="name"/>
    <xsl:param name="sep" select="$list-separator"/>
    <xsl:apply-templates select="key('meta', $name)[1]" mode="meta-value">
      <xsl:with-param name="sep" select="$sep"/>
    </xsl:apply-templates>
  </xsl:template>

  <xsl:template match="field | item" mode="meta-value">
    <xsl:param name="sep" select="$list-separator"/>
    <xsl:choose>
      <xsl:when test="@type = 'list' or @type = 'map'">
        <xsl:for-each select="field | item">
          <xsl:if test="position() != 1">
            <xsl:value-of select="$sep"/>
          </xsl:if>
          <xsl:apply-templates select="." mode="meta-value">
            <xsl:with-param name="sep" select="$sep"/>
          </xsl:apply-templates>
        </xsl:for-each>
      </xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="."/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ===== Title block =============================================== -->

  <!-- Default title block: title, subtitle, author(s), date. Styles
       replace it by defining a template with the same name. -->
  <xsl:template name="title-block">
    <xsl:variable name="title" select="key('meta', 'title')[1]"/>
    <xsl:variable name="subtitle" select="key('meta', 'subtitle')[1]"/>
    <xsl:variable name="date" select="key('meta', 'date')[1]"/>
    <xsl:variable name="author-fields"
        select="key('meta', 'author') | key('meta', 'authors')"/>
    <xsl:variable name="authors"
        select="$author-fields/item[normalize-space(.) != '']
                | $author-fields[not(item)][normalize-space(.) != '']"/>
    <xsl:if test="(normalize-space($title) != '' or normalize-space($subtitle) != ''
                   or $authors or normalize-space($date) != '')
                  and normalize-space(key('meta', 'title-block')[1]) != 'false'">
      <header class="title-block">
        <xsl:if test="normalize-space($title) != ''">
          <h1 class="title"><xsl:value-of select="$title"/></h1>
        </xsl:if>
        <xsl:if test="normalize-space($subtitle) != ''">
          <p class="subtitle"><xsl:value-of select="$subtitle"/></p>
        </xsl:if>
        <xsl:if test="$authors">
          <p class="authors">
            <xsl:for-each select="$authors">
              <xsl:if test="position() != 1">
                <xsl:value-of select="$list-separator"/>
              </xsl:if>
              <span class="author"><xsl:value-of select="."/></span>
            </xsl:for-each>
          </p>
        </xsl:if>
        <xsl:if test="normalize-space($date) != ''">
          <p class="date">
            <xsl:call-template name="zh-date">
              <xsl:with-param name="date" select="$date"/>
            </xsl:call-template>
          </p>
        </xsl:if>
      </header>
    </xsl:if>
  </xsl:template>

  <!-- A date written 2024-04-25 as Chinese print writes it, 2024年4月25日
       (the PDF does the same); other text as it is. -->
  <xsl:template name="zh-date">
    <xsl:param name="date"/>
    <xsl:variable name="d" select="normalize-space($date)"/>
    <xsl:choose>
      <xsl:when test="string-length($d) = 10 and substring($d, 5, 1) = '-'
                      and substring($d, 8, 1) = '-'
                      and translate($d, '0123456789', '') = '--'
                      and number(substring($d, 6, 2)) &gt;= 1
                      and number(substring($d, 6, 2)) &lt;= 12
                      and number(substring($d, 9, 2)) &gt;= 1
                      and number(substring($d, 9, 2)) &lt;= 31">
        <xsl:value-of select="concat(number(substring($d, 1, 4)), '年',
                              number(substring($d, 6, 2)), '月',
                              number(substring($d, 9, 2)), '日')"/>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$date"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ===== Contents lists ============================================ -->

  <!-- toc.lua's Div {.toc}: a nav of links to the headings (the page
       numbers, Span {.page-ref}, are for paper). -->
  <xsl:template match="div" mode="toc">
    <nav>
      <xsl:call-template name="attrs"/>
      <xsl:apply-templates/>
    </nav>
  </xsl:template>

  <xsl:template match="div[contains(concat(' ', @class, ' '), ' toc ')]/heading">
    <h2>
      <xsl:call-template name="attrs"/>
      <xsl:apply-templates/>
    </h2>
  </xsl:template>

  <xsl:template match="div" mode="toc-entry">
    <div class="toc-entry toc-level-{@a:level}">
      <xsl:apply-templates select="para/node()"/>
    </div>
  </xsl:template>

  <xsl:template match="div" mode="toc-group">
    <div class="toc-group">
      <xsl:apply-templates select="para/node()"/>
    </div>
  </xsl:template>

  <!-- id of a heading: its own (every heading has one after the filters). -->
  <xsl:template name="heading-id">
    <xsl:value-of select="@id"/>
  </xsl:template>

  <!-- ===== Attributes ================================================ -->

  <!-- Attributes every element carries over: id (the context's, or
       $id), class (extra $class, classes from mode "class", then the
       element's own) and user attributes. Call it right after opening
       the HTML element. -->
  <xsl:template name="attrs">
    <xsl:param name="id" select="@id"/>
    <xsl:param name="class"/>
    <!-- galley does what the fallback does in C (g:attrs, tool/xml.c), at a
         third of the cost: called for nearly every element, the XSLT took
         half of the transformation.  The fallback is for other XSLT
         processors (xsltproc). -->
    <g:attrs>
      <xsl:fallback>
        <xsl:variable name="computed">
          <xsl:apply-templates select="." mode="class"/>
        </xsl:variable>
        <xsl:variable name="classes"
            select="normalize-space(concat($class, ' ', $computed, ' ', @class))"/>
        <xsl:if test="normalize-space($id) != ''">
          <xsl:attribute name="id"><xsl:value-of select="$id"/></xsl:attribute>
        </xsl:if>
        <xsl:if test="$classes != ''">
          <xsl:attribute name="class"><xsl:value-of select="$classes"/></xsl:attribute>
        </xsl:if>
        <xsl:apply-templates select="@a:*" mode="user-attr"/>
      </xsl:fallback>
    </g:attrs>
  </xsl:template>

  <!-- Extra classes of an element, as text; none by default.  Conditions
       go inside the template, not into a predicate of the match: libxslt
       counts all siblings for a predicate in a pattern whenever the element
       before had another parent, which made long documents quadratic. -->
  <xsl:template match="*" mode="class"/>
  <xsl:template match="para" mode="class">
    <xsl:if test="image and count(*) = 1 and not(text()[normalize-space()])">figure</xsl:if>
  </xsl:template>
  <!-- A link that shows its own address: the CSS lets it break anywhere, or a whole
       address moved to the next line leaves the justified line before it full of gaps. -->
  <xsl:template match="link" mode="class">
    <xsl:if test="string(.) = @href or concat('mailto:', string(.)) = @href">url</xsl:if>
  </xsl:template>

  <!-- User attribute key=value becomes data-key="value" (lower-cased:
       HTML data-* names have no capitals); a data-key keeps its name. -->
  <xsl:template match="@a:*" mode="user-attr">
    <xsl:variable name="key" select="translate(local-name(), $upper, $lower)"/>
    <xsl:attribute name="{concat(substring('data-', 1, 5 * not(starts-with($key, 'data-'))), $key)}">
      <xsl:value-of select="."/>
    </xsl:attribute>
  </xsl:template>

  <!-- An image's size is its style (template image), not data. -->
  <xsl:template match="image/@a:width | image/@a:height" mode="user-attr"/>

  <!-- lang=… is also the element's language. -->
  <xsl:template match="@a:lang" mode="user-attr">
    <xsl:attribute name="lang"><xsl:value-of select="."/></xsl:attribute>
    <xsl:attribute name="data-lang"><xsl:value-of select="."/></xsl:attribute>
  </xsl:template>

  <!-- ===== Blocks ==================================================== -->

  <xsl:template match="body">
    <xsl:apply-templates/>
  </xsl:template>

  <xsl:template match="para">
    <xsl:choose>
      <!-- Tight list items and definitions hold their text without <p>. -->
      <xsl:when test="parent::item/parent::list[@tight = 'true'] or
                      parent::definition/parent::defitem[@tight = 'true']">
        <xsl:call-template name="task-checkbox"/>
        <xsl:apply-templates/>
      </xsl:when>
      <xsl:otherwise>
        <p>
          <xsl:call-template name="attrs"/>
          <xsl:call-template name="task-checkbox"/>
          <xsl:apply-templates/>
          <xsl:if test="parent::footnote and not(following-sibling::*)">
            <xsl:for-each select="parent::footnote">
              <xsl:call-template name="footnote-backlinks"/>
            </xsl:for-each>
          </xsl:if>
        </p>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="heading">
    <!-- The level clamped to 1-6 in one expression, not a variable with content
         (a result tree fragment cost as much as the rest of the heading): the
         digits of 123456 up to the level, or none (then 1) when it is below 1
         or not a number. -->
    <xsl:variable name="digits"
        select="string-length(substring('123456', 1, floor(number(@level))))"/>
    <xsl:variable name="id">
      <xsl:call-template name="heading-id"/>
    </xsl:variable>
    <xsl:element name="h{$digits + ($digits = 0)}">
      <xsl:call-template name="attrs">
        <xsl:with-param name="id" select="$id"/>
      </xsl:call-template>
      <xsl:apply-templates select="." mode="heading-content"/>
    </xsl:element>
  </xsl:template>

  <!-- What goes inside <hN>: the number a filter gave it, then the text. -->
  <xsl:template match="heading" mode="heading-content">
    <xsl:call-template name="number-label"/>
    <xsl:apply-templates/>
  </xsl:template>

  <!-- A term entry (GB/T 1.1, class term): its number on a line of its own
       above "term　English". -->
  <xsl:template match="heading[contains(concat(' ', @class, ' '), ' term ')]"
                mode="heading-content">
    <xsl:if test="string(@a:number) != ''">
      <span class="number"><xsl:value-of select="@a:number"/></span>
      <br/>
    </xsl:if>
    <xsl:apply-templates/>
  </xsl:template>

  <!-- The number filters put in a:number ("5.2", "一、", "附录A", "表1"),
       with an annex's kind, and the separator before the title: an
       ideographic space, none after a number that ends in its own
       punctuation (一、 1. （一）). -->
  <xsl:template name="number-label">
    <xsl:variable name="number" select="string(@a:number)"/>
    <xsl:if test="$number != ''">
      <span class="number"><xsl:value-of select="$number"/></span>
      <xsl:if test="string(@a:annex-type) != ''">
        <span class="annex-type">（<xsl:value-of select="@a:annex-type"/>）</span>
      </xsl:if>
      <xsl:variable name="last" select="substring($number, string-length($number))"/>
      <xsl:if test="not(contains('、.．）)', $last)) and (node() or following-sibling::node())">
        <xsl:text>&#x3000;</xsl:text>
      </xsl:if>
    </xsl:if>
  </xsl:template>

  <xsl:template match="blockquote">
    <blockquote>
      <xsl:call-template name="attrs"/>
      <xsl:apply-templates/>
    </blockquote>
  </xsl:template>

  <xsl:template match="list">
    <xsl:variable name="task">
      <xsl:if test="item[@task]">task-list</xsl:if>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="@type = 'ordered'">
        <ol>
          <xsl:call-template name="attrs">
            <xsl:with-param name="class">
              <xsl:if test="@delim = 'paren'">paren </xsl:if>
              <xsl:if test="@delim = 'parens'">parens </xsl:if>
              <xsl:choose>
                <xsl:when test="@style = 'LowerAlpha'">lower-alpha </xsl:when>
                <xsl:when test="@style = 'UpperAlpha'">upper-alpha </xsl:when>
                <xsl:when test="@style = 'LowerRoman'">lower-roman </xsl:when>
                <xsl:when test="@style = 'UpperRoman'">upper-roman </xsl:when>
                <xsl:when test="@style = 'CJKDecimal'">cjk-decimal </xsl:when>
              </xsl:choose>
              <xsl:value-of select="$task"/>
            </xsl:with-param>
          </xsl:call-template>
          <xsl:if test="string(@start) != '' and number(@start) != 1">
            <xsl:attribute name="start"><xsl:value-of select="@start"/></xsl:attribute>
          </xsl:if>
          <xsl:apply-templates/>
        </ol>
      </xsl:when>
      <xsl:otherwise>
        <ul>
          <xsl:call-template name="attrs">
            <xsl:with-param name="class" select="string($task)"/>
          </xsl:call-template>
          <xsl:apply-templates/>
        </ul>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="list/item">
    <li>
      <xsl:call-template name="attrs">
        <xsl:with-param name="class">
          <xsl:if test="@task">task-list-item</xsl:if>
        </xsl:with-param>
      </xsl:call-template>
      <!-- The checkbox goes into the first paragraph when there is one. -->
      <xsl:if test="@task and not(*[1][self::para])">
        <xsl:call-template name="checkbox"/>
      </xsl:if>
      <xsl:apply-templates/>
    </li>
  </xsl:template>

  <!-- Checkbox of a task item, when the context para opens one. -->
  <xsl:template name="task-checkbox">
    <xsl:if test="parent::item[@task] and not(preceding-sibling::*)">
      <xsl:for-each select="parent::item">
        <xsl:call-template name="checkbox"/>
      </xsl:for-each>
    </xsl:if>
  </xsl:template>

  <xsl:template name="checkbox">
    <input type="checkbox" disabled="disabled">
      <xsl:if test="@task = 'checked'">
        <xsl:attribute name="checked">checked</xsl:attribute>
      </xsl:if>
    </input>
  </xsl:template>

  <!-- pandoc's definition lists: a loose one's definitions keep their <p>. -->
  <xsl:template match="deflist">
    <dl>
      <xsl:call-template name="attrs"/>
      <xsl:apply-templates select="defitem/*"/>
    </dl>
  </xsl:template>

  <xsl:template match="term">
    <dt><xsl:apply-templates/></dt>
  </xsl:template>

  <xsl:template match="definition">
    <dd><xsl:apply-templates/></dd>
  </xsl:template>

  <xsl:template match="codeblock">
    <pre>
      <xsl:call-template name="attrs"/>
      <code>
        <xsl:if test="normalize-space(@lang) != ''">
          <xsl:attribute name="class">
            <xsl:value-of select="concat('language-', normalize-space(@lang))"/>
          </xsl:attribute>
        </xsl:if>
        <xsl:value-of select="."/>
      </code>
    </pre>
  </xsl:template>

  <!-- Raw HTML: the C side puts it in the XML only when it is allowed. -->
  <xsl:template match="rawblock | rawinline">
    <xsl:if test="not(@format) or @format = 'html'">
      <xsl:value-of select="." disable-output-escaping="yes"/>
    </xsl:if>
  </xsl:template>

  <xsl:template match="hr">
    <hr>
      <xsl:call-template name="attrs"/>
    </hr>
  </xsl:template>

  <!-- Tables sit in a wrapper that scrolls when the table is too wide. -->
  <xsl:template match="table">
    <div class="table-wrap">
      <table>
        <xsl:call-template name="attrs"/>
        <xsl:apply-templates select="*[not(self::colspec)]"/>
        <!-- The notes after a table sit inside its frame, in a last row. -->
        <xsl:variable name="columns" select="count(colspec)"/>
        <!-- One predicate per step: libxml2 walks every sibling for
             "*[1][self::div]", which made long documents quadratic. -->
        <xsl:variable name="next" select="following-sibling::*[1]"/>
        <xsl:for-each select="$next[self::div and contains(concat(' ', @class, ' '), ' table-notes ')]">
          <tfoot>
            <tr>
              <td class="table-notes" colspan="{$columns}">
                <xsl:apply-templates/>
              </td>
            </tr>
          </tfoot>
        </xsl:for-each>
      </table>
    </div>
  </xsl:template>

  <!-- A table's caption (above it) and a figure's (below it), with the number. -->
  <xsl:template match="table/caption">
    <caption>
      <xsl:for-each select="..">
        <xsl:call-template name="number-label"/>
      </xsl:for-each>
      <xsl:apply-templates/>
    </caption>
  </xsl:template>

  <xsl:template match="figure">
    <figure>
      <xsl:call-template name="attrs"/>
      <xsl:apply-templates select="*[not(self::caption)]"/>
      <xsl:if test="caption or @a:number">
        <figcaption>
          <xsl:call-template name="number-label"/>
          <xsl:apply-templates select="caption/node()"/>
        </figcaption>
      </xsl:if>
    </figure>
  </xsl:template>

  <!-- A table's footnotes (crossref.lua): the mark raised, then the text. -->
  <xsl:template match="span[contains(concat(' ', @class, ' '), ' table-fnref ')]">
    <sup class="table-fnref"><xsl:apply-templates/></sup>
  </xsl:template>

  <xsl:template match="div" mode="table-footnote">
    <p class="table-footnote">
      <sup><xsl:value-of select="@a:mark"/></sup>
      <xsl:text> </xsl:text>
      <xsl:for-each select="para">
        <xsl:if test="position() != 1"><xsl:text> </xsl:text></xsl:if>
        <xsl:apply-templates/>
      </xsl:for-each>
    </p>
  </xsl:template>

  <xsl:template match="span[contains(concat(' ', @class, ' '), ' sup ')]">
    <sup><xsl:call-template name="attrs"/><xsl:apply-templates/></sup>
  </xsl:template>

  <!-- Set inside the table before it, when there is one. -->
  <xsl:template match="div" mode="table-notes">
    <xsl:variable name="before" select="preceding-sibling::*[1]"/>
    <xsl:if test="not($before/self::table)">
      <xsl:call-template name="div"/>
    </xsl:if>
  </xsl:template>

  <!-- A Div by its class.  The classes are tested here, not in predicates of
       match patterns: libxslt counts all siblings for such a predicate whenever
       the element before had another parent (see mode "class"). -->
  <xsl:template match="div">
    <xsl:variable name="class" select="concat(' ', normalize-space(@class), ' ')"/>
    <xsl:choose>
      <xsl:when test="contains($class, ' toc ')">
        <xsl:apply-templates select="." mode="toc"/>
      </xsl:when>
      <xsl:when test="contains($class, ' toc-entry ')">
        <xsl:apply-templates select="." mode="toc-entry"/>
      </xsl:when>
      <xsl:when test="contains($class, ' toc-group ')">
        <xsl:apply-templates select="." mode="toc-group"/>
      </xsl:when>
      <xsl:when test="contains($class, ' table-notes ')">
        <xsl:apply-templates select="." mode="table-notes"/>
      </xsl:when>
      <xsl:when test="contains($class, ' table-footnote ')">
        <xsl:apply-templates select="." mode="table-footnote"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="div"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="div">
    <div>
      <xsl:call-template name="attrs"/>
      <xsl:apply-templates/>
    </div>
  </xsl:template>

  <!-- A page number only the PDF knows (the index's, term-index.lua): nothing in HTML. -->
  <xsl:template match="span[contains(concat(' ', @class, ' '), ' page-ref ')]"/>

  <xsl:template match="span">
    <span>
      <xsl:call-template name="attrs"/>
      <xsl:apply-templates/>
    </span>
  </xsl:template>

  <xsl:template match="table/thead">
    <thead><xsl:apply-templates/></thead>
  </xsl:template>

  <xsl:template match="table/tbody">
    <tbody><xsl:apply-templates/></tbody>
  </xsl:template>

  <xsl:template match="row">
    <tr>
      <xsl:call-template name="attrs"/>
      <xsl:apply-templates/>
    </tr>
  </xsl:template>

  <xsl:template match="cell">
    <!-- A cell's own align is its column's (xml.c copies it onto every cell of
         a column that has one), so the colspecs are not looked up here: that
         lookup and the variable with content it needed cost more than the
         rest of the cell (14 M instructions for 884 cells). -->
    <xsl:variable name="align" select="string(@align)"/>
    <xsl:variable name="name">
      <xsl:choose>
        <xsl:when test="parent::row/parent::thead">th</xsl:when>
        <xsl:otherwise>td</xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:element name="{$name}">
      <xsl:call-template name="attrs"/>
      <xsl:if test="$align = 'left' or $align = 'center' or $align = 'right'">
        <xsl:attribute name="style">
          <xsl:value-of select="concat('text-align: ', $align)"/>
        </xsl:attribute>
      </xsl:if>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <!-- ===== Inlines =================================================== -->

  <xsl:template match="emph">
    <em><xsl:call-template name="attrs"/><xsl:apply-templates/></em>
  </xsl:template>

  <xsl:template match="strong">
    <strong><xsl:call-template name="attrs"/><xsl:apply-templates/></strong>
  </xsl:template>

  <xsl:template match="strike">
    <del><xsl:call-template name="attrs"/><xsl:apply-templates/></del>
  </xsl:template>

  <xsl:template match="sup">
    <sup><xsl:call-template name="attrs"/><xsl:apply-templates/></sup>
  </xsl:template>

  <xsl:template match="sub">
    <sub><xsl:call-template name="attrs"/><xsl:apply-templates/></sub>
  </xsl:template>

  <xsl:template match="code">
    <code><xsl:call-template name="attrs"/><xsl:value-of select="."/></code>
  </xsl:template>

  <!-- An emptied (unsafe) href gives an <a> without href. -->
  <xsl:template match="link">
    <a>
      <xsl:if test="string(@href) != ''">
        <xsl:attribute name="href"><xsl:value-of select="@href"/></xsl:attribute>
      </xsl:if>
      <xsl:if test="string(@title) != ''">
        <xsl:attribute name="title"><xsl:value-of select="@title"/></xsl:attribute>
      </xsl:if>
      <xsl:call-template name="attrs"/>
      <xsl:apply-templates/>
    </a>
  </xsl:template>

  <!-- An image whose src was emptied (unsafe URL) keeps its alt text in a
       <span>: an <img> without src is invalid HTML. -->
  <xsl:template match="image">
    <xsl:variable name="alt">
      <xsl:apply-templates mode="plain"/>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="string(@src) != ''">
        <img src="{@src}" alt="{normalize-space($alt)}">
          <xsl:if test="string(@title) != ''">
            <xsl:attribute name="title"><xsl:value-of select="@title"/></xsl:attribute>
          </xsl:if>
          <xsl:call-template name="attrs"/>
          <!-- {width=50%} and {height=3cm}, as pandoc writes them -->
          <xsl:if test="@a:width or @a:height">
            <xsl:attribute name="style">
              <xsl:if test="@a:width">width: <xsl:value-of select="@a:width"/>;</xsl:if>
              <xsl:if test="@a:width and @a:height"><xsl:text> </xsl:text></xsl:if>
              <xsl:if test="@a:height">height: <xsl:value-of select="@a:height"/>;</xsl:if>
            </xsl:attribute>
          </xsl:if>
        </img>
      </xsl:when>
      <xsl:otherwise>
        <span>
          <xsl:call-template name="attrs">
            <xsl:with-param name="class" select="'image-removed'"/>
          </xsl:call-template>
          <xsl:value-of select="normalize-space($alt)"/>
        </span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="softbreak">
    <xsl:text>&#10;</xsl:text>
  </xsl:template>

  <xsl:template match="linebreak">
    <br/>
  </xsl:template>

  <!-- The first reference to footnote N gets id fnref-N, the K-th one
       (K > 1) fnref-N-K. -->
  <xsl:template match="noteref">
    <xsl:variable name="n">
      <xsl:call-template name="noteref-number"/>
    </xsl:variable>
    <sup class="footnote-ref">
      <a href="#{@ref}">
        <xsl:attribute name="id">
          <xsl:call-template name="noteref-id"/>
        </xsl:attribute>
        <xsl:value-of select="$n"/>
      </a>
    </sup>
  </xsl:template>

  <xsl:template name="noteref-number">
    <xsl:choose>
      <xsl:when test="string(@n) != ''">
        <xsl:value-of select="@n"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="key('footnote', @ref)/@n"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="noteref-id">
    <xsl:variable name="me" select="generate-id()"/>
    <xsl:variable name="k">
      <xsl:for-each select="key('noteref', @ref)">
        <xsl:if test="generate-id() = $me">
          <xsl:value-of select="position()"/>
        </xsl:if>
      </xsl:for-each>
    </xsl:variable>
    <xsl:text>fnref-</xsl:text>
    <xsl:call-template name="noteref-number"/>
    <xsl:if test="$k != '1'">
      <xsl:value-of select="concat('-', $k)"/>
    </xsl:if>
  </xsl:template>

  <!-- ===== Footnotes ================================================= -->

  <xsl:template match="footnotes">
    <section class="footnotes">
      <xsl:if test="normalize-space($footnotes-title) != ''">
        <h2 class="footnotes-title"><xsl:value-of select="$footnotes-title"/></h2>
      </xsl:if>
      <ol>
        <xsl:apply-templates select="footnote">
          <xsl:sort select="@n" data-type="number"/>
        </xsl:apply-templates>
      </ol>
    </section>
  </xsl:template>

  <xsl:template match="footnote">
    <li>
      <xsl:call-template name="attrs"/>
      <xsl:apply-templates/>
      <!-- The back-links go into a last paragraph, else after the notes. -->
      <xsl:if test="not(*[last()][self::para])">
        <xsl:call-template name="footnote-backlinks"/>
      </xsl:if>
    </li>
  </xsl:template>

  <!-- One ↩ per reference to the context footnote. -->
  <xsl:template name="footnote-backlinks">
    <xsl:variable name="label">
      <xsl:choose>
        <xsl:when test="$is-zh">返回正文</xsl:when>
        <xsl:otherwise>Back to text</xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:for-each select="key('noteref', @id)">
      <a class="footnote-back" aria-label="{$label}">
        <xsl:attribute name="href">
          <xsl:text>#</xsl:text>
          <xsl:call-template name="noteref-id"/>
        </xsl:attribute>
        <!-- U+21A9 and VS15 (text, not emoji, presentation). -->
        <xsl:text>&#x21A9;&#xFE0E;</xsl:text>
        <xsl:if test="position() &gt; 1">
          <sup><xsl:value-of select="position()"/></sup>
        </xsl:if>
      </a>
    </xsl:for-each>
  </xsl:template>

  <!-- ===== Plain text (alt texts, table of contents) ================= -->

  <xsl:template match="softbreak | linebreak" mode="plain">
    <xsl:text> </xsl:text>
  </xsl:template>
  <xsl:template match="noteref | rawinline" mode="plain"/>

  <!-- ===== Unknown elements ========================================== -->

  <!-- An element this stylesheet does not know keeps its content, in a
       <div> where a block is expected and a <span> elsewhere. -->
  <xsl:template match="*">
    <xsl:choose>
      <xsl:when test="parent::body or parent::blockquote or parent::item
                      or parent::footnote">
        <div data-galley-element="{local-name()}">
          <xsl:call-template name="attrs"/>
          <xsl:apply-templates/>
        </div>
      </xsl:when>
      <xsl:otherwise>
        <span data-galley-element="{local-name()}">
          <xsl:call-template name="attrs"/>
          <xsl:apply-templates/>
        </span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

</xsl:stylesheet>
