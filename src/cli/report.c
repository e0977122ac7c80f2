/*
 * report.c - listwarden report: what came back, and what to fix
 *
 * NAME
 *	report - the morning after a campaign, from the store
 *
 * SYNOPSIS
 *	listwarden report [--since TIME] [--until TIME] [--json]
 *	    [--html FILE]
 *
 * DESCRIPTION
 *	Reads the events dated in the period (by default all of them; TIME
 *	as ingest reads timestamps, --until excluded) and the suppressions
 *	made in it, and prints, in this order:
 *
 *	  the events by class;
 *	  the suppressions made in the period, by reason;
 *	  the sender-side problems first: each kind of the policy and
 *	  technical events (relay-denied, dmarc-failed, blocklisted,
 *	  rate-limited ...), most frequent first, with its count, the
 *	  addresses it hit, the receiving domains most affected, one
 *	  example diagnostic (the latest) and the catalogue's advice;
 *	  then the soft bounces by receiving domain.
 *
 *	An event's kind is the one ingest recorded with it, else the one
 *	lw_kind_of() finds from its codes and words (events stored before
 *	kinds were).  --json prints the same as one JSON object; --html
 *	FILE writes it as one self-contained HTML page (no script, nothing
 *	fetched: the bar charts are inline SVG), written atomically.
 *
 * EXIT STATUS
 *	0, 2 for usage, 4 and 5 for a store that cannot be read.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "listwarden.h"
#include "cli.h"

/* Most domains listed per kind, and in the soft table. */
#define TOP_DOMAINS	3
#define TOP_SOFT	10

/* A count by receiving domain (an open hash table). */
struct dom {
	char *name;
	unsigned long count, addresses;
	char *last_subject;		/* to count distinct addresses */
};

struct doms {
	struct dom *v;
	size_t n, cap;
};

/* One kind's tally. */
struct tally {
	unsigned long count, addresses;
	enum lw_class cls;
	struct doms doms;
	char *example;			/* the latest diagnostic */
	int64_t example_time;
	char *last_subject;
};

struct report {
	struct cli *cli;
	int64_t since, until;
	unsigned long events, by_class[LW_CLASS_COUNT];
	unsigned long suppressed[LW_SUPPRESS_REASON_COUNT];
	struct tally kinds[LW_KIND_COUNT];
	struct doms soft;
	int failed;			/* out of memory */
};

/* hash - FNV-1a of a string */
static size_t
hash(const char *s)
{
	size_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* dom_get - the entry for name, added when new; NULL on ENOMEM */
static struct dom *
dom_get(struct doms *d, const char *name)
{
	struct dom *nv;
	size_t i, j, ncap;

	if (d->n * 2 >= d->cap) {
		ncap = d->cap ? d->cap * 2 : 64;
		if ((nv = calloc(ncap, sizeof(*nv))) == NULL)
			return NULL;
		for (i = 0; i < d->cap; i++) {
			if (d->v[i].name == NULL)
				continue;
			for (j = hash(d->v[i].name) & (ncap - 1); nv[j].name;
			    j = (j + 1) & (ncap - 1))
				;
			nv[j] = d->v[i];
		}
		free(d->v);
		d->v = nv;
		d->cap = ncap;
	}
	for (j = hash(name) & (d->cap - 1); d->v[j].name != NULL;
	    j = (j + 1) & (d->cap - 1))
		if (strcmp(d->v[j].name, name) == 0)
			return &d->v[j];
	if ((d->v[j].name = strdup(name)) == NULL)
		return NULL;
	d->n++;
	return &d->v[j];
}

/* doms_free - the table's memory */
static void
doms_free(struct doms *d)
{
	size_t i;

	for (i = 0; i < d->cap; i++) {
		free(d->v[i].name);
		free(d->v[i].last_subject);
	}
	free(d->v);
	memset(d, 0, sizeof(*d));
}

/* by_count - for qsort: most first, then by name */
static int
by_count(const void *pa, const void *pb)
{
	const struct dom *a = pa, *b = pb;

	if (a->name == NULL || b->name == NULL)
		return (a->name == NULL) - (b->name == NULL);
	if (a->count != b->count)
		return a->count < b->count ? 1 : -1;
	return strcmp(a->name, b->name);
}

/* doms_sort - the entries, most first, packed at the front */
static void
doms_sort(struct doms *d)
{
	if (d->cap > 0)
		qsort(d->v, d->cap, sizeof(*d->v), by_count);
}

/* new_subject - count an address once per table: events come by subject */
static int
new_subject(char **last, const char *subject)
{
	if (*last != NULL && strcmp(*last, subject) == 0)
		return 0;
	free(*last);
	*last = strdup(subject);
	return 1;
}

/* class_of - the class an event kind stands for */
static enum lw_class
class_of(enum lw_event_kind k)
{
	switch (k) {
	case LW_EVENT_HARD:
		return LW_CLASS_HARD;
	case LW_EVENT_SOFT:
	case LW_EVENT_SOFT_LIMIT:
		return LW_CLASS_SOFT;
	case LW_EVENT_TECHNICAL:
		return LW_CLASS_TECHNICAL;
	case LW_EVENT_POLICY:
		return LW_CLASS_POLICY;
	case LW_EVENT_COMPLAINT:
		return LW_CLASS_COMPLAINT;
	case LW_EVENT_UNSUBSCRIBE:
		return LW_CLASS_UNSUBSCRIBE;
	case LW_EVENT_DELIVERED:
		return LW_CLASS_DELIVERED;
	case LW_EVENT_AUTO_REPLY:
		return LW_CLASS_AUTO_REPLY;
	default:
		return LW_CLASS_UNKNOWN;
	}
}

/* count_domain - one event of subject in table d */
static int
count_domain(struct doms *d, const char *subject)
{
	const char *at = strrchr(subject, '@');
	struct dom *e;

	if (at == NULL || at[1] == '\0')
		return 0;
	if ((e = dom_get(d, at + 1)) == NULL)
		return -1;
	e->count++;
	if (new_subject(&e->last_subject, subject))
		e->addresses++;
	return 0;
}

/* on_event - tally one event of the period */
static int
on_event(void *arg, const struct lw_log_event *e)
{
	struct report *r = arg;
	enum lw_class cls;
	struct tally *t;
	int k;
	char reply[8];

	/* Manual actions and domain rules are the sender's, not replies. */
	if (e->kind == LW_EVENT_ALLOW || e->kind == LW_EVENT_DISALLOW ||
	    e->kind == LW_EVENT_SUPPRESS || e->kind == LW_EVENT_UNSUPPRESS ||
	    e->subject[0] == '@' || e->subject[0] == '*')
		return 0;
	cls = class_of(e->kind);
	r->events++;
	r->by_class[cls]++;
	if ((k = lw_kind_parse(e->error_kind)) < 0) {
		struct lw_classify_in in;

		snprintf(reply, sizeof(reply), "%u", e->reply);
		memset(&in, 0, sizeof(in));
		in.status = e->status;
		in.reply = e->reply ? reply : NULL;
		in.text = e->diagnostic;
		k = (int)lw_kind_of(&in, cls, e->rule);
	}
	t = &r->kinds[k];
	if (t->count == 0)
		t->cls = cls;
	t->count++;
	if (new_subject(&t->last_subject, e->subject))
		t->addresses++;
	if (e->diagnostic[0] != '\0' && (t->example == NULL ||
	    e->time >= t->example_time)) {
		free(t->example);
		t->example = strdup(e->diagnostic);
		t->example_time = e->time;
	}
	if (count_domain(&t->doms, e->subject) < 0)
		return LW_ENOMEM;
	if (cls == LW_CLASS_SOFT && count_domain(&r->soft, e->subject) < 0)
		return LW_ENOMEM;
	return 0;
}

/* on_suppression - count one made in the period */
static int
on_suppression(void *arg, const struct lw_suppression *sp)
{
	struct report *r = arg;

	if (sp->since >= r->since && sp->since < r->until &&
	    (unsigned)sp->reason < LW_SUPPRESS_REASON_COUNT)
		r->suppressed[sp->reason]++;
	return 0;
}

/* problem - a kind the sender has to act on: policy and technical */
static int
problem(const struct report *r, int k)
{
	const struct lw_kind_info *ki = lw_kind_info((enum lw_kind)k);

	return r->kinds[k].count > 0 && (ki->cls == LW_CLASS_POLICY ||
	    ki->cls == LW_CLASS_TECHNICAL || r->kinds[k].cls ==
	    LW_CLASS_POLICY || r->kinds[k].cls == LW_CLASS_TECHNICAL);
}

/* order - the kinds of problems, most frequent first, into ks */
static int
order(const struct report *r, int ks[LW_KIND_COUNT])
{
	int n = 0, i, j, t;

	for (i = 0; i < LW_KIND_COUNT; i++)
		if (problem(r, i))
			ks[n++] = i;
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && r->kinds[ks[j]].count >
		    r->kinds[ks[j - 1]].count; j--) {
			t = ks[j];
			ks[j] = ks[j - 1];
			ks[j - 1] = t;
		}
	return n;
}

/* period - the period in words, into buf */
static const char *
period(const struct report *r, char *buf, size_t size)
{
	char a[CLI_TIME_MAX], b[CLI_TIME_MAX];

	if (r->since == INT64_MIN && r->until == INT64_MAX)
		snprintf(buf, size, "all events");
	else if (r->until == INT64_MAX)
		snprintf(buf, size, "since %s", cli_format_time(r->since, a));
	else if (r->since == INT64_MIN)
		snprintf(buf, size, "until %s", cli_format_time(r->until, b));
	else
		snprintf(buf, size, "%s to %s", cli_format_time(r->since, a),
		    cli_format_time(r->until, b));
	return buf;
}

/* print_text - the report for a person at a terminal */
static void
print_text(const struct report *r, FILE *fp)
{
	int ks[LW_KIND_COUNT], n, i, c;
	unsigned long total = 0;
	size_t d;
	char buf[128];

	fprintf(fp, "report: %s, %lu events\n", period(r, buf, sizeof(buf)),
	    r->events);
	for (c = 0; c < LW_CLASS_COUNT; c++)
		if (r->by_class[c] > 0)
			fprintf(fp, "  %-22s %lu\n", lw_class_name(
			    (enum lw_class)c), r->by_class[c]);
	for (c = 1; c < LW_SUPPRESS_REASON_COUNT; c++)
		total += r->suppressed[c];
	fprintf(fp, "\nsuppressed in the period: %lu\n", total);
	for (c = 1; c < LW_SUPPRESS_REASON_COUNT; c++)
		if (r->suppressed[c] > 0)
			fprintf(fp, "  %-22s %lu\n", lw_suppress_reason_name(
			    (enum lw_suppress_reason)c), r->suppressed[c]);
	n = order(r, ks);
	fprintf(fp, "\nto fix on the sending side: %d kind%s\n", n,
	    n == 1 ? "" : "s");
	for (i = 0; i < n; i++) {
		const struct tally *t = &r->kinds[ks[i]];

		fprintf(fp, "\n  %s (%s): %lu event%s, %lu address%s\n",
		    lw_kind_name((enum lw_kind)ks[i]), lw_class_name(t->cls),
		    t->count, t->count == 1 ? "" : "s", t->addresses,
		    t->addresses == 1 ? "" : "es");
		fputs("    domains:", fp);
		for (d = 0; d < t->doms.cap && d < TOP_DOMAINS &&
		    t->doms.v[d].name != NULL; d++)
			fprintf(fp, "%s %s (%lu)", d ? "," : "",
			    t->doms.v[d].name, t->doms.v[d].count);
		fputc('\n', fp);
		if (t->example != NULL)
			fprintf(fp, "    example: %s\n", t->example);
		fprintf(fp, "    advice:  %s\n",
		    lw_kind_info((enum lw_kind)ks[i])->advice);
	}
	fprintf(fp, "\nsoft bounces by domain: %lu\n",
	    r->by_class[LW_CLASS_SOFT]);
	for (d = 0; d < r->soft.cap && d < TOP_SOFT &&
	    r->soft.v[d].name != NULL; d++)
		fprintf(fp, "  %-30s %lu (%lu address%s)\n", r->soft.v[d].name,
		    r->soft.v[d].count, r->soft.v[d].addresses,
		    r->soft.v[d].addresses == 1 ? "" : "es");
}

/* jstr - a JSON string, or null */
static void
jstr(FILE *fp, const char *s)
{
	if (s == NULL)
		fputs("null", fp);
	else
		emit_json_string(fp, s, strlen(s));
}

/* jtime - a time as a JSON string, or null at the open ends */
static void
jtime(FILE *fp, int64_t t)
{
	char b[CLI_TIME_MAX];

	if (t == INT64_MIN || t == INT64_MAX)
		fputs("null", fp);
	else
		fprintf(fp, "\"%s\"", cli_format_time(t, b));
}

/* print_json - the report as one object */
static void
print_json(const struct report *r, FILE *fp)
{
	int ks[LW_KIND_COUNT], n, i, c;
	size_t d;

	fputs("{\"since\":", fp);
	jtime(fp, r->since);
	fputs(",\"until\":", fp);
	jtime(fp, r->until);
	fprintf(fp, ",\"events\":%lu,\"by_class\":{", r->events);
	for (c = 0; c < LW_CLASS_COUNT; c++)
		fprintf(fp, "%s\"%s\":%lu", c ? "," : "",
		    lw_class_name((enum lw_class)c), r->by_class[c]);
	fputs("},\"suppressed\":{", fp);
	for (c = 1; c < LW_SUPPRESS_REASON_COUNT; c++)
		fprintf(fp, "%s\"%s\":%lu", c > 1 ? "," : "",
		    lw_suppress_reason_name((enum lw_suppress_reason)c),
		    r->suppressed[c]);
	fputs("},\"problems\":[", fp);
	n = order(r, ks);
	for (i = 0; i < n; i++) {
		const struct tally *t = &r->kinds[ks[i]];

		fprintf(fp, "%s{\"kind\":\"%s\",\"class\":\"%s\",\"count\":%lu,"
		    "\"addresses\":%lu,\"domains\":[", i ? "," : "",
		    lw_kind_name((enum lw_kind)ks[i]), lw_class_name(t->cls),
		    t->count, t->addresses);
		for (d = 0; d < t->doms.cap && d < TOP_DOMAINS &&
		    t->doms.v[d].name != NULL; d++) {
			fprintf(fp, "%s{\"domain\":", d ? "," : "");
			jstr(fp, t->doms.v[d].name);
			fprintf(fp, ",\"count\":%lu}", t->doms.v[d].count);
		}
		fputs("],\"example\":", fp);
		jstr(fp, t->example);
		fputs(",\"advice\":", fp);
		jstr(fp, lw_kind_info((enum lw_kind)ks[i])->advice);
		fputc('}', fp);
	}
	fputs("],\"soft_by_domain\":[", fp);
	for (d = 0; d < r->soft.cap && d < TOP_SOFT &&
	    r->soft.v[d].name != NULL; d++) {
		fprintf(fp, "%s{\"domain\":", d ? "," : "");
		jstr(fp, r->soft.v[d].name);
		fprintf(fp, ",\"count\":%lu,\"addresses\":%lu}",
		    r->soft.v[d].count, r->soft.v[d].addresses);
	}
	fputs("]}\n", fp);
}

/* html - text with &, <, > and " escaped */
static void
html(FILE *fp, const char *s)
{
	for (; s != NULL && *s; s++)
		switch (*s) {
		case '&':
			fputs("&amp;", fp);
			break;
		case '<':
			fputs("&lt;", fp);
			break;
		case '>':
			fputs("&gt;", fp);
			break;
		case '"':
			fputs("&quot;", fp);
			break;
		default:
			fputc(*s, fp);
		}
}

/*
 * bars - an inline SVG bar chart of n labelled counts, the longest bar
 * the largest count; id names it for the page's own links and tests
 */
static void
bars(FILE *fp, const char *id, const char *title, const char *const *labels,
    const unsigned long *counts, int n)
{
	unsigned long max = 1;
	int i, h = 24 * n + 8;

	for (i = 0; i < n; i++)
		if (counts[i] > max)
			max = counts[i];
	fprintf(fp, "<figure><svg id=\"%s\" class=\"chart\" role=\"img\" "
	    "width=\"640\" height=\"%d\" viewBox=\"0 0 640 %d\" "
	    "xmlns=\"http://www.w3.org/2000/svg\"><title>", id, h, h);
	html(fp, title);
	fputs("</title>\n", fp);
	for (i = 0; i < n; i++) {
		int w = (int)(360.0 * (double)counts[i] / (double)max + 0.5);

		fprintf(fp, "<text x=\"210\" y=\"%d\" text-anchor=\"end\">",
		    24 * i + 20);
		html(fp, labels[i]);
		fprintf(fp, "</text><rect class=\"bar\" x=\"220\" y=\"%d\" "
		    "width=\"%d\" height=\"18\"/><text x=\"%d\" y=\"%d\">%lu"
		    "</text>\n", 24 * i + 6, w > 0 ? w : 1, 226 + w,
		    24 * i + 20, counts[i]);
	}
	fputs("</svg><figcaption>", fp);
	html(fp, title);
	fputs("</figcaption></figure>\n", fp);
}

/* print_html - the report as one self-contained page */
static void
print_html(const struct report *r, FILE *fp)
{
	const char *labels[LW_KIND_COUNT > TOP_SOFT ? LW_KIND_COUNT : TOP_SOFT];
	unsigned long counts[LW_KIND_COUNT > TOP_SOFT ? LW_KIND_COUNT :
	    TOP_SOFT];
	int ks[LW_KIND_COUNT], n, i, c, m;
	char buf[128], id[64];
	size_t d;

	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	    "<title>listwarden report</title>\n<style>\n"
	    "body{font-family:sans-serif;margin:2em;max-width:60em;color:#222}"
	    "\ntable{border-collapse:collapse}td,th{padding:.2em .8em;"
	    "text-align:left;border-bottom:1px solid #ddd}\n"
	    ".chart text{font-size:13px;fill:#222}.bar{fill:#3b6ea5}\n"
	    ".problem{border-left:4px solid #c0392b;padding-left:1em;"
	    "margin:1.5em 0}.advice{background:#f4f7fb;padding:.5em}\n"
	    "code{font-size:90%;word-break:break-all}\n"
	    "</style></head><body>\n<h1>What came back</h1>\n<p>", fp);
	html(fp, period(r, buf, sizeof(buf)));
	fprintf(fp, ": %lu events.</p>\n<h2>Events by class</h2>\n", r->events);
	for (c = m = 0; c < LW_CLASS_COUNT; c++)
		if (r->by_class[c] > 0) {
			labels[m] = lw_class_name((enum lw_class)c);
			counts[m++] = r->by_class[c];
		}
	bars(fp, "chart-classes", "events by class", labels, counts, m);
	fputs("<h2>Suppressed in the period</h2>\n<table>\n", fp);
	for (c = 1; c < LW_SUPPRESS_REASON_COUNT; c++)
		fprintf(fp, "<tr><th>%s</th><td>%lu</td></tr>\n",
		    lw_suppress_reason_name((enum lw_suppress_reason)c),
		    r->suppressed[c]);
	fputs("</table>\n<h2>To fix on the sending side</h2>\n", fp);
	n = order(r, ks);
	for (i = 0; i < n; i++) {
		labels[i] = lw_kind_name((enum lw_kind)ks[i]);
		counts[i] = r->kinds[ks[i]].count;
	}
	if (n > 0)
		bars(fp, "chart-kinds", "events by kind", labels, counts, n);
	else
		fputs("<p>Nothing: no policy or technical failures.</p>\n", fp);
	for (i = 0; i < n; i++) {
		const struct tally *t = &r->kinds[ks[i]];

		fprintf(fp, "<section class=\"problem\" id=\"kind-%s\"><h3>%s "
		    "<small>(%s)</small></h3>\n<p>%lu event%s, %lu address%s"
		    "</p>\n", lw_kind_name((enum lw_kind)ks[i]),
		    lw_kind_name((enum lw_kind)ks[i]), lw_class_name(t->cls),
		    t->count, t->count == 1 ? "" : "s", t->addresses,
		    t->addresses == 1 ? "" : "es");
		for (d = m = 0; d < t->doms.cap && d < TOP_DOMAINS &&
		    t->doms.v[d].name != NULL; d++, m++) {
			labels[m] = t->doms.v[d].name;
			counts[m] = t->doms.v[d].count;
		}
		snprintf(id, sizeof(id), "chart-domains-%s",
		    lw_kind_name((enum lw_kind)ks[i]));
		if (m > 0)
			bars(fp, id, "receiving domains", labels, counts, m);
		if (t->example != NULL) {
			fputs("<p>Example: <code>", fp);
			html(fp, t->example);
			fputs("</code></p>\n", fp);
		}
		fputs("<p class=\"advice\">", fp);
		html(fp, lw_kind_info((enum lw_kind)ks[i])->advice);
		fputs("</p></section>\n", fp);
	}
	fputs("<h2>Soft bounces by domain</h2>\n", fp);
	for (d = m = 0; d < r->soft.cap && d < TOP_SOFT &&
	    r->soft.v[d].name != NULL; d++, m++) {
		labels[m] = r->soft.v[d].name;
		counts[m] = r->soft.v[d].count;
	}
	if (m > 0)
		bars(fp, "chart-soft", "soft bounces by domain", labels, counts,
		    m);
	else
		fputs("<p>None.</p>\n", fp);
	fputs("<footer><p>Written by listwarden.</p></footer>\n</body></html>\n",
	    fp);
}

/* report_free - what the tallies hold */
static void
report_free(struct report *r)
{
	int k;

	for (k = 0; k < LW_KIND_COUNT; k++) {
		doms_free(&r->kinds[k].doms);
		free(r->kinds[k].example);
		free(r->kinds[k].last_subject);
	}
	doms_free(&r->soft);
}

/* cmd_report - the report command */
int
cmd_report(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "since", required_argument, NULL, 's' },
		{ "until", required_argument, NULL, 'u' },
		{ "json", no_argument, NULL, 'j' },
		{ "html", required_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct report r;
	struct lw_store *s = NULL;
	struct lw_view *v = NULL;
	struct cli_out out;
	const char *html_path = NULL;
	int opt, json = 0, status, err, k;

	memset(&r, 0, sizeof(r));
	r.cli = cli;
	r.since = INT64_MIN;
	r.until = INT64_MAX;
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 's':
		case 'u':
			if (lw_time_parse(optarg, opt == 's' ? &r.since :
			    &r.until) != 0)
				return cli_usage_error(cli, "--%s takes an RFC "
				    "3339 or RFC 5322 time, or Unix seconds",
				    opt == 's' ? "since" : "until");
			break;
		case 'j':
			json = 1;
			break;
		case 'H':
			html_path = optarg;
			break;
		case 'h':
			return cli_print_usage(cli);
		default:
			return cli_option_error(cli, opt, argv);
		}
	}
	if (optind != argc)
		return cli_usage_error(cli, "report takes no arguments but its "
		    "options");
	if (r.since >= r.until)
		return cli_usage_error(cli, "--since must come before --until");
	if ((status = cli_open_store(cli, LW_STORE_RDONLY, &s)) != 0)
		return status;
	if ((err = lw_view_begin(s, (int64_t)time(NULL), &v)) != LW_OK ||
	    (err = lw_view_all_events(v, r.since, r.until, on_event,
	    &r)) != LW_OK ||
	    (err = lw_view_suppressions(v, 0, on_suppression, &r)) != LW_OK) {
		cli_error(cli, "%s: %s", cli->db_path, lw_strerror(err));
		status = cli_exit_for(err);
		goto out;
	}
	for (k = 0; k < LW_KIND_COUNT; k++)
		doms_sort(&r.kinds[k].doms);
	doms_sort(&r.soft);
	if (html_path != NULL) {
		if ((status = cli_out_open(cli, html_path, &out)) != 0)
			goto out;
		print_html(&r, out.fp);
		if ((status = cli_out_close(cli, &out, 1)) != 0)
			goto out;
	}
	if (json)
		print_json(&r, stdout);
	else if (html_path == NULL || strcmp(html_path, "-") != 0)
		print_text(&r, stdout);
	status = LW_EXIT_OK;
out:
	lw_view_end(v);
	lw_store_close(s);
	report_free(&r);
	return status;
}
