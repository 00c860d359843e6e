<?xml version="1.0" encoding="UTF-8"?>
<!--
  The "bulletin" style: an association bulletin (会刊, 简报). A masthead
  from the front matter (title, subtitle, issue, publisher, date), a list
  of the issue's articles, level-1 headings as section labels
  (【重要通知】) and level-2 headings as article titles.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="../common/html.xsl"/>

  <xsl:variable name="style-name" select="'bulletin'"/>

  <!-- Brackets put around a section label unless it starts with the
       opening one; empty strings for none. -->
  <xsl:param name="section-open" select="'【'"/>
  <xsl:param name="section-close" select="'】'"/>

  <!-- Masthead (报头). -->
  <xsl:template name="title-block">
    <xsl:variable name="title" select="key('meta', 'title')[1]"/>
    <xsl:variable name="subtitle" select="key('meta', 'subtitle')[1]"/>
    <xsl:variable name="issue">
      <xsl:call-template name="meta-value">
        <xsl:with-param name="name" select="'issue'"/>
        <xsl:with-param name="sep" select="' '"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:variable name="publisher">
      <xsl:call-template name="meta-value">
        <xsl:with-param name="name" select="'publisher'"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:variable name="date" select="key('meta', 'date')[1]"/>
    <xsl:if test="normalize-space($title) != '' or normalize-space($subtitle) != ''
                  or normalize-space($issue) != '' or normalize-space($publisher) != ''
                  or normalize-space($date) != ''">
    <header class="masthead">
      <xsl:if test="normalize-space($title) != ''">
        <h1 class="masthead-title"><xsl:value-of select="$title"/></h1>
      </xsl:if>
      <xsl:if test="normalize-space($subtitle) != ''">
        <p class="masthead-subtitle"><xsl:value-of select="$subtitle"/></p>
      </xsl:if>
      <xsl:if test="normalize-space($issue) != ''">
        <p class="masthead-issue"><xsl:value-of select="$issue"/></p>
      </xsl:if>
      <xsl:if test="normalize-space($publisher) != '' or normalize-space($date) != ''">
        <p class="masthead-info">
          <span class="publisher"><xsl:value-of select="$publisher"/></span>
          <span class="date">
            <xsl:call-template name="zh-date">
              <xsl:with-param name="date" select="$date"/>
            </xsl:call-template>
          </span>
        </p>
      </xsl:if>
    </header>
    </xsl:if>
  </xsl:template>

  <!-- Headings of a section set in columns sit in its div (page-control). -->
  <xsl:template match="body/heading[@level = 1] | body/div[contains(concat(' ', @class), ' columns-')]/heading[@level = 1]"
                mode="class">section</xsl:template>
  <xsl:template match="body/heading[@level = 2] | body/div[contains(concat(' ', @class), ' columns-')]/heading[@level = 2]"
                mode="class">article-title</xsl:template>

  <xsl:template match="body/heading[@level = 1] | body/div[contains(concat(' ', @class), ' columns-')]/heading[@level = 1]"
                mode="heading-content">
    <xsl:choose>
      <xsl:when test="$section-open = ''
                      or starts-with(normalize-space(.), $section-open)">
        <xsl:apply-templates/>
      </xsl:when>
      <xsl:otherwise>
        <span class="section-bracket"><xsl:value-of select="$section-open"/></span>
        <xsl:apply-templates/>
        <span class="section-bracket"><xsl:value-of select="$section-close"/></span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

</xsl:stylesheet>
