/* UTF-8 decoding and the character classes that Chinese text handling needs. */
#include "utf8.h"

size_t
utf8_decode(const char *str, size_t len, int32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t need, i;
	int32_t c, min;

	if (len == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	/* Chinese text is mostly three-byte sequences: their check without the loop. */
	if ((s[0] & 0xF0) == 0xE0 && len >= 3 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
		c = (int32_t)(s[0] & 0x0F) << 12 | (int32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
		if (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF))
			return 0;
		*cp = c;
		return 3;
	}
	if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		need = 2; c = s[0] & 0x1F; min = 0x80;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		need = 3; c = s[0] & 0x0F; min = 0x800;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		need = 4; c = s[0] & 0x07; min = 0x10000;
	} else
		return 0;
	if (len < need)
		return 0;
	for (i = 1; i < need; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return need;
}

int32_t
utf8_before(const char *s, size_t pos)
{
	size_t start = pos;
	int32_t cp;

	if (pos == 0)
		return 0;
	while (start > 0 && pos - start < 4 &&
	    ((unsigned char)s[start - 1] & 0xC0) == 0x80)
		start--;
	if (start > 0)
		start--;
	if (utf8_decode(s + start, pos - start, &cp) != pos - start)
		return 0xFFFD;
	return cp;
}

size_t
utf8_encode(int32_t cp, char *out)
{
	unsigned char *o = (unsigned char *)out;

	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (unsigned char)(0xF0 | (cp >> 18));
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

size_t
utf16_encode(int32_t cp, uint16_t *out)
{
	if (cp < 0x10000) {
		out[0] = (uint16_t)cp;
		return 1;
	}
	cp -= 0x10000;
	out[0] = (uint16_t)(0xD800 | (cp >> 10));
	out[1] = (uint16_t)(0xDC00 | (cp & 0x3FF));
	return 2;
}

size_t
utf8_check(const char *s, size_t len)
{
	size_t i = 0, n;
	int32_t cp;
	unsigned char c;

	while (i < len) {
		c = (unsigned char)s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		/*
		 * Led by E1-EC or EE-EF, three bytes are well-formed whenever the next
		 * two are continuation bytes (no overlong form, no surrogate): most
		 * Chinese text, checked here without a call per character.
		 */
		if (c >= 0xE1 && c <= 0xEF && c != 0xED && len - i >= 3 &&
		    ((unsigned char)s[i + 1] & 0xC0) == 0x80 && ((unsigned char)s[i + 2] & 0xC0) == 0x80) {
			i += 3;
			continue;
		}
		if ((n = utf8_decode(s + i, len - i, &cp)) == 0)
			return i;
		i += n;
	}
	return len;
}

size_t
utf8_count(const char *s, size_t n)
{
	size_t i = 0, count = 0, step;
	int32_t cp;

	while (i < n) {
		step = utf8_decode(s + i, n - i, &cp);
		i += step ? step : 1;
		count++;
	}
	return count;
}

struct range {
	int32_t lo, hi;
};

static int
in_ranges(int32_t cp, const struct range *r, size_t n)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (cp < r[mid].lo)
			hi = mid;
		else if (cp > r[mid].hi)
			lo = mid + 1;
		else
			return 1;
	}
	return 0;
}

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* East Asian Width W and F blocks (UAX #11), coarse but covering all text editors type. */
static const struct range wide[] = {
	{ 0x1100, 0x115F }, { 0x2E80, 0x303E }, { 0x3041, 0x33FF },
	{ 0x3400, 0x4DBF }, { 0x4E00, 0x9FFF }, { 0xA000, 0xA4CF },
	{ 0xA960, 0xA97F }, { 0xAC00, 0xD7A3 }, { 0xF900, 0xFAFF },
	{ 0xFE10, 0xFE19 }, { 0xFE30, 0xFE6F }, { 0xFF00, 0xFF60 },
	{ 0xFFE0, 0xFFE6 }, { 0x1B000, 0x1B16F }, { 0x1F200, 0x1F2FF },
	{ 0x20000, 0x2FFFD }, { 0x30000, 0x3FFFD },
};

/* General category P (Pc Pd Ps Pe Pi Pf Po) outside ASCII, for the scripts galley meets. */
static const struct range punct[] = {
	{ 0x00A1, 0x00A1 }, { 0x00A7, 0x00A7 }, { 0x00AB, 0x00AB },
	{ 0x00B6, 0x00B7 }, { 0x00BB, 0x00BB }, { 0x00BF, 0x00BF },
	{ 0x037E, 0x037E }, { 0x0387, 0x0387 }, { 0x055A, 0x055F },
	{ 0x0589, 0x058A }, { 0x05BE, 0x05BE }, { 0x05C0, 0x05C0 },
	{ 0x05C3, 0x05C3 }, { 0x05C6, 0x05C6 }, { 0x05F3, 0x05F4 },
	{ 0x0609, 0x060A }, { 0x060C, 0x060D }, { 0x061B, 0x061F },
	{ 0x066A, 0x066D }, { 0x06D4, 0x06D4 }, { 0x0964, 0x0965 },
	{ 0x0970, 0x0970 }, { 0x0E4F, 0x0E4F }, { 0x0E5A, 0x0E5B },
	{ 0x2010, 0x2027 }, { 0x2030, 0x2043 }, { 0x2045, 0x2051 },
	{ 0x2053, 0x205E }, { 0x207D, 0x207E }, { 0x208D, 0x208E },
	{ 0x2308, 0x230B }, { 0x2329, 0x232A }, { 0x2768, 0x2775 },
	{ 0x27C5, 0x27C6 }, { 0x27E6, 0x27EF }, { 0x2983, 0x2998 },
	{ 0x29D8, 0x29DB }, { 0x29FC, 0x29FD }, { 0x2CF9, 0x2CFC },
	{ 0x2CFE, 0x2CFF }, { 0x2E00, 0x2E2E }, { 0x2E30, 0x2E4F },
	{ 0x3001, 0x3003 }, { 0x3008, 0x3011 }, { 0x3014, 0x301F },
	{ 0x3030, 0x3030 }, { 0x303D, 0x303D }, { 0x30A0, 0x30A0 },
	{ 0x30FB, 0x30FB }, { 0xFE10, 0xFE19 }, { 0xFE30, 0xFE52 },
	{ 0xFE54, 0xFE61 }, { 0xFE63, 0xFE63 }, { 0xFE68, 0xFE68 },
	{ 0xFE6A, 0xFE6B }, { 0xFF01, 0xFF03 }, { 0xFF05, 0xFF0A },
	{ 0xFF0C, 0xFF0F }, { 0xFF1A, 0xFF1B }, { 0xFF1F, 0xFF20 },
	{ 0xFF3B, 0xFF3D }, { 0xFF3F, 0xFF3F }, { 0xFF5B, 0xFF5B },
	{ 0xFF5D, 0xFF5D }, { 0xFF5F, 0xFF65 },
};

int
uc_is_wide(int32_t cp)
{
	return in_ranges(cp, wide, NELEM(wide));
}

int
uc_is_punct(int32_t cp)
{
	if (cp < 0x80)
		return (cp >= 0x21 && cp <= 0x2F) || (cp >= 0x3A && cp <= 0x40) ||
		    (cp >= 0x5B && cp <= 0x60) || (cp >= 0x7B && cp <= 0x7E);
	return in_ranges(cp, punct, NELEM(punct));
}

int
uc_is_space(int32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' ||
	    cp == '\f' || cp == 0xA0 || cp == 0x1680 ||
	    (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F || cp == 0x205F ||
	    cp == 0x3000;
}
