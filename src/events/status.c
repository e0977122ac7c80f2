/*
 * status.c - the codes at the start of a status or an SMTP reply
 *
 * NAME
 *	status - lw_status_parse(): reply code, enhanced code, text
 *
 * DESCRIPTION
 *	What feeds put in a status column ranges from a bare "5.1.1" to a
 *	DSN Diagnostic-Code ("smtp; 550-5.1.1 The email account ...").  The
 *	parser reads, in order: an optional diagnostic type (an atom and
 *	';', RFC 3464), an optional reply code (RFC 5321 4.2: three digits,
 *	the first 2 to 5, the second 0 to 5) and its '-' or blank, and an
 *	optional enhanced code (RFC 3463: class 2, 4 or 5, then subject and
 *	detail of one to three digits each).  The rest is the text.
 *
 *	Where a code may stand, a run of digits and dots must be a code:
 *	"650", "55", "5.1", "9.9.9" and "5.1.1.1" are refused rather than
 *	passed on as text, so that a feed writing garbage codes is told so.
 *	A run without a dot after a reply code ("550 2 recipients") is text.
 *	A code glued to a letter ("550abc") is malformed too.  One trailing
 *	dot after a code ("5.1.1. User unknown") ends a sentence, not the
 *	code.  Whether reply and enhanced code agree is not checked: the
 *	classifier weighs both.
 *
 * DIAGNOSTICS
 *	-1 for a malformed code, with the outputs untouched.
 */
#include <ctype.h>
#include <string.h>

#include "listwarden/events.h"

/* is_digit - an ASCII digit */
static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* is_word - an ASCII letter, digit or '_' */
static int
is_word(int c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z') || c == '_';
}

/* skip_blanks - past spaces, TABs and line ends */
static const char *
skip_blanks(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	return p;
}

/* diag_type - past "smtp;" or "x-postfix;" and blanks, or p itself */
static const char *
diag_type(const char *p)
{
	const char *q = p;

	if (!((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z')))
		return p;
	while (is_word(*q) || *q == '-' || *q == '.')
		q++;
	while (*q == ' ' || *q == '\t')
		q++;
	if (*q != ';')
		return p;
	return skip_blanks(q + 1);
}

/*
 * token - the length of the run of digits and dots at p, less one dot
 * that ends it (a full stop, not part of the code)
 */
static size_t
token(const char *p)
{
	size_t n = strspn(p, "0123456789.");

	if (n > 0 && p[n - 1] == '.')
		n--;
	return n;
}

/* is_reply - the n octets at p are an RFC 5321 reply code */
static int
is_reply(const char *p, size_t n)
{
	return n == 3 && p[0] >= '2' && p[0] <= '5' && p[1] >= '0' &&
	    p[1] <= '5' && is_digit(p[2]);
}

/* digits - 1 to 3 digits at *pp, and the pointer past them */
static int
digits(const char **pp, const char *end)
{
	const char *p = *pp;

	while (p < end && is_digit(*p))
		p++;
	if (p == *pp || p - *pp > 3)
		return 0;
	*pp = p;
	return 1;
}

/* is_enhanced - the n octets at p are an RFC 3463 status code */
static int
is_enhanced(const char *p, size_t n)
{
	const char *end = p + n;

	if (n < 5 || (p[0] != '2' && p[0] != '4' && p[0] != '5') ||
	    p[1] != '.')
		return 0;
	p += 2;
	if (!digits(&p, end) || p == end || *p++ != '.' || !digits(&p, end))
		return 0;
	return p == end;
}

/* lw_status_parse - the reply code, the enhanced code and the text */
int
lw_status_parse(const char *s, char reply[4], char status[16],
    const char **text)
{
	char r[4] = "", st[16] = "";
	const char *p, *q;
	size_t n;

	if (s == NULL)
		s = "";
	p = diag_type(skip_blanks(s));
	if (!is_digit(*p)) {
		q = p == skip_blanks(s) ? s : p;
		goto out;
	}
	n = token(p);
	if (is_reply(p, n)) {
		memcpy(r, p, 3);
		p += 3;
		if (is_word(*p))
			return -1;
		q = p;
		if (*q == '-')
			q++;
		q = skip_blanks(q);
		n = token(q);
		if (n > 0 && memchr(q, '.', n) != NULL) {
			if (!is_enhanced(q, n) || is_word(q[n]))
				return -1;
			memcpy(st, q, n);
			st[n] = '\0';
			q += n;
		}
	} else if (is_enhanced(p, n)) {
		if (is_word(p[n]))
			return -1;
		memcpy(st, p, n);
		st[n] = '\0';
		q = p + n;
	} else
		return -1;
	if (*q == '.')		/* the full stop token() left out */
		q++;
	q = skip_blanks(q);
out:
	memcpy(reply, r, sizeof(r));
	memcpy(status, st, sizeof(st));
	*text = q;
	return 0;
}

/* lw_status_find - the codes a diagnostic holds, wherever they are */
int
lw_status_find(const char *s, char reply[4], char st[16])
{
	char r2[4], s2[16];
	const char *text, *p;
	int best = 0, score;

	reply[0] = st[0] = '\0';
	if (lw_status_parse(s, reply, st, &text) == 0 && st[0] != '\0')
		return 1;
	if (reply[0] != '\0') {
		/* "550 #5.1.0 Address rejected": the status further on. */
		for (p = text; *p; p++)
			if ((*p == '4' || *p == '5') && p > s && (p[-1] == '#' ||
			    p[-1] == '(' || p[-1] == ' ') && p[1] == '.' &&
			    lw_status_parse(p, r2, s2, &text) == 0 &&
			    s2[0] != '\0' && s2[0] == reply[0]) {
				memcpy(st, s2, sizeof(s2));
				break;
			}
		return 1;
	}
	reply[0] = st[0] = '\0';
	for (p = s; *p; p++) {
		if ((*p != '4' && *p != '5') || (p > s && (isalnum(
		    (unsigned char)p[-1]) || p[-1] == '.' || p[-1] == '_' ||
		    p[-1] == '-' || p[-1] == '/' || p[-1] == '[')))
			continue;
		if (lw_status_parse(p, r2, s2, &text) != 0 ||
		    (r2[0] == '\0' && s2[0] == '\0'))
			continue;
		/* A reply code needs a blank, "-" or the end after it. */
		if (r2[0] != '\0' && s2[0] == '\0' && p[3] != ' ' &&
		    p[3] != '-' && p[3] != '\0')
			continue;
		score = (r2[0] != '\0') + 2 * (s2[0] != '\0');
		if (score > best) {
			best = score;
			memcpy(reply, r2, sizeof(r2));
			memcpy(st, s2, sizeof(s2));
			if (score == 3)
				break;
		}
	}
	return best > 0;
}
