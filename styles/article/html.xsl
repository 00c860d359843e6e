<?xml version="1.0" encoding="UTF-8"?>
<!--
  The "article" style, galley's default: a plain article page with the
  shared title block (title, subtitle, authors, date).
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="../common/html.xsl"/>

  <xsl:variable name="style-name" select="'article'"/>

</xsl:stylesheet>
