/*
 * postfix_log.c - Postfix log lines as event records (being written)
 */
#include "listwarden/events.h"
#include "events_int.h"

int
ev_maillog_detect(const char *p, size_t n)
{
	(void)p;
	(void)n;
	return 0;
}

int
ev_maillog_next(struct lw_events *r, struct lw_event_rec *rec)
{
	(void)r;
	(void)rec;
	return 0;
}

void
ev_maillog_close(struct lw_events *r)
{
	(void)r;
}
