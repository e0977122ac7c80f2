/*
 * jsonl.c - events from JSON lines, through jansson
 *
 * NAME
 *	jsonl - the JSON-lines event reader
 *
 * DESCRIPTION
 *	One JSON object per physical line; blank lines are skipped.  Each
 *	line is parsed on its own, so a bad line costs that line only.
 *	Members are matched by the name table; a string gives its value, a
 *	number its decimal form (an integer as is, a real as "%.17g", which
 *	keeps every digit a double holds), and anything else is ignored.
 *	Strings may hold "\u0000" (JSON_ALLOW_NUL), which ev_row_finish()
 *	treats like a NUL anywhere else.
 *
 *	A line longer than LW_EVENT_LINE_MAX is "too-long" and its rest is
 *	read and dropped unstored; a line that is not UTF-8 is "bad-utf8"
 *	(jansson would refuse it without saying why); anything jansson
 *	refuses, or a value that is not an object, is "bad-json".
 *
 * DIAGNOSTICS
 *	LW_ENOMEM when jansson runs out of memory; LW_EIO (or another
 *	negated errno) and LW_ENOMEM from reader.c.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>
#include <unistr.h>

#include "listwarden/error.h"
#include "listwarden/events.h"
#include "events_int.h"

/* Room for any number jansson gives, as text. */
#define NUMBER_MAX	40

/* finish - hand a row over, and say 1 when it made a record */
static int
finish(struct lw_events *r, const struct ev_row *row, unsigned long line,
    struct lw_event_rec *rec)
{
	int err;

	if ((err = ev_row_finish(r, row, line, rec)) != LW_OK)
		return err;
	return 1;
}

/* member - the string member named a or b (its other casing), or NULL */
static const char *
member(json_t *obj, const char *a, const char *b, size_t *len)
{
	json_t *v = json_object_get(obj, a);

	if (v == NULL)
		v = json_object_get(obj, b);
	if (!json_is_string(v))
		return NULL;
	*len = json_string_length(v);
	return json_string_value(v);
}

/*
 * ses_listed - a line of Amazon SES's suppression list as JSON lines,
 * {"emailAddress":"...","reason":"BOUNCE"} (and SES v2's member names,
 * with LastUpdateTime): the reason it gives, or NULL when it is not one
 */
static const char *
ses_listed(json_t *obj, struct ev_row *row)
{
	const char *addr, *reason, *when;
	size_t alen, rlen, wlen;
	const char *listed;

	if ((addr = member(obj, "emailAddress", "EmailAddress", &alen)) ==
	    NULL || (reason = member(obj, "reason", "Reason", &rlen)) == NULL)
		return NULL;
	if (rlen == 6 && strncasecmp(reason, "BOUNCE", 6) == 0)
		listed = "hard";
	else if (rlen == 9 && strncasecmp(reason, "COMPLAINT", 9) == 0)
		listed = "complaint";
	else
		return NULL;
	if (json_object_size(obj) > 3 || (json_object_size(obj) == 3 &&
	    json_object_get(obj, "LastUpdateTime") == NULL &&
	    json_object_get(obj, "lastUpdateTime") == NULL))
		return NULL;
	ev_row_set(row, EV_RECIPIENT, 0, addr, alen);
	if ((when = member(obj, "lastUpdateTime", "LastUpdateTime", &wlen)) !=
	    NULL)
		ev_row_set(row, EV_TIMESTAMP, 0, when, wlen);
	return listed;
}

/* ev_jsonl_next - the next line that is not blank, as a record */
int
ev_jsonl_next(struct lw_events *r, struct lw_event_rec *rec)
{
	char nums[EV_NFIELDS][NUMBER_MAX];
	struct ev_row row;
	json_error_t jerr;
	json_t *obj, *val;
	const char *key;
	size_t len, i, key_len;
	unsigned long line;
	const char *listed;
	void *it;
	int got, f, prio, n;

	for (;;) {
		if (r->line_pending)
			r->line_pending = 0;
		else if ((got = ev_read_line(r)) <= 0)
			return got;
		line = r->lineno;
		ev_row_clear(&row);
		if (r->line_long) {
			if ((got = ev_skip_line(r)) != LW_OK)
				return got;
			row.error = "too-long";
			return finish(r, &row, line, rec);
		}
		len = r->line_len;
		while (len > 0 && ev_is_space((unsigned char)r->line[len - 1]))
			len--;
		for (i = 0; i < len; i++)
			if (!ev_is_space((unsigned char)r->line[i]))
				break;
		if (i < len)
			break;
	}
	if (u8_check((const uint8_t *)r->line, len) != NULL) {
		row.error = "bad-utf8";
		return finish(r, &row, line, rec);
	}
	/* jansson takes a raw NUL for a blank; JSON has none. */
	if (memchr(r->line, '\0', len) != NULL) {
		row.error = "bad-json";
		return finish(r, &row, line, rec);
	}
	obj = json_loadb(r->line, len, JSON_ALLOW_NUL, &jerr);
	if (obj == NULL && json_error_code(&jerr) == json_error_out_of_memory)
		return ev_fail(r, LW_ENOMEM, line);
	if (obj == NULL || !json_is_object(obj)) {
		json_decref(obj);
		row.error = "bad-json";
		return finish(r, &row, line, rec);
	}
	if ((listed = ses_listed(obj, &row)) != NULL) {
		got = finish(r, &row, line, rec);
		if (got == 1)
			rec->suppressed = listed;
		json_decref(obj);
		return got;
	}
	for (it = json_object_iter(obj); it != NULL;
	    it = json_object_iter_next(obj, it)) {
		key = json_object_iter_key(it);
		key_len = json_object_iter_key_len(it);
		val = json_object_iter_value(it);
		if ((f = ev_name_lookup(ev_names, ev_nnames, key, key_len,
		    &prio)) < 0 || !ev_row_wants(&row, (enum ev_field)f, prio))
			continue;
		if (json_is_string(val)) {
			ev_row_set(&row, (enum ev_field)f, prio,
			    json_string_value(val), json_string_length(val));
			continue;
		}
		if (json_is_integer(val))
			n = snprintf(nums[f], sizeof(nums[f]),
			    "%" JSON_INTEGER_FORMAT, json_integer_value(val));
		else if (json_is_real(val))
			n = snprintf(nums[f], sizeof(nums[f]), "%.17g",
			    json_real_value(val));
		else	/* null, a boolean, an array, an object */
			continue;
		if (n > 0 && (size_t)n < sizeof(nums[f]))
			ev_row_set(&row, (enum ev_field)f, prio, nums[f],
			    (size_t)n);
	}
	got = finish(r, &row, line, rec);
	json_decref(obj);
	return got;
}
