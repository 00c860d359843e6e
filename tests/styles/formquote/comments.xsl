<?xml version="1.0" encoding="UTF-8"?>
<!-- A comment form of heading titles, a line break and nested markup in cells (tests/draft.sh). -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:output method="html" encoding="UTF-8"/>
  <xsl:template match="/">
    <html><body><p>表前的文字, 不进 CSV</p>
      <table>
        <tr><th>标题</th><th>备注</th></tr>
        <xsl:for-each select="/document/body/heading">
          <tr><td><xsl:value-of select="."/></td><td>第一行&#10;  第二行 <b>粗</b></td></tr>
        </xsl:for-each>
      </table>
    </body></html>
  </xsl:template>
</xsl:stylesheet>
