<?xml version="1.0" encoding="UTF-8"?>
<!--
  The "standard" style: drafts of standards after GB/T 1.1-2020. A cover
  from the front matter (code, ics, ccs, kind, replaces, title, title-en,
  stage, stage-date, issued-by, publish-date, implement-date), a 目次 of
  the chapters, 黑体 headings, 宋体 body, smaller 注/示例 paragraphs.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="../common/html.xsl"/>

  <xsl:variable name="style-name" select="'standard'"/>

  <!-- Shown on the cover of comment (征求意见稿) and review (送审稿)
       drafts. -->
  <xsl:param name="patent-notice"
      select="'在提交反馈意见时，请将您知道的相关专利连同支持性文件一并附上。'"/>
  <!-- Stands for a date the front matter does not give. -->
  <xsl:param name="date-placeholder" select="'XXXX-XX-XX'"/>

  <!-- ===== Cover ===================================================== -->

  <xsl:template name="title-block">
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
    <xsl:variable name="kind">
      <xsl:call-template name="standard-kind">
        <xsl:with-param name="code" select="normalize-space($code)"/>
      </xsl:call-template>
    </xsl:variable>
    <header class="cover">
      <xsl:if test="normalize-space(key('meta', 'ics')[1]) != ''
                    or normalize-space(key('meta', 'ccs')[1]) != ''">
      <div class="cover-codes">
        <xsl:call-template name="cover-line">
          <xsl:with-param name="name" select="'ics'"/>
          <xsl:with-param name="prefix" select="'ICS '"/>
        </xsl:call-template>
        <xsl:call-template name="cover-line">
          <xsl:with-param name="name" select="'ccs'"/>
          <xsl:with-param name="prefix" select="'CCS '"/>
        </xsl:call-template>
      </div>
      </xsl:if>
      <xsl:if test="normalize-space($kind) != ''">
        <p class="cover-kind"><xsl:value-of select="normalize-space($kind)"/></p>
      </xsl:if>
      <xsl:if test="normalize-space($code) != ''">
        <p class="cover-code"><xsl:value-of select="normalize-space($code)"/></p>
      </xsl:if>
      <xsl:call-template name="cover-line">
        <xsl:with-param name="name" select="'replaces'"/>
        <xsl:with-param name="prefix" select="'代替'"/>
      </xsl:call-template>
      <hr class="cover-rule"/>
      <h1 class="cover-title"><xsl:call-template name="document-title"/></h1>
      <xsl:call-template name="cover-line">
        <xsl:with-param name="name" select="'subtitle'"/>
      </xsl:call-template>
      <xsl:call-template name="cover-line">
        <xsl:with-param name="name" select="'title-en'"/>
        <xsl:with-param name="lang" select="'en'"/>
      </xsl:call-template>
      <xsl:if test="normalize-space($stage) != ''">
        <p class="cover-stage">
          <xsl:choose>
            <xsl:when test="starts-with(normalize-space($stage), '（')
                            or starts-with(normalize-space($stage), '(')">
              <xsl:value-of select="normalize-space($stage)"/>
            </xsl:when>
            <xsl:otherwise>
              <xsl:value-of select="concat('（', normalize-space($stage), '）')"/>
            </xsl:otherwise>
          </xsl:choose>
        </p>
      </xsl:if>
      <xsl:call-template name="cover-line">
        <xsl:with-param name="name" select="'stage-date'"/>
      </xsl:call-template>
      <xsl:if test="normalize-space($patent-notice) != ''
                    and (contains($stage, '征求意见稿') or contains($stage, '送审稿'))">
        <p class="cover-patent"><xsl:value-of select="$patent-notice"/></p>
      </xsl:if>
      <p class="cover-dates">
        <span class="publish-date">
          <xsl:call-template name="cover-date">
            <xsl:with-param name="name" select="'publish-date'"/>
          </xsl:call-template>
          <xsl:text>发布</xsl:text>
        </span>
        <span class="implement-date">
          <xsl:call-template name="cover-date">
            <xsl:with-param name="name" select="'implement-date'"/>
          </xsl:call-template>
          <xsl:text>实施</xsl:text>
        </span>
      </p>
      <hr class="cover-rule"/>
      <xsl:variable name="issuer">
        <xsl:call-template name="meta-value">
          <xsl:with-param name="name" select="'issued-by'"/>
          <xsl:with-param name="sep" select="'　'"/>
        </xsl:call-template>
      </xsl:variable>
      <xsl:if test="normalize-space($issuer) != ''">
        <p class="cover-issuer">
          <span class="issuer-name"><xsl:value-of select="normalize-space($issuer)"/></span>
          <span class="issuer-verb">发布</span>
        </p>
      </xsl:if>
    </header>
  </xsl:template>

  <!-- <p class="cover-NAME"> with meta NAME, when present; $prefix is
       added unless the value already starts with it. -->
  <xsl:template name="cover-line">
    <xsl:param name="name"/>
    <xsl:param name="prefix" select="''"/>
    <xsl:param name="lang" select="''"/>
    <xsl:variable name="value">
      <xsl:call-template name="meta-value">
        <xsl:with-param name="name" select="$name"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:variable name="v" select="normalize-space($value)"/>
    <xsl:if test="$v != ''">
      <p class="cover-{$name}">
        <xsl:if test="$lang != ''">
          <xsl:attribute name="lang"><xsl:value-of select="$lang"/></xsl:attribute>
        </xsl:if>
        <xsl:if test="$prefix != '' and not(starts-with(translate($v, $lower, $upper),
                                                        translate(normalize-space($prefix), $lower, $upper)))">
          <xsl:value-of select="$prefix"/>
        </xsl:if>
        <xsl:value-of select="$v"/>
      </p>
    </xsl:if>
  </xsl:template>

  <xsl:template name="cover-date">
    <xsl:param name="name"/>
    <xsl:variable name="value">
      <xsl:call-template name="meta-value">
        <xsl:with-param name="name" select="$name"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="normalize-space($value) != ''">
        <xsl:value-of select="normalize-space($value)"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="$date-placeholder"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The line above the code: meta kind, else guessed from the code. -->
  <xsl:template name="standard-kind">
    <xsl:param name="code"/>
    <xsl:variable name="kind">
      <xsl:call-template name="meta-value">
        <xsl:with-param name="name" select="'kind'"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="normalize-space($kind) != ''">
        <xsl:value-of select="$kind"/>
      </xsl:when>
      <xsl:when test="starts-with($code, 'T/')">团体标准</xsl:when>
      <xsl:when test="starts-with($code, 'GB/Z')">中华人民共和国国家标准化指导性技术文件</xsl:when>
      <xsl:when test="starts-with($code, 'GB/T') or starts-with($code, 'GB ')">中华人民共和国国家标准</xsl:when>
    </xsl:choose>
  </xsl:template>

  <!-- ===== Body ====================================================== -->

  <!-- 注：/注1：… and 示例：/示例1：… paragraphs are set smaller.  The tests
       sit inside the template (see mode "class" in common/html.xsl). -->
  <xsl:template match="para" mode="class">
    <xsl:variable name="text" select="normalize-space(.)"/>
    <xsl:choose>
      <xsl:when test="starts-with($text, '注：') or starts-with($text, '注:')
                      or (starts-with($text, '注') and contains($text, '：')
                          and string-length(substring-before(substring($text, 2), '：')) &gt; 0
                          and translate(substring-before(substring($text, 2), '：'),
                                        '0123456789', '') = '')">note</xsl:when>
      <xsl:when test="starts-with($text, '示例：') or starts-with($text, '示例:')
                      or (starts-with($text, '示例') and contains($text, '：')
                          and string-length(substring-before(substring($text, 3), '：')) &gt; 0
                          and translate(substring-before(substring($text, 3), '：'),
                                        '0123456789', '') = '')">example</xsl:when>
      <xsl:otherwise>
        <xsl:apply-imports/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

</xsl:stylesheet>
