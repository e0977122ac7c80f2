/*
 * prose.c - bounces in words: who did not get the message, and why
 *
 * NAME
 *	prose - the tables that recognize a bounce by its words, and the
 *	reading of recipients and reasons out of them
 *
 * DESCRIPTION
 *	Many MTAs say what failed only in text: qmail, Exim, old Sendmail,
 *	Exchange 2003, Gmail, Yahoo, Courier, Postfix's own text part, and
 *	the local agents of many providers.  Their words differ, their shape
 *	does not: an introduction, the failed recipients each with the
 *	server's reply or a reason near it, then the returned message.  So
 *	one reader serves them all, driven by the tables below, which a
 *	reader can audit:
 *
 *	  markers    phrases that introduce a bounce, each with the family
 *	             that writes it (the record's "how"): any one makes
 *	             the text a bounce
 *	  subjects   subject words of bounces, and senders (MAILER-DAEMON,
 *	             postmaster): with a null sender, they make a message
 *	             a bounce candidate even when no marker is known
 *	  ends       lines that start the returned message: the reading
 *	             stops there, so the original's addresses are not taken
 *	             for recipients
 *	  skip       lines whose addresses are never recipients (the
 *	             sender in "MAIL FROM:", header lines of the original)
 *	  nobody     local parts that name a role, not a recipient
 *
 *	A recipient is an address in the bounce's words before the end,
 *	that is neither the bounce's own From or To nor the original's
 *	sender.  Its diagnostic is its paragraph: the rest of its line and
 *	the lines after it, up to a blank line or the next recipient; when
 *	that paragraph holds no SMTP code, the first paragraph after it that
 *	does (Gmail and Sendmail put the server's reply further down) is
 *	added.  Classifying the diagnostic is classify's: its phrase table
 *	is the one list of what the words mean.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "listwarden/error.h"
#include "listwarden/events.h"
#include "mail_int.h"

/* Phrases that introduce a bounce, and who writes them (lower case). */
static const struct {
	const char *phrase;
	const char *how;
} markers[] = {
	{ "this is the qmail-send program", "qmail" },
	{ "this is the qmail program", "qmail" },
	{ "the following address(es) failed", "exim" },
	{ "could not be delivered to one or more of its recipients",
	    "exim" },
	{ "following address(es) have not yet been delivered", "exim" },
	{ "this is the mail system at host", "postfix" },
	{ "following addresses had permanent fatal errors", "sendmail" },
	{ "following addresses had transient non-fatal errors",
	    "sendmail" },
	{ "transcript of session follows", "sendmail" },
	{ "the original message was received at", "sendmail" },
	{ "delivery status notification", "bounce" },
	{ "following recipients failed", "bounce" },
	{ "delivery has failed to these recipients or groups", "exchange" },
	{ "did not reach some or all of the intended recipients",
	    "exchange" },
	{ "the following recipient(s) cannot be reached", "exchange" },
	{ "your message couldn't be delivered", "exchange" },
	{ "your message wasn't delivered", "exchange" },
	{ "delivery to the following recipient failed", "gmail" },
	{ "delivery to the following recipients failed", "gmail" },
	{ "delivery to the following recipient has been delayed", "gmail" },
	{ "the response from the remote server was", "gmail" },
	{ "the response was:", "gmail" },
	{ "message not delivered", "gmail" },
	{ "sorry, we were unable to deliver your message", "yahoo" },
	{ "unable to deliver message to the following", "yahoo" },
	{ "there was an error delivering your mail to", "dragonfly" },
	{ "your message was not delivered", "courier" },
	{ "i'm sorry to have to inform you that your message could not",
	    "bounce" },
	{ "i'm afraid i wasn't able to deliver your message", "bounce" },
	{ "message could not be delivered", "bounce" },
	{ "could not be delivered to the following", "bounce" },
	{ "was not delivered to", "bounce" },
	{ "delivery failed", "bounce" },
	{ "delivery failure", "bounce" },
	{ "undeliverable", "bounce" },
	{ "permanent error", "bounce" },
	{ "permanent failure", "bounce" },
	{ "temporary failure", "bounce" },
	{ "could not deliver", "bounce" },
	{ "unable to deliver", "bounce" },
	{ "failed to deliver", "bounce" },
	{ "delivery to the following", "bounce" },
	{ "mail delivery failed", "bounce" },
	{ "returning message to sender", "bounce" },
	{ "was rejected", "bounce" },
	{ "reject reason", "bounce" },
	{ "non remis", "bounce" },
	{ "nicht zugestellt", "bounce" },
	{ "unzustellbar", "bounce" },
	{ "no se pudo entregar", "bounce" },
};

/* Subject words of bounces (lower case). */
static const char *const subjects[] = {
	"undeliver", "undelivered", "delivery status notification",
	"delivery failure", "delivery failed", "delivery has failed",
	"failure notice", "returned mail", "mail delivery",
	"could not be delivered", "not delivered", "delivery problem",
	"returned to sender", "nondeliverable", "non-deliverable",
	"permanent error", "bounce", "delivery notification",
	"failed delivery", "delivery delayed", "delayed mail",
	"mail system error", "rejected", "non remis", "unzustellbar",
	"nicht zustellbar", "warning: could not send",
};

/* Local parts of the agents that send bounces (lower case). */
static const char *const senders[] = {
	"mailer-daemon", "postmaster", "mail-daemon", "mailerdaemon",
	"mailer_daemon", "mdaemon", "mail.daemon", "mail-delivery",
	"maildelivery", "mail_delivery", "mailadmin", "mail-administrator",
};

/* Lines that start the returned message (lower case, at line start). */
static const char *const ends[] = {
	"------ this is a copy of the message",
	"--- below this line is a copy of the message",
	"----- original message",
	"-----original message-----",
	"original message headers",
	"message headers follow",
	"------ failed message body",
	"--- the header of the original message",
	"----- the following is a copy of",
	"------- returned message",
	"----- unsent message follows",
	"----- returned message",
	"--- original message follows",
	"------ original message",
	"original message follows",
	"the original message is attached",
	"content-type: message/rfc822",
	"bounced e-mail:",
	"received: from",
	"return-path:",
};

/* Lines whose addresses are not recipients (lower case, anywhere). */
static const char *const skip[] = {
	"mail from", "envelope-from", "from:<", "sender:", "message-id",
	"reply-to", "in-reply-to", "references:", "for <", "return-path",
	"original-envelope", "reporting-mta", "x-postfix-sender",
	"please contact", "contact your", "contact <", "for assistance",
	"further assistance", "for more information",
	/* Japanese: "please contact", "inquiries" */
	"\xe3\x81\x94\xe9\x80\xa3\xe7\xb5\xa1",
	"\xe3\x81\x8a\xe5\x95\x8f\xe3\x81\x84\xe5\x90\x88\xe3\x82"
	"\x8f\xe3\x81\x9b",
};

/* Local parts that name a role, never a recipient (lower case). */
static const char *const nobody[] = {
	"postmaster", "mailer-daemon", "abuse", "hostmaster", "webmaster",
	"mail-daemon", "mailerdaemon",
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* find_ci - s (n octets) holds the lower-case word w, ignoring case */
static const char *
find_ci(const char *s, size_t n, const char *w)
{
	size_t k = strlen(w), i;

	if (k == 0 || k > n)
		return NULL;
	for (i = 0; i + k <= n; i++)
		if (tolower((unsigned char)s[i]) == w[0] &&
		    strncasecmp(s + i, w, k) == 0)
			return s + i;
	return NULL;
}

/* has_any - s holds one of the n lower-case words of tab, ignoring case */
static int
has_any(const char *s, const char *const *tab, size_t n)
{
	size_t i, len = strlen(s);

	for (i = 0; i < n; i++)
		if (find_ci(s, len, tab[i]) != NULL)
			return 1;
	return 0;
}

/* mail_auto_reply_subject - a vacation or out-of-office subject */
int
mail_auto_reply_subject(const char *subject)
{
	static const char *const words[] = { "out of office",
	    "out of the office", "automatic reply", "auto reply",
	    "autoreply", "auto-reply", "auto response", "autoresponse",
	    "vacation", "abwesenheit", "absence", "away from", "on leave",
	    "respuesta automática", "réponse automatique", "automatische "
	    "antwort" };

	return subject != NULL && (has_any(subject, words, NELEM(words)) ||
	    strncasecmp(subject, "auto:", 5) == 0);
}

/* bounce_sender - the From names a bounce agent */
static int
bounce_sender(const struct mail_ctx *c)
{
	size_t i;

	if (c->from_local == NULL)
		return 0;
	for (i = 0; i < NELEM(senders); i++)
		if (strcmp(c->from_local, senders[i]) == 0)
			return 1;
	return 0;
}

/* bounce_subject - the subject names a bounce */
static int
bounce_subject(const char *subject)
{
	return subject != NULL && has_any(subject, subjects, NELEM(subjects));
}

/* mail_prose_from_agent - the From or the subject is a bounce's */
int
mail_prose_from_agent(const struct mail_ctx *c)
{
	return bounce_sender(c) || bounce_subject(c->subject);
}

static void strip_html(const struct mail_buf *in, struct mail_buf *out);
static int line_starts(const char *p, const char *q, const char *const *tab,
    size_t n);

/*
 * words - the text prose reads, prepared once: the plain text (else the
 * HTML's, tags stripped) up to the line that starts the returned
 * message, and a lower-case copy of it (c->low, the same length, for
 * the tables' phrases to be found with memmem)
 */
static const struct mail_buf *
words(struct mail_ctx *c)
{
	const char *p, *q, *end;
	int started = 0;
	size_t i, n;

	if (c->prepared)
		return &c->words;
	c->prepared = 1;
	mail_text(c);
	if (c->text.len > 0)
		mail_buf_add(&c->words, c->text.p, c->text.len);
	else if (c->html.len > 0)
		strip_html(&c->html, &c->words);
	if (c->words.len == 0)
		return &c->words;
	p = c->words.p;
	end = p + c->words.len;
	for (; p < end; p = q < end ? q + 1 : end) {
		if ((q = memchr(p, '\n', (size_t)(end - p))) == NULL)
			q = end;
		/* The copy of the message starts: stop, after some text. */
		if (started && line_starts(p, q, ends, NELEM(ends)))
			break;
		for (i = 0; !started && p + i < q; i++)
			if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
				started = 1;
	}
	n = (size_t)(p - c->words.p);
	c->words.len = n;
	c->words.p[n] = '\0';
	mail_buf_add(&c->low, c->words.p, n);
	for (i = 0; i < c->low.len; i++)
		c->low.p[i] = (char)tolower((unsigned char)c->low.p[i]);
	return &c->words;
}

/* low_of - the lower-case copy of the words at p */
static const char *
low_of(const struct mail_ctx *c, const char *p)
{
	return c->low.p + (p - c->words.p);
}

/* has_low - the n lower-case octets at s hold the word w */
static int
has_low(const char *s, size_t n, const char *w)
{
	return n > 0 && memmem(s, n, w, strlen(w)) != NULL;
}

/* marker - the first marker in n octets of c->low at s, or -1 */
static int
marker(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < NELEM(markers); i++)
		if (has_low(s, n, markers[i].phrase))
			return (int)i;
	return -1;
}

/* words_marker - the first marker in the words, or -1 */
static int
words_marker(struct mail_ctx *c)
{
	if (c->mk == 0)
		c->mk = (words(c)->len == 0 ? -1 : marker(c->low.p,
		    c->low.len)) + 2;
	return c->mk - 2;
}

/* mail_prose_bounce_like - sender, subject or words say bounce */
int
mail_prose_bounce_like(struct mail_ctx *c)
{
	return bounce_sender(c) || bounce_subject(c->subject) ||
	    c->report || (c->null_sender && c->orig.len > 0) ||
	    ((c->null_sender || c->auto_submitted) && words_marker(c) >= 0);
}

/* line_starts - the line at p starts (after blanks) with a table row */
static int
line_starts(const char *p, const char *q, const char *const *tab, size_t n)
{
	size_t i, k;

	while (p < q && (*p == ' ' || *p == '\t' || *p == '>'))
		p++;
	for (i = 0; i < n; i++) {
		k = strlen(tab[i]);
		if ((size_t)(q - p) >= k && strncasecmp(p, tab[i], k) == 0)
			return 1;
	}
	return 0;
}

/* line_has - the line (its lower-case copy lp, n octets) holds a row */
static int
line_has(const char *lp, size_t len, const char *const *tab, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (has_low(lp, len, tab[i]))
			return 1;
	return 0;
}

/* is_atext - an octet of an address's local part or domain */
static int
is_atext(int ch)
{
	return isalnum(ch) || ch >= 0x80 || strchr("!#$%&'*+-/=?^_`{|}~.",
	    ch) != NULL;
}

/* mail_addr_at - the address-looking token around s[at] */
int
mail_addr_at(const char *s, size_t n, size_t at, size_t *bp, size_t *ep)
{
	size_t b = at, e = at + 1, dot = 0;

	while (b > 0 && is_atext((unsigned char)s[b - 1]) && s[b - 1] != '/')
		b--;
	while (e < n && (isalnum((unsigned char)s[e]) || s[e] == '-' ||
	    s[e] == '.' || (unsigned char)s[e] >= 0x80)) {
		if (s[e] == '.')
			dot = e;
		e++;
	}
	while (e > at + 1 && s[e - 1] == '.')
		e--;
	while (b < at && s[b] == '.')
		b++;
	if (b == at || e <= at + 1 || dot == 0 || dot <= at + 1 ||
	    dot >= e - 1)
		return 0;
	/* A URL or a parameter ("?to=a@b", "http://a@b"), not an address. */
	if (b > 0 && (s[b - 1] == '=' || s[b - 1] == '/' || s[b - 1] == ':' ||
	    s[b - 1] == '@'))
		return 0;
	*bp = b;
	*ep = e;
	return 1;
}

/* same_addr - the n octets at a are the address s, ignoring case */
static int
same_addr(const char *a, size_t n, const char *s)
{
	return s != NULL && strlen(s) == n && strncasecmp(a, s, n) == 0;
}

/* role - the local part names a role */
static int
role(const char *a, size_t n)
{
	const char *at = memchr(a, '@', n);
	size_t i, k = at ? (size_t)(at - a) : n;

	for (i = 0; i < NELEM(nobody); i++)
		if (strlen(nobody[i]) == k && strncasecmp(a, nobody[i], k) == 0)
			return 1;
	return 0;
}

/* has_code - the n octets at s hold an SMTP reply or enhanced code */
static int
has_code(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i + 3 <= n; i++) {
		if (i > 0 && (isalnum((unsigned char)s[i - 1]) ||
		    s[i - 1] == '.'))
			continue;
		if ((s[i] == '4' || s[i] == '5') && i + 4 < n &&
		    s[i + 1] == '.' && isdigit((unsigned char)s[i + 2]))
			return 1;
		if ((s[i] == '4' || s[i] == '5') &&
		    isdigit((unsigned char)s[i + 1]) &&
		    isdigit((unsigned char)s[i + 2]) && (i + 3 == n ||
		    s[i + 3] == ' ' || s[i + 3] == '-'))
			return 1;
	}
	return 0;
}

/* The lines of the region read, with what each holds. */
struct line {
	const char *p, *q;
	int blank;
};

/* paragraph - the end of the paragraph that starts on line i */
static size_t
paragraph(const struct line *ln, size_t nl, size_t i)
{
	size_t j = i + 1;

	while (j < nl && !ln[j].blank)
		j++;
	return j;
}

/* join - lines [i, j) into b, each stripped, one space between */
static void
join(struct mail_buf *b, const struct line *ln, size_t i, size_t j,
    const char *from)
{
	const char *p, *q;

	for (; i < j; i++) {
		p = from != NULL ? from : ln[i].p;
		from = NULL;
		q = ln[i].q;
		while (p < q && (*p == ' ' || *p == '\t' || *p == '>' ||
		    *p == '<' || *p == ':' || *p == ','))
			p++;
		while (q > p && (q[-1] == ' ' || q[-1] == '\t' ||
		    q[-1] == '\r'))
			q--;
		if (q == p)
			continue;
		if (b->len > 0)
			mail_buf_add(b, " ", 1);
		mail_buf_add(b, p, (size_t)(q - p));
	}
}

/* Where a recipient was found. */
struct found {
	size_t line;
	const char *after;		/* the rest of its line */
	const char *before;		/* where the address starts */
};

/* known - classify's phrase table knows the words of b */
static int
known(const struct mail_buf *b)
{
	struct lw_classify_in in = { NULL, NULL, NULL, b->p };
	struct lw_classification cl;

	if (b->len == 0 || b->err)
		return 0;
	lw_classify(&in, &cl);
	return strncmp(cl.rule, "text-", 5) == 0;
}

/*
 * reply_paragraph - join into b the first paragraph from line i on that
 * holds a server's reply; 1 when there is one
 */
static int
reply_paragraph(struct mail_buf *b, const struct line *ln, size_t nl,
    size_t i)
{
	size_t k;

	for (; i < nl; i = k) {
		while (i < nl && ln[i].blank)
			i++;
		if (i >= nl)
			break;
		k = paragraph(ln, nl, i);
		if (has_code(ln[i].p, (size_t)(ln[k - 1].q - ln[i].p))) {
			join(b, ln, i, k, NULL);
			return 1;
		}
	}
	return 0;
}

/*
 * known_paragraph - into the empty t, the first paragraph from line i on
 * whose words classify's phrase table knows; t left empty when none is
 */
static void
known_paragraph(struct mail_buf *t, const struct line *ln, size_t nl,
    size_t i)
{
	size_t k;

	for (; i < nl; i = k) {
		while (i < nl && ln[i].blank)
			i++;
		if (i >= nl)
			break;
		k = paragraph(ln, nl, i);
		join(t, ln, i, k, NULL);
		if (known(t))
			return;
		t->len = 0;
	}
}

/*
 * diagnose - the diagnostic of the recipient found at f, its paragraph
 * ending at the next recipient's line (next) at the latest
 */
static char *
diagnose(const struct line *ln, size_t nl, const struct found *f,
    size_t next)
{
	struct mail_buf b = { 0 };
	size_t j = paragraph(ln, nl, f->line), i, k;
	char *out;

	/* Nothing past the next recipient's line is this one's. */
	if (next > f->line && next < nl)
		nl = next;
	if (j > nl)
		j = nl;
	/* Words before the address on its line are part of the reason
	 * ("User mailbox exceeds allowed size: a@b"), bullets apart. */
	if (f->before != NULL) {
		const char *p = ln[f->line].p, *q = f->before;

		while (q > p && (q[-1] == '<' || q[-1] == ' ' ||
		    q[-1] == '\t' || q[-1] == '"'))
			q--;
		for (; p < q && !isalpha((unsigned char)*p); p++)
			;
		if (q - p > 3) {
			mail_buf_add(&b, p, (size_t)(q - p));
		}
	}
	join(&b, ln, f->line, j, f->after);
	if (!has_code(b.p ? b.p : "", b.len)) {
		/* The server's reply further down, if it is there. */
		(void)reply_paragraph(&b, ln, nl, j);
		/* Else the first paragraph whose words classify knows. */
		if (!has_code(b.p ? b.p : "", b.len) && !known(&b)) {
			struct mail_buf t = { 0 };

			known_paragraph(&t, ln, nl, j);
			if (t.len > 0) {
				mail_buf_add(&b, " ", 1);
				mail_buf_add(&b, t.p, t.len);
			}
			mail_buf_free(&t);
		}
		/* Else the paragraph after it: the reason in words. */
		if (!has_code(b.p ? b.p : "", b.len) && !known(&b) &&
		    b.len < 200) {
			for (i = j; i < nl && ln[i].blank; i++)
				;
			if (i < nl) {
				k = paragraph(ln, nl, i);
				join(&b, ln, i, k, NULL);
				/* "because:" heads the reason below it. */
				if (ln[k - 1].q > ln[k - 1].p &&
				    ln[k - 1].q[-1] == ':') {
					for (i = k; i < nl && ln[i].blank; i++)
						;
					if (i < nl)
						join(&b, ln, i,
						    paragraph(ln, nl, i), NULL);
				}
			}
		}
	}
	if (b.err || b.len == 0) {
		mail_buf_free(&b);
		return NULL;
	}
	out = mail_strndup(b.p, b.len);
	mail_buf_free(&b);
	return out;
}

/* orig_sender - the returned message's From, to tell it from recipients */
static char *
orig_sender(struct mail_ctx *c)
{
	struct mail_buf b = { 0 };
	size_t i, s, e;
	char *out = NULL;

	if (c->orig.len > 0 && mail_field_get(c->orig.p, c->orig.len, "From",
	    &b) && b.p != NULL)
		for (i = 0; i < b.len; i++)
			if (b.p[i] == '@' && mail_addr_at(b.p, b.len, i, &s,
			    &e)) {
				out = mail_strndup(b.p + s, e - s);
				break;
			}
	mail_buf_free(&b);
	return out;
}

/* split_lines - the lines of the words (cut at the returned message) */
static size_t
split_lines(const char *p, size_t n, struct line **out)
{
	const char *end = p + n, *q;
	struct line *ln = NULL, *t;
	size_t nl = 0, cap = 0;

	while (p < end) {
		q = memchr(p, '\n', (size_t)(end - p));
		if (q == NULL)
			q = end;
		if (nl == cap) {
			cap = cap ? cap * 2 : 64;
			if ((t = realloc(ln, cap * sizeof(*t))) == NULL) {
				free(ln);
				*out = NULL;
				return (size_t)-1;
			}
			ln = t;
		}
		ln[nl].p = p;
		ln[nl].q = q > p && q[-1] == '\r' ? q - 1 : q;
		ln[nl].blank = 1;
		for (t = &ln[nl]; p < t->q; p++)
			if (*p != ' ' && *p != '\t')
				t->blank = 0;
		nl++;
		p = q < end ? q + 1 : end;
	}
	*out = ln;
	return nl;
}

/* strip_html - the text of an HTML body, tags dropped, entities kept */
static void
strip_html(const struct mail_buf *in, struct mail_buf *out)
{
	const char *p = in->p, *end = in->p + in->len, *tag;

	while (p < end) {
		if (*p != '<') {
			const char *q = memchr(p, '<', (size_t)(end - p));

			if (q == NULL)
				q = end;
			mail_buf_add(out, p, (size_t)(q - p));
			p = q;
			continue;
		}
		tag = p;
		if ((p = memchr(p, '>', (size_t)(end - p))) == NULL)
			break;
		p++;
		/* An address in angle brackets is text, not a tag. */
		if (memchr(tag, '@', (size_t)(p - tag)) != NULL &&
		    memchr(tag, ' ', (size_t)(p - tag)) == NULL &&
		    memchr(tag, '=', (size_t)(p - tag)) == NULL) {
			mail_buf_add(out, tag, (size_t)(p - tag));
			continue;
		}
		if (strncasecmp(tag, "<br", 3) == 0 ||
		    strncasecmp(tag, "<p", 2) == 0 ||
		    strncasecmp(tag, "</p", 3) == 0 ||
		    strncasecmp(tag, "<div", 4) == 0 ||
		    strncasecmp(tag, "<tr", 3) == 0 ||
		    strncasecmp(tag, "</tr", 4) == 0)
			mail_buf_add(out, "\n", 1);
	}
}

/* Phrases of a bounce that only reports a delay (lower case). */
static const char *const delays[] = {
	"have not yet been delivered", "has not yet been delivered",
	"has been delayed", "will be retried", "will continue trying",
	"delivery delayed", "still trying", "warning: could not send",
	"transient non-fatal errors",
};

/* mail_prose_action - "delayed" when the words report a delay only */
const char *
mail_prose_action(struct mail_ctx *c)
{
	size_t i;

	(void)words(c);
	for (i = 0; i < NELEM(delays); i++)
		if (has_low(c->low.p, c->low.len, delays[i]) ||
		    (c->subject != NULL && find_ci(c->subject,
		    strlen(c->subject), delays[i]) != NULL))
			return "delayed";
	return "failed";
}

/*
 * mail_prose_reason - the first paragraph of the bounce's words that
 * holds a server's reply, else its first paragraph after a marker, as a
 * new string; NULL when there is none (or no memory)
 */
char *
mail_prose_reason(struct mail_ctx *c)
{
	const struct mail_buf *t = words(c);
	struct mail_buf b = { 0 };
	struct line *ln = NULL;
	size_t nl, i, k;
	char *out = NULL;

	if (c->text.len == 0 || t->len == 0)
		return NULL;
	nl = split_lines(t->p, t->len, &ln);
	if (nl == (size_t)-1)
		return NULL;
	/* The first paragraph with a server's reply; none quoted, the
	 * first paragraph classify's phrases know. */
	(void)reply_paragraph(&b, ln, nl, 0);
	if (b.len == 0)
		known_paragraph(&b, ln, nl, 0);
	/* Else the paragraph of the first marker, else the first
	 * paragraph that is not a greeting. */
	for (i = 0; b.len == 0 && i < nl; i = k) {
		while (i < nl && ln[i].blank)
			i++;
		if (i >= nl)
			break;
		k = paragraph(ln, nl, i);
		if (marker(low_of(c, ln[i].p), (size_t)(ln[k - 1].q -
		    ln[i].p)) >= 0 ||
		    (k - i > 1 && ln[i].q[-1] != ','))
			join(&b, ln, i, k, NULL);
	}
	if (b.len > 0 && !b.err)
		out = mail_strndup(b.p, b.len);
	mail_buf_free(&b);
	free(ln);
	return out;
}

/* Lines that sum up the returned message: weaker than the rest. */
static const char *const summary[] = {
	"to:", "cc:", "bcc:", "from:", "subject:", "sent:", "date:",
};

/* An address found on a line, and how much it is to be believed. */
struct cand {
	size_t line, b, e;		/* the line, and the address in it */
	int rank;			/* RANK_*: lower is believed first */
};

enum {
	RANK_FAILED,		/* named by X-Failed-Recipients too */
	RANK_TEXT,		/* in the bounce's own words */
	RANK_SUMMARY,		/* on a line that sums up the original */
	RANK_SENDER,		/* the bounce's own From or To, the sender */
	RANK_NONE
};

/* in_list - the n octets at a are one of the addresses of list */
static int
in_list(const char *list, const char *a, size_t n)
{
	size_t len, i, b, e;

	if (list == NULL)
		return 0;
	len = strlen(list);
	for (i = 0; i < len; i++)
		if (list[i] == '@' && mail_addr_at(list, len, i, &b, &e)) {
			if (e - b == n && strncasecmp(list + b, a, n) == 0)
				return 1;
			i = e;
		}
	return 0;
}

/*
 * line_pick - the address of line i a bounce most likely reports: one in
 * angle brackets before a bare one ("name@x <addr@y>: ..."); 1 with *cd
 * filled, 0 when the line holds none worth taking
 */
static int
line_pick(const struct mail_ctx *c, const char *sender, const struct line *l,
    size_t i, const struct mail_buf *contacts, struct cand *cd)
{
	const char *p = l->p;
	size_t n = (size_t)(l->q - p), a, b, e;
	int rank, found = 0, summ;

	if (l->blank || line_has(low_of(c, p), n, skip, NELEM(skip)))
		return 0;
	summ = line_starts(p, l->q, summary, NELEM(summary));
	for (a = 0; a < n; a++) {
		if (p[a] != '@' || !mail_addr_at(p, n, a, &b, &e))
			continue;
		if (role(p + b, e - b) || (contacts->len > 0 &&
		    in_list(contacts->p, p + b, e - b))) {
			a = e;
			continue;
		}
		rank = summ ? RANK_SUMMARY : RANK_TEXT;
		if (same_addr(p + b, e - b, c->from) ||
		    same_addr(p + b, e - b, c->to) ||
		    same_addr(p + b, e - b, sender))
			rank = RANK_SENDER;
		if (!found || rank < cd->rank || (rank == cd->rank &&
		    b > 0 && p[b - 1] == '<' && (cd->b == 0 ||
		    p[cd->b - 1] != '<'))) {
			cd->line = i;
			cd->b = b;
			cd->e = e;
			cd->rank = rank;
			found = 1;
		}
		a = e;
	}
	return found;
}

/* same_span - two candidates are the same address */
static int
same_span(const struct line *ln, const struct cand *x, const struct cand *y)
{
	return x->e - x->b == y->e - y->b && strncasecmp(ln[x->line].p +
	    x->b, ln[y->line].p + y->b, x->e - x->b) == 0;
}

/* cand_rcpt - the outcome of a candidate: new, or the DSN's own */
static struct lw_mail_rcpt *
cand_rcpt(struct lw_mail *m, const struct line *ln, const struct cand *cd,
    int add)
{
	const char *a = ln[cd->line].p + cd->b;
	size_t n = cd->e - cd->b, k;

	for (k = 0; k < m->nrcpt; k++)
		if (same_addr(a, n, m->rcpt[k].recipient))
			return &m->rcpt[k];
	return add ? mail_add_rcpt(m, a, n) : NULL;
}

/* mail_prose - recipients and reasons from a bounce's words */
int
mail_prose(struct mail_ctx *c, struct lw_mail *m)
{
	const struct mail_buf *t = words(c);
	struct mail_buf contacts = { 0 };
	struct cand *cs = NULL, cd;
	struct line *ln = NULL;
	char *sender = NULL;
	size_t nl, i, k, nc = 0, next, b, e;
	struct lw_mail_rcpt *r;
	int mk, dsn = m->nrcpt > 0, err = LW_OK, best = RANK_NONE;
	const char *failed = c->failed_rcpts;

	mk = words_marker(c);
	/*
	 * A bounce's words need a bounce's envelope: a bounce agent's From,
	 * a null or daemon Return-Path, a report, an automatic message, or
	 * X-Failed-Recipients; and, without a marker in the words, more
	 * than a bounce subject alone (a person writes "Re: undeliverable").
	 */
	if (!dsn && failed == NULL && ((mk < 0 &&
	    !mail_prose_bounce_like(c)) || (!bounce_sender(c) &&
	    !c->null_sender && !c->report && (mk < 0 ||
	    (!c->auto_submitted && !bounce_subject(c->subject))))))
		return 0;
	if (!dsn)
		m->how = mk >= 0 ? markers[mk].how : "bounce";
	nl = t->len > 0 ? split_lines(t->p, t->len, &ln) : 0;
	if (nl == (size_t)-1)
		return LW_ENOMEM;
	sender = orig_sender(c);
	if (nl > 0 && (cs = calloc(nl, sizeof(*cs))) == NULL)
		err = LW_ENOMEM;
	/*
	 * The addresses given to contact ("please contact <a@b>"): not
	 * recipients, wherever else they appear (a translation below).
	 */
	for (i = 0; i < nl; i++) {
		const char *p = ln[i].p;
		size_t n = (size_t)(ln[i].q - p), a;

		if (ln[i].blank || !line_has(low_of(c, p), n, skip,
		    NELEM(skip)))
			continue;
		for (a = 0; a < n; a++)
			if (p[a] == '@' && mail_addr_at(p, n, a, &b, &e)) {
				mail_buf_add(&contacts, p + b, e - b);
				mail_buf_add(&contacts, " ", 1);
				a = e;
			}
	}
	/* Pass 1: each line's likeliest address, and the best rank seen. */
	for (i = 0; err == LW_OK && i < nl; i++)
		if (line_pick(c, sender, &ln[i], i, &contacts, &cd)) {
			/*
			 * A DSN names its recipients, and Exim's
			 * X-Failed-Recipients does: only theirs count.
			 */
			if (dsn && cand_rcpt(m, ln, &cd, 0) == NULL)
				continue;
			/*
			 * Exim's X-Failed-Recipients: an address it names
			 * is believed over any other.
			 */
			if (!dsn && failed != NULL && in_list(failed,
			    ln[i].p + cd.b, cd.e - cd.b))
				cd.rank = RANK_FAILED;
			else if (dsn)
				cd.rank = RANK_TEXT;
			cs[nc++] = cd;
			if (cd.rank < best)
				best = cd.rank;
		}
	/* The sender's own address only: the header's list comes first. */
	if (best == RANK_SENDER && failed != NULL && !dsn)
		best = RANK_NONE;
	/* Pass 2: the candidates of the best rank, each with its words. */
	for (i = 0; err == LW_OK && i < nc; i++) {
		if (cs[i].rank != best)
			continue;
		if ((r = cand_rcpt(m, ln, &cs[i], 1)) == NULL) {
			if (m->nrcpt < LW_MAIL_RCPT_MAX)
				err = LW_ENOMEM;
			break;
		}
		if (r->context != NULL)
			continue;	/* its first mention says most */
		/*
		 * Named only where the returned message is summed up
		 * ("To: a@b"), or as the bounce's own address: that
		 * paragraph says nothing of why; the bounce's reason does.
		 */
		if (best >= RANK_SUMMARY) {
			if (r->diagnostic == NULL &&
			    (r->diagnostic = mail_prose_reason(c)) != NULL &&
			    (r->context = mail_strndup(r->diagnostic,
			    strlen(r->diagnostic))) == NULL)
				err = LW_ENOMEM;
			continue;
		}
		for (k = i + 1, next = nl; k < nc; k++)
			if (cs[k].rank == best && cs[k].line > cs[i].line &&
			    !same_span(ln, &cs[k], &cs[i])) {
				next = cs[k].line;
				break;
			}
		{
			struct found f = { cs[i].line,
			    ln[cs[i].line].p + cs[i].e,
			    ln[cs[i].line].p + cs[i].b };

			while (f.after < ln[f.line].q && *f.after == '>')
				f.after++;
			r->context = diagnose(ln, nl, &f, next);
		}
		if (r->diagnostic == NULL && r->context != NULL &&
		    (r->diagnostic = mail_strndup(r->context,
		    strlen(r->context))) == NULL)
			err = LW_ENOMEM;
	}
	/* Exim names the failed recipients in a header too. */
	if (err == LW_OK && !dsn && failed != NULL && best == RANK_NONE) {
		size_t fl = strlen(failed);

		for (i = 0; i < fl; i++)
			if (failed[i] == '@' && mail_addr_at(failed, fl, i, &b,
			    &e)) {
				if (mail_add_rcpt(m, failed + b, e - b) == NULL)
					break;
				i = e;
			}
	}
	if (contacts.err)
		err = LW_ENOMEM;
	mail_buf_free(&contacts);
	free(cs);
	free(ln);
	free(sender);
	return err != LW_OK ? err : 1;
}
