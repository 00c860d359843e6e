<?xml version="1.0" encoding="UTF-8"?>
<!--
  The comment form (意见汇总表) of a standard draft, written by
  galley build with its comments-form option as NAME.comments.html: a printable table
  with a row for every clause, for commenters to fill in. galley writes the
  same table's cells as NAME.comments.csv, so the rows are chosen here only.
  Rows: 前言, 引言 and 参考文献 (titles GB/T 1.1 does not number), then every
  heading with a number in document order: chapters, clauses, term entries
  (3.1: definitions draw comments too), annexes (附录A) and their clauses.
  The 目次 and the 索引 (the heading before a div.index) are left out:
  they are made from the rest.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:a="urn:galley:attr"
    exclude-result-prefixes="a">

  <xsl:import href="html.xsl"/>

  <xsl:output method="html" encoding="UTF-8" indent="no"/>

  <xsl:template match="/">
    <xsl:text disable-output-escaping="yes">&lt;!DOCTYPE html&gt;&#10;</xsl:text>
    <xsl:variable name="title">
      <xsl:call-template name="document-title"/>
    </xsl:variable>
    <xsl:variable name="code">
      <xsl:call-template name="meta-value">
        <xsl:with-param name="name" select="'code'"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:variable name="stage">
      <xsl:call-template name="meta-value">
        <xsl:with-param name="name" select="'stage'"/>
      </xsl:call-template>
    </xsl:variable>
    <html lang="{/document/@lang}">
      <head>
        <meta charset="utf-8"/>
        <meta name="generator" content="galley"/>
        <title>
          <xsl:value-of select="concat('《', normalize-space($title), '》意见汇总表')"/>
        </title>
        <style>
          @page { size: A4 landscape; margin: 15mm; }
          body { font-family: "AR PL UMing CN", "SimSun", serif; font-size: 10.5pt;
                 margin: 0 auto; max-width: 267mm; }
          h1 { font-family: "WenQuanYi Zen Hei", "SimHei", sans-serif; font-size: 16pt;
               font-weight: normal; text-align: center; margin: 0 0 4pt; }
          .form-code { text-align: center; margin: 0 0 10pt; }
          table { width: 100%; border-collapse: collapse; }
          th, td { border: 1px solid #000; padding: 4pt 6pt; vertical-align: top; }
          th { font-family: "WenQuanYi Zen Hei", "SimHei", sans-serif; font-weight: normal; }
          thead { display: table-header-group; }
          tbody tr { height: 2.6em; break-inside: avoid; }
          .form-no { width: 3em; text-align: center; }
          .form-clause { width: 6em; }
          .form-comment { width: 38%; }
          .form-proposal { width: 32%; }
          .form-note { margin-top: 8pt; font-size: 9pt; }
        </style>
      </head>
      <body class="comments-form">
        <h1><xsl:value-of select="concat('《', normalize-space($title), '》意见汇总表')"/></h1>
        <p class="form-code">
          <xsl:value-of select="normalize-space($code)"/>
          <xsl:if test="normalize-space($stage) != ''">
            <xsl:value-of select="concat('（', normalize-space($stage), '）')"/>
          </xsl:if>
        </p>
        <table>
          <thead>
            <tr>
              <th class="form-no">序号</th>
              <th class="form-clause">章条编号</th>
              <th class="form-comment">意见内容</th>
              <th class="form-proposal">修改建议</th>
              <th class="form-unit">提出单位</th>
            </tr>
          </thead>
          <tbody>
            <xsl:for-each select="/document/body//heading[@a:number
                or (contains(concat(' ', @class, ' '), ' gb-title ')
                    and not(following-sibling::*[1][self::div
                        and contains(concat(' ', @class, ' '), ' index ')]))]">
              <tr>
                <td class="form-no"><xsl:value-of select="position()"/></td>
                <td class="form-clause">
                  <xsl:choose>
                    <xsl:when test="@a:number">
                      <xsl:value-of select="@a:number"/>
                    </xsl:when>
                    <xsl:otherwise>
                      <xsl:value-of select="normalize-space(.)"/>
                    </xsl:otherwise>
                  </xsl:choose>
                </td>
                <td/>
                <td/>
                <td/>
              </tr>
            </xsl:for-each>
          </tbody>
        </table>
        <p class="form-note">意见填在所涉章条的一行，一处有几条意见时可加行；位置也可写页码和行号，如“第5页第12行”。</p>
      </body>
    </html>
  </xsl:template>

</xsl:stylesheet>
