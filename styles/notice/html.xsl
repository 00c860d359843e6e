<?xml version="1.0" encoding="UTF-8"?>
<!--
  The "notice" style: official documents (公文) after GB/T 9704-2012.
  版头 from the front matter (copy-number, secret, urgency, issuer,
  doc-number, signer), the red rule, title and addressee; after the
  body the attachments list, note, signature and date; at the end the
  版记 (cc, printed-by, printed-date).
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="../common/html.xsl"/>

  <xsl:variable name="style-name" select="'notice'"/>

  <xsl:param name="attachments-label" select="'附件：'"/>
  <xsl:param name="cc-label" select="'抄送：'"/>
  <xsl:param name="signer-label" select="'签发人：'"/>

  <!-- ===== 版头: marks, issuer, document number, red rule ============== -->

  <xsl:template name="title-block">
    <xsl:variable name="issuer">
      <xsl:call-template name="notice-meta">
        <xsl:with-param name="name" select="'issuer'"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:variable name="number">
      <xsl:call-template name="notice-meta">
        <xsl:with-param name="name" select="'doc-number'"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:variable name="signer">
      <xsl:call-template name="notice-meta">
        <xsl:with-param name="name" select="'signer'"/>
        <xsl:with-param name="sep" select="'　'"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:variable name="marks">
      <xsl:call-template name="notice-line">
        <xsl:with-param name="name" select="'copy-number'"/>
      </xsl:call-template>
      <xsl:call-template name="notice-line">
        <xsl:with-param name="name" select="'secret'"/>
      </xsl:call-template>
      <xsl:call-template name="notice-line">
        <xsl:with-param name="name" select="'urgency'"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:if test="$issuer != '' or $number != '' or $signer != '' or string($marks) != ''">
      <header class="notice-head">
        <xsl:if test="string($marks) != ''">
          <div class="notice-marks">
            <xsl:copy-of select="$marks"/>
          </div>
        </xsl:if>
        <xsl:if test="$issuer != ''">
          <p class="issuer"><xsl:value-of select="$issuer"/></p>
        </xsl:if>
        <xsl:if test="$number != '' or $signer != ''">
          <p class="doc-number">
            <xsl:if test="$signer != ''">
              <xsl:attribute name="class">doc-number with-signer</xsl:attribute>
            </xsl:if>
            <span class="number"><xsl:value-of select="$number"/></span>
            <xsl:if test="$signer != ''">
              <span class="signer">
                <xsl:value-of select="$signer-label"/>
                <span class="signer-name"><xsl:value-of select="$signer"/></span>
              </span>
            </xsl:if>
          </p>
        </xsl:if>
        <hr class="red-rule"/>
      </header>
    </xsl:if>
  </xsl:template>

  <!-- The normalized text of meta $name. -->
  <xsl:template name="notice-meta">
    <xsl:param name="name"/>
    <xsl:param name="sep" select="$list-separator"/>
    <xsl:variable name="value">
      <xsl:call-template name="meta-value">
        <xsl:with-param name="name" select="$name"/>
        <xsl:with-param name="sep" select="$sep"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:value-of select="normalize-space($value)"/>
  </xsl:template>

  <!-- <p class="NAME"> with meta NAME, when present. -->
  <xsl:template name="notice-line">
    <xsl:param name="name"/>
    <xsl:variable name="value">
      <xsl:call-template name="notice-meta">
        <xsl:with-param name="name" select="$name"/>
        <xsl:with-param name="sep" select="'　'"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:if test="$value != ''">
      <p class="{$name}"><xsl:value-of select="$value"/></p>
    </xsl:if>
  </xsl:template>

  <!-- ===== Title and addressee, first in <main> ====================== -->

  <xsl:template name="main-start">
    <xsl:variable name="title">
      <xsl:call-template name="notice-meta">
        <xsl:with-param name="name" select="'title'"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:variable name="addressee">
      <xsl:call-template name="notice-meta">
        <xsl:with-param name="name" select="'addressee'"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:variable name="subtitle">
      <xsl:call-template name="notice-meta">
        <xsl:with-param name="name" select="'subtitle'"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:if test="$title != ''">
      <h1 class="doc-title"><xsl:value-of select="$title"/></h1>
    </xsl:if>
    <xsl:if test="$subtitle != ''">
      <p class="doc-subtitle"><xsl:value-of select="$subtitle"/></p>
    </xsl:if>
    <xsl:if test="$addressee != ''">
      <p class="addressee">
        <xsl:value-of select="$addressee"/>
        <xsl:call-template name="unless-ends-with">
          <xsl:with-param name="text" select="$addressee"/>
          <xsl:with-param name="ends" select="'：:'"/>
          <xsl:with-param name="add" select="'：'"/>
        </xsl:call-template>
      </p>
    </xsl:if>
  </xsl:template>

  <!-- $add, unless the last character of $text is one of $ends. -->
  <xsl:template name="unless-ends-with">
    <xsl:param name="text"/>
    <xsl:param name="ends"/>
    <xsl:param name="add"/>
    <xsl:if test="not(contains($ends, substring($text, string-length($text))))">
      <xsl:value-of select="$add"/>
    </xsl:if>
  </xsl:template>

  <!-- ===== After the body: attachments, note, signature, date ======== -->

  <xsl:template name="after-body">
    <xsl:variable name="attachments" select="key('meta', 'attachments')[1]"/>
    <xsl:variable name="items"
        select="$attachments/item[normalize-space(.) != '']
                | $attachments[not(item)][normalize-space(.) != '']"/>
    <xsl:if test="$items">
      <div class="attachments">
        <span class="attachments-label"><xsl:value-of select="$attachments-label"/></span>
        <ol class="attachments-list">
          <xsl:for-each select="$items">
            <li>
              <xsl:if test="count($items) &gt; 1">
                <span class="attachment-number"><xsl:value-of select="position()"/>.</span>
              </xsl:if>
              <span class="attachment-name"><xsl:value-of select="normalize-space(.)"/></span>
            </li>
          </xsl:for-each>
        </ol>
      </div>
    </xsl:if>
    <xsl:variable name="signature">
      <xsl:call-template name="notice-meta">
        <xsl:with-param name="name" select="'signature'"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:variable name="date">
      <xsl:call-template name="notice-meta">
        <xsl:with-param name="name" select="'date'"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:if test="$signature != '' or $date != ''">
      <div class="signature-block">
        <div class="signature-inner">
          <xsl:if test="$signature != ''">
            <p class="signature"><xsl:value-of select="$signature"/></p>
          </xsl:if>
          <xsl:if test="$date != ''">
            <p class="date">
              <xsl:call-template name="zh-date">
                <xsl:with-param name="date" select="$date"/>
              </xsl:call-template>
            </p>
          </xsl:if>
        </div>
      </div>
    </xsl:if>
    <xsl:variable name="note">
      <xsl:call-template name="notice-meta">
        <xsl:with-param name="name" select="'note'"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:if test="$note != ''">
      <p class="notice-note">
        <xsl:choose>
          <xsl:when test="starts-with($note, '（') or starts-with($note, '(')">
            <xsl:value-of select="$note"/>
          </xsl:when>
          <xsl:otherwise>
            <xsl:value-of select="concat('（', $note, '）')"/>
          </xsl:otherwise>
        </xsl:choose>
      </p>
    </xsl:if>
  </xsl:template>

  <!-- ===== 版记: cc, printing office and date ======================== -->

  <xsl:template name="page-end">
    <xsl:variable name="cc">
      <xsl:call-template name="notice-meta">
        <xsl:with-param name="name" select="'cc'"/>
        <xsl:with-param name="sep" select="'，'"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:variable name="printed-by">
      <xsl:call-template name="notice-meta">
        <xsl:with-param name="name" select="'printed-by'"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:variable name="printed-date">
      <xsl:call-template name="notice-meta">
        <xsl:with-param name="name" select="'printed-date'"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:if test="$cc != '' or $printed-by != '' or $printed-date != ''">
      <footer class="banji">
        <xsl:if test="$cc != ''">
          <p class="cc">
            <span class="cc-label"><xsl:value-of select="$cc-label"/></span>
            <span class="cc-list">
              <xsl:value-of select="$cc"/>
              <xsl:call-template name="unless-ends-with">
                <xsl:with-param name="text" select="$cc"/>
                <xsl:with-param name="ends" select="'。.'"/>
                <xsl:with-param name="add" select="'。'"/>
              </xsl:call-template>
            </span>
          </p>
        </xsl:if>
        <xsl:if test="$printed-by != '' or $printed-date != ''">
          <p class="printed">
            <span class="printed-by"><xsl:value-of select="$printed-by"/></span>
            <xsl:if test="$printed-date != ''">
              <span class="printed-date">
                <xsl:value-of select="$printed-date"/>
                <xsl:if test="substring($printed-date, string-length($printed-date) - 1) != '印发'">
                  <xsl:text>印发</xsl:text>
                </xsl:if>
              </span>
            </xsl:if>
          </p>
        </xsl:if>
      </footer>
    </xsl:if>
  </xsl:template>

</xsl:stylesheet>
