<?xml version="1.0" encoding="UTF-8"?>
<!-- A test style whose page.yaml has bad line-number and draft-mark keys (tests/draft.sh). -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:import href="../../../styles/article/html.xsl"/>
</xsl:stylesheet>
