/*
 * stats.c - listwarden stats: what the store holds
 *
 * NAME
 *	stats - addresses, lists, rows, suppressions, size, schema version
 */
#include <stdio.h>
#include <string.h>

#include "listwarden.h"
#include "cli.h"

/* cmd_stats - the stats command */
int
cmd_stats(struct cli *cli, int argc, char **argv)
{
	struct lw_store *s;
	struct lw_store_stats st;
	int status, err, json = 0;

	if (argc == 2 && strcmp(argv[1], "--json") == 0)
		json = 1;
	else if (argc > 1)
		return cli_usage_error(cli, "unknown argument: %s", argv[1]);
	if ((status = cli_open_store(cli, LW_STORE_RDONLY, &s)) != 0)
		return status;
	err = lw_store_stats(s, &st);
	lw_store_close(s);
	if (err != LW_OK) {
		cli_error(cli, "%s: %s", cli->db_path, lw_strerror(err));
		return cli_exit_for(err);
	}
	/* No suppression is recorded yet: the suppression issue adds them. */
	if (json) {
		printf("{\"schema\":%u,\"addresses\":%llu,\"lists\":%llu,"
		    "\"rows\":%llu,\"suppressed\":0,\"suppressed_by_reason\":{},"
		    "\"file_size\":%llu}\n", st.schema,
		    (unsigned long long)st.addresses,
		    (unsigned long long)st.lists, (unsigned long long)st.rows,
		    (unsigned long long)st.file_size);
		return LW_EXIT_OK;
	}
	printf("schema version  %u\n", st.schema);
	printf("addresses       %llu\n", (unsigned long long)st.addresses);
	printf("lists           %llu\n", (unsigned long long)st.lists);
	printf("rows            %llu\n", (unsigned long long)st.rows);
	printf("suppressed      0\n");
	printf("store size      %llu octets on disk\n",
	    (unsigned long long)st.file_size);
	return LW_EXIT_OK;
}
