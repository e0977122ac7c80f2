/*
 * timestamp.c - Unix seconds from the ways feeds write a time
 *
 * NAME
 *	timestamp - lw_time_parse(): RFC 3339, RFC 5322, Unix time
 *
 * DESCRIPTION
 *	Three grammars, told apart by their first characters: digits and at
 *	most one '.' are Unix time; four digits and '-' start RFC 3339 (and
 *	its ISO 8601 relatives); anything else is tried as RFC 5322.  Each
 *	grammar reads its fields, then one function checks their ranges and
 *	counts days from the civil date (the proleptic Gregorian calendar,
 *	as in Howard Hinnant's days_from_civil), so no libc time function,
 *	locale or TZ setting is involved.
 *
 *	A time of 1e11 or more is taken for milliseconds: as seconds it
 *	would be past the year 5000, while 1e11 milliseconds is 1973.
 *
 * DIAGNOSTICS
 *	-1 for anything that is not a time in 1970 to 9999.
 */
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "listwarden/events.h"

/* 9999-12-31T23:59:59Z, the last second accepted. */
#define TIME_MAX	INT64_C(253402300799)

/* Longer input is no time of any of the grammars. */
#define TIME_TEXT_MAX	128

/* Unix times from here up are milliseconds. */
#define MS_FROM		INT64_C(100000000000)

/* The fields of a civil time, and its offset east of UTC in seconds. */
struct civil {
	int year, mon, day, hour, min, sec;
	long off;
};

/* is_digit - an ASCII digit */
static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* is_alpha - an ASCII letter */
static int
is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* is_blank - a space or TAB */
static int
is_blank(int c)
{
	return c == ' ' || c == '\t';
}

/*
 * num - read min to max digits at *pp into *v; -1 when fewer, or when a
 * digit follows the max-th
 */
static int
num(const char **pp, int min, int max, int *v)
{
	const char *p = *pp;
	int n = 0, x = 0;

	while (n < max && is_digit(p[n])) {
		x = x * 10 + (p[n] - '0');
		n++;
	}
	if (n < min || is_digit(p[n]))
		return -1;
	*v = x;
	*pp = p + n;
	return 0;
}

/* two - exactly two digits at *pp, whatever follows them */
static int
two(const char **pp, int *v)
{
	const char *p = *pp;

	if (!is_digit(p[0]) || !is_digit(p[1]))
		return -1;
	*v = (p[0] - '0') * 10 + (p[1] - '0');
	*pp = p + 2;
	return 0;
}

/* blanks - skip spaces and TABs; how many there were */
static int
blanks(const char **pp)
{
	int n = 0;

	while (is_blank(**pp)) {
		(*pp)++;
		n++;
	}
	return n;
}

/* is_leap - a Gregorian leap year */
static int
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* days_in_month - the length of month m (1-12) of year y */
static int
days_in_month(int y, int m)
{
	static const int days[] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* days_from_civil - days from 1970-01-01 to y-m-d (y >= 1) */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = y / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* make_time - check the fields' ranges and give Unix seconds */
static int
make_time(const struct civil *c, int64_t *t)
{
	int64_t v;

	if (c->year < 1970 || c->year > 9999 || c->mon < 1 || c->mon > 12 ||
	    c->day < 1 || c->day > days_in_month(c->year, c->mon) ||
	    c->hour < 0 || c->hour > 23 || c->min < 0 || c->min > 59 ||
	    c->sec < 0 || c->sec > 60)	/* 60: a leap second */
		return -1;
	v = days_from_civil(c->year, c->mon, c->day) * 86400 +
	    c->hour * 3600 + c->min * 60 + c->sec - c->off;
	if (v < 0 || v > TIME_MAX)
		return -1;
	*t = v;
	return 0;
}

/* fraction - skip '.' or ',' and its digits, if there */
static int
fraction(const char **pp)
{
	const char *p = *pp;

	if (*p != '.' && *p != ',')
		return 0;
	if (!is_digit(*++p))
		return -1;
	while (is_digit(*p))
		p++;
	*pp = p;
	return 0;
}

/* unix_time - digits, an optional fraction; milliseconds from 1e11 */
static int
unix_time(const char *p, int64_t *t)
{
	int64_t v = 0;
	int n = 0;

	/* TIME_MAX in milliseconds has 15 digits; 16 cannot overflow. */
	for (; is_digit(*p); p++, n++) {
		if (n == 16)
			return -1;
		v = v * 10 + (*p - '0');
	}
	if (n == 0)
		return -1;
	if (*p == '.') {
		if (!is_digit(*++p))
			return -1;
		while (is_digit(*p))
			p++;
	}
	if (*p != '\0')
		return -1;
	if (v >= MS_FROM)
		v /= 1000;
	if (v > TIME_MAX)
		return -1;
	*t = v;
	return 0;
}

/* numeric_zone - +hh:mm, +hhmm or +hh into *off (seconds east) */
static int
numeric_zone(const char **pp, long *off)
{
	const char *p = *pp;
	int sign, h, m = 0;

	if (*p != '+' && *p != '-')
		return -1;
	sign = *p++ == '-' ? -1 : 1;
	if (two(&p, &h) != 0)
		return -1;
	if (*p == ':') {
		p++;
		if (num(&p, 2, 2, &m) != 0)
			return -1;
	} else if (is_digit(*p) && num(&p, 2, 2, &m) != 0)
		return -1;
	if (h > 23 || m > 59)
		return -1;
	*off = sign * (h * 3600L + m * 60L);
	*pp = p;
	return 0;
}

/* iso_time - RFC 3339 and the ISO 8601 forms feeds write */
static int
iso_time(const char *p, int64_t *t)
{
	struct civil c = { 0 };
	int spaced;

	if (num(&p, 4, 4, &c.year) != 0 || *p++ != '-' ||
	    num(&p, 2, 2, &c.mon) != 0 || *p++ != '-' ||
	    num(&p, 2, 2, &c.day) != 0)
		return -1;
	if (*p == '\0')
		return make_time(&c, t);
	if (*p != 'T' && *p != 't' && *p != ' ')
		return -1;
	p++;
	if (num(&p, 2, 2, &c.hour) != 0 || *p++ != ':' ||
	    num(&p, 2, 2, &c.min) != 0)
		return -1;
	if (*p == ':') {
		p++;
		if (num(&p, 2, 2, &c.sec) != 0 || fraction(&p) != 0)
			return -1;
	}
	spaced = blanks(&p);
	if (*p == 'Z' || *p == 'z')
		p++;
	else if (strncasecmp(p, "UTC", 3) == 0 || strncasecmp(p, "GMT", 3) == 0)
		p += 3;
	else if (*p == '+' || *p == '-') {
		if (numeric_zone(&p, &c.off) != 0)
			return -1;
	} else if (spaced)
		return -1;	/* a blank before nothing or garbage */
	if (*p != '\0')
		return -1;
	return make_time(&c, t);
}

/* name_index - the index of the 3-letter name at p in names, or -1 */
static int
name_index(const char *p, const char *const *names, int n)
{
	int i;

	if (!is_alpha(p[0]) || !is_alpha(p[1]) || !is_alpha(p[2]) ||
	    is_alpha(p[3]))
		return -1;
	for (i = 0; i < n; i++)
		if (strncasecmp(p, names[i], 3) == 0)
			return i;
	return -1;
}

/* obs_zone - RFC 5322 4.3's zone names and letters, into *off */
static int
obs_zone(const char **pp, long *off)
{
	static const struct {
		const char *name;
		int hours;
	} zones[] = {
		{ "UT", 0 }, { "UTC", 0 }, { "GMT", 0 },
		{ "EST", -5 }, { "EDT", -4 }, { "CST", -6 }, { "CDT", -5 },
		{ "MST", -7 }, { "MDT", -6 }, { "PST", -8 }, { "PDT", -7 },
	};
	const char *p = *pp;
	size_t i, n;

	for (n = 0; is_alpha(p[n]); n++)
		;
	for (i = 0; i < sizeof(zones) / sizeof(zones[0]); i++)
		if (strlen(zones[i].name) == n &&
		    strncasecmp(p, zones[i].name, n) == 0) {
			*off = zones[i].hours * 3600L;
			*pp = p + n;
			return 0;
		}
	/* Military letters (not J): their sign was long misread, so 0. */
	if (n == 1 && *p != 'J' && *p != 'j') {
		*off = 0;
		*pp = p + 1;
		return 0;
	}
	return -1;
}

/* rfc5322_time - [day-name ","] day month year hour:min[:sec] [zone] */
static int
rfc5322_time(const char *p, int64_t *t)
{
	static const char *const days[] = {
		"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"
	};
	static const char *const months[] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
	};
	struct civil c = { 0 };
	const char *y;
	int m;

	if (is_alpha(*p)) {
		if (name_index(p, days, 7) < 0)
			return -1;
		p += 3;
		blanks(&p);
		if (*p++ != ',')
			return -1;
		blanks(&p);
	}
	if (num(&p, 1, 2, &c.day) != 0 || blanks(&p) == 0 ||
	    (m = name_index(p, months, 12)) < 0)
		return -1;
	c.mon = m + 1;
	p += 3;
	if (blanks(&p) == 0)
		return -1;
	y = p;
	if (num(&p, 2, 4, &c.year) != 0)
		return -1;
	/* RFC 5322 4.3: 00-49 are 20xx, 50-99 and three digits 19xx. */
	if (p - y == 2)
		c.year += c.year < 50 ? 2000 : 1900;
	else if (p - y == 3)
		c.year += 1900;
	if (blanks(&p) == 0 || num(&p, 1, 2, &c.hour) != 0 || *p++ != ':' ||
	    num(&p, 2, 2, &c.min) != 0)
		return -1;
	if (*p == ':') {
		p++;
		if (num(&p, 2, 2, &c.sec) != 0)
			return -1;
	}
	if (blanks(&p) > 0 && *p != '\0' && *p != '(') {
		if (*p == '+' || *p == '-') {
			/* RFC 5322 wants exactly four digits. */
			if (!is_digit(p[1]) || !is_digit(p[2]) ||
			    !is_digit(p[3]) || !is_digit(p[4]) ||
			    numeric_zone(&p, &c.off) != 0)
				return -1;
		} else if (obs_zone(&p, &c.off) != 0)
			return -1;
		blanks(&p);
	}
	/* A trailing comment, "(UTC)", as mailers add. */
	if (*p == '(') {
		p++;
		while (*p != '\0' && *p != ')' && *p != '(')
			p++;
		if (*p++ != ')')
			return -1;
	}
	if (*p != '\0')
		return -1;
	return make_time(&c, t);
}

/* lw_time_parse - Unix seconds from any of the three grammars */
int
lw_time_parse(const char *s, int64_t *t)
{
	char buf[TIME_TEXT_MAX + 1];
	const char *p;
	size_t n;

	if (s == NULL)
		return -1;
	while (is_blank(*s) || *s == '\r' || *s == '\n')
		s++;
	n = strlen(s);
	while (n > 0 && (is_blank(s[n - 1]) || s[n - 1] == '\r' ||
	    s[n - 1] == '\n'))
		n--;
	if (n == 0 || n > TIME_TEXT_MAX)
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	p = buf;
	if (strspn(p, "0123456789.") == n)
		return unix_time(p, t);
	if (is_digit(p[0]) && is_digit(p[1]) && is_digit(p[2]) &&
	    is_digit(p[3]) && p[4] == '-')
		return iso_time(p, t);
	return rfc5322_time(p, t);
}
