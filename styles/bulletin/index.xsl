<?xml version="1.0" encoding="UTF-8"?>
<!--
  The bulletin's index page (`galley index`): the masthead of the newest
  issue, then every issue newest first with its date, sections and links
  to its HTML and PDF.  The document's meta field "issues" lists them
  (title, issue, serial, date, sections, html, pdf); its body is empty.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="html.xsl"/>

  <xsl:param name="index-title" select="'往期会刊'"/>
  <xsl:param name="sections-label" select="'本期栏目：'"/>
  <xsl:param name="read-label" select="'在线阅读'"/>
  <xsl:param name="pdf-label" select="'下载PDF'"/>

  <xsl:template name="document-title">
    <xsl:value-of select="normalize-space(key('meta', 'title')[1])"/>
    <xsl:if test="normalize-space(key('meta', 'title')[1]) != ''">
      <xsl:text>　</xsl:text>
    </xsl:if>
    <xsl:value-of select="$index-title"/>
  </xsl:template>

  <xsl:template name="title-block">
    <header class="masthead">
      <xsl:if test="normalize-space(key('meta', 'title')[1]) != ''">
        <h1 class="masthead-title"><xsl:value-of select="key('meta', 'title')[1]"/></h1>
      </xsl:if>
      <p class="masthead-issue"><xsl:value-of select="$index-title"/></p>
      <xsl:if test="normalize-space(key('meta', 'publisher')[1]) != ''">
        <p class="masthead-info">
          <span class="publisher"><xsl:value-of select="key('meta', 'publisher')[1]"/></span>
        </p>
      </xsl:if>
    </header>
  </xsl:template>

  <xsl:template name="main-start">
    <ol class="issue-list">
      <xsl:apply-templates select="key('meta', 'issues')[1]/item" mode="issue"/>
    </ol>
  </xsl:template>

  <xsl:template match="item" mode="issue">
    <xsl:variable name="issue" select="normalize-space(field[@name = 'issue'])"/>
    <li class="issue">
      <h2 class="issue-title">
        <a href="{field[@name = 'html']}">
          <xsl:value-of select="normalize-space(field[@name = 'title'])"/>
          <xsl:if test="$issue != ''">
            <xsl:text>　</xsl:text>
            <span class="issue-number"><xsl:value-of select="$issue"/></span>
          </xsl:if>
        </a>
      </h2>
      <p class="issue-info">
        <xsl:if test="normalize-space(field[@name = 'serial']) != ''">
          <span class="serial"><xsl:value-of select="field[@name = 'serial']"/></span>
        </xsl:if>
        <xsl:if test="normalize-space(field[@name = 'date']) != ''">
          <time class="date" datetime="{field[@name = 'date']}">
            <xsl:call-template name="chinese-date">
              <xsl:with-param name="date" select="normalize-space(field[@name = 'date'])"/>
            </xsl:call-template>
          </time>
        </xsl:if>
      </p>
      <xsl:if test="field[@name = 'sections']/item">
        <p class="issue-sections">
          <span class="label"><xsl:value-of select="$sections-label"/></span>
          <xsl:for-each select="field[@name = 'sections']/item">
            <xsl:if test="position() > 1">、</xsl:if>
            <xsl:value-of select="."/>
          </xsl:for-each>
        </p>
      </xsl:if>
      <p class="issue-links">
        <a class="read" href="{field[@name = 'html']}"><xsl:value-of select="$read-label"/></a>
        <a class="pdf" href="{field[@name = 'pdf']}"><xsl:value-of select="$pdf-label"/></a>
      </p>
    </li>
  </xsl:template>

  <!-- 2026-09-30 as 2026年9月30日; other dates as written. -->
  <xsl:template name="chinese-date">
    <xsl:param name="date"/>
    <xsl:choose>
      <xsl:when test="string-length($date) = 10 and substring($date, 5, 1) = '-'
                      and substring($date, 8, 1) = '-'
                      and string(number(translate($date, '-', ''))) != 'NaN'">
        <xsl:value-of select="substring($date, 1, 4)"/>年<xsl:value-of
            select="number(substring($date, 6, 2))"/>月<xsl:value-of
            select="number(substring($date, 9, 2))"/>日</xsl:when>
      <xsl:otherwise><xsl:value-of select="$date"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

</xsl:stylesheet>
