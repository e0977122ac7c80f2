/*
 * stats.c - listwarden stats: what the store holds
 *
 * NAME
 *	stats - addresses, lists, rows, events, suppressions, size, schema
 *
 * DESCRIPTION
 *	Counts the suppressed addresses by reason (those with events, and
 *	those of the lists that a domain rule suppresses), and lists the
 *	domains with the most policy bounces: rejections for the sender's
 *	authentication, reputation or content, which no suppression fixes.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "listwarden.h"
#include "cli.h"

#define TOP_DOMAINS	10

struct domain_count {
	char *domain;
	uint64_t n;
};

struct tally {
	unsigned long by_reason[LW_SUPPRESS_REASON_COUNT];
	unsigned long suppressed, rules, rules_suppressing;
	struct domain_count *slots;	/* open addressing */
	size_t cap, n;
	int nomem;
};

/* domain_add - n policy events more at domain */
static void
domain_add(struct tally *t, const char *domain, size_t len, uint64_t n)
{
	struct domain_count *old = t->slots;
	size_t oldcap = t->cap, i;
	uint64_t h = 14695981039346656037ull;

	if (t->n * 2 >= t->cap) {
		t->cap = t->cap ? t->cap * 2 : 256;
		if ((t->slots = calloc(t->cap, sizeof(*t->slots))) == NULL) {
			t->slots = old;
			t->cap = oldcap;
			t->nomem = 1;
			return;
		}
		t->n = 0;
		for (i = 0; i < oldcap; i++)
			if (old[i].domain != NULL) {
				domain_add(t, old[i].domain,
				    strlen(old[i].domain), old[i].n);
				free(old[i].domain);
			}
		free(old);
	}
	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)domain[i]) * 1099511628211ull;
	for (i = h & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
		if (t->slots[i].domain == NULL)
			break;
		if (strlen(t->slots[i].domain) == len &&
		    memcmp(t->slots[i].domain, domain, len) == 0) {
			t->slots[i].n += n;
			return;
		}
	}
	if ((t->slots[i].domain = strndup(domain, len)) == NULL) {
		t->nomem = 1;
		return;
	}
	t->slots[i].n = n;
	t->n++;
}

/* on_subject - an address with events, or a domain rule */
static int
on_subject(void *arg, const char *key, size_t key_len,
    const struct lw_verdict *vd)
{
	struct tally *t = arg;
	const char *at;

	if (key_len > 0 && (key[0] == '@' || key[0] == '*')) {
		t->rules++;
		t->rules_suppressing += vd->st.state == LW_STATE_SUPPRESSED;
		return 0;
	}
	if (vd->st.state == LW_STATE_SUPPRESSED) {
		t->suppressed++;
		t->by_reason[vd->st.reason]++;
	}
	if (vd->policy_events > 0 && (at = memrchr(key, '@', key_len)) != NULL)
		domain_add(t, at + 1, key_len - (size_t)(at + 1 - key),
		    vd->policy_events);
	return t->nomem ? LW_ENOMEM : 0;
}

/* on_address - an address of the lists with no events, under a rule */
static int
on_address(void *arg, const char *key, size_t key_len,
    const struct lw_verdict *vd)
{
	struct tally *t = arg;

	(void)key;
	(void)key_len;
	if (vd != NULL && vd->rule != NULL && vd->first_event == 0 &&
	    vd->st.events == 0) {
		t->suppressed++;
		t->by_reason[vd->st.reason]++;
	}
	return 0;
}

/* cmp_count - most policy events first, then by domain */
static int
cmp_count(const void *pa, const void *pb)
{
	const struct domain_count *a = pa, *b = pb;

	if (a->domain == NULL || b->domain == NULL)
		return (a->domain == NULL) - (b->domain == NULL);
	if (a->n != b->n)
		return a->n > b->n ? -1 : 1;
	return strcmp(a->domain, b->domain);
}

/* cmd_stats - the stats command */
int
cmd_stats(struct cli *cli, int argc, char **argv)
{
	const char *names[LW_SUPPRESS_REASON_COUNT];
	struct lw_store *s;
	struct lw_store_stats st;
	struct lw_view *view = NULL;
	struct tally t;
	size_t i, top;
	int status, err, json = 0, first;

	memset(&t, 0, sizeof(t));
	if (argc == 2 && strcmp(argv[1], "--json") == 0)
		json = 1;
	else if (argc > 1)
		return cli_usage_error(cli, "unknown argument: %s", argv[1]);
	if ((status = cli_open_store(cli, LW_STORE_RDONLY, &s)) != 0)
		return status;
	if ((err = lw_store_stats(s, &st)) == LW_OK &&
	    (err = lw_view_begin(s, (int64_t)time(NULL), &view)) == LW_OK &&
	    (err = lw_view_subjects(view, on_subject, &t)) == LW_OK &&
	    t.rules_suppressing > 0)
		err = lw_view_addresses(view, on_address, &t);
	lw_view_end(view);
	lw_store_close(s);
	if (err != LW_OK) {
		cli_error(cli, "%s: %s", cli->db_path, lw_strerror(err));
		status = cli_exit_for(err);
		goto out;
	}
	if (t.cap > 0)
		qsort(t.slots, t.cap, sizeof(*t.slots), cmp_count);
	top = t.n < TOP_DOMAINS ? t.n : TOP_DOMAINS;
	for (i = 0; i < LW_SUPPRESS_REASON_COUNT; i++)
		names[i] = lw_suppress_reason_name((enum lw_suppress_reason)i);
	if (json) {
		printf("{\"schema\":%u,\"addresses\":%" PRIu64 ",\"lists\":%"
		    PRIu64 ",\"rows\":%" PRIu64 ",\"events\":%" PRIu64
		    ",\"suppressed\":%lu,\"suppressed_by_reason\":{",
		    st.schema, st.addresses, st.lists, st.rows, st.events,
		    t.suppressed);
		for (i = 1, first = 1; i < LW_SUPPRESS_REASON_COUNT; i++) {
			if (t.by_reason[i] == 0)
				continue;
			printf("%s\"%s\":%lu", first ? "" : ",", names[i],
			    t.by_reason[i]);
			first = 0;
		}
		printf("},\"domain_rules\":%lu,\"policy_domains\":[",
		    t.rules);
		for (i = 0; i < top; i++) {
			printf("%s{\"domain\":", i ? "," : "");
			emit_json_string(stdout, t.slots[i].domain,
			    strlen(t.slots[i].domain));
			printf(",\"policy_events\":%" PRIu64 "}",
			    t.slots[i].n);
		}
		printf("],\"file_size\":%" PRIu64 "}\n", st.file_size);
		goto out;
	}
	printf("schema version  %u\n", st.schema);
	printf("addresses       %" PRIu64 "\n", st.addresses);
	printf("lists           %" PRIu64 "\n", st.lists);
	printf("rows            %" PRIu64 "\n", st.rows);
	printf("events          %" PRIu64 "\n", st.events);
	printf("suppressed      %lu\n", t.suppressed);
	cli_print_counts(stdout, names, t.by_reason, LW_SUPPRESS_REASON_COUNT);
	printf("domain rules    %lu (%lu suppressing)\n", t.rules,
	    t.rules_suppressing);
	if (top > 0) {
		printf("policy bounces, by domain (yours to fix: "
		    "authentication, reputation, content):\n");
		for (i = 0; i < top; i++) {
			fputs("  ", stdout);
			emit_tsv_field(stdout, t.slots[i].domain,
			    strlen(t.slots[i].domain));
			printf("%*s %" PRIu64 "\n", (int)(strlen(
			    t.slots[i].domain) < 22 ? 22 - strlen(
			    t.slots[i].domain) : 1), "", t.slots[i].n);
		}
	}
	printf("store size      %" PRIu64 " octets on disk\n", st.file_size);
out:
	for (i = 0; i < t.cap; i++)
		free(t.slots[i].domain);
	free(t.slots);
	return status;
}
