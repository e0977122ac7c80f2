/*
 * lists.c - listwarden lists: the lists in the store
 *
 * NAME
 *	lists - name, rows, created and last import time, one list a line
 */
#include <stdio.h>
#include <time.h>

#include "listwarden.h"
#include "cli.h"

/* iso_time - Unix seconds as ISO 8601 UTC */
static const char *
iso_time(uint64_t t, char buf[32])
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return buf;
}

/* print_list - one TSV line */
static int
print_list(void *arg, const struct lw_list *l)
{
	char c[32], u[32];

	(void)arg;
	printf("%s\t%llu\t%s\t%s\n", l->name, (unsigned long long)l->rows,
	    iso_time(l->created, c), iso_time(l->updated, u));
	return 0;
}

/* cmd_lists - the lists command */
int
cmd_lists(struct cli *cli, int argc, char **argv)
{
	struct lw_store *s;
	int status, err;

	(void)argv;
	if (argc > 1)
		return cli_usage_error(cli, "lists takes no arguments");
	if ((status = cli_open_store(cli, LW_STORE_RDONLY, &s)) != 0)
		return status;
	printf("name\trows\tcreated\tupdated\n");
	err = lw_store_lists(s, print_list, NULL);
	lw_store_close(s);
	if (err != LW_OK) {
		cli_error(cli, "%s: %s", cli->db_path, lw_strerror(err));
		return cli_exit_for(err);
	}
	return LW_EXIT_OK;
}
