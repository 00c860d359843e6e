<?xml version="1.0" encoding="UTF-8"?>
<!-- A test style with unknown page.yaml and defaults.yaml keys (tests/cli.sh); HTML as the article's. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:import href="../../../styles/article/html.xsl"/>
</xsl:stylesheet>
