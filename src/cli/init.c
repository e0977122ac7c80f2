/*
 * init.c - listwarden init: create the store
 *
 * NAME
 *	init - a new store at the newest schema, or a word that one exists
 */
#include <stdio.h>
#include <string.h>

#include "listwarden.h"
#include "cli.h"

/* cmd_init - create the store named by --db */
int
cmd_init(struct cli *cli, int argc, char **argv)
{
	struct lw_store *s;
	unsigned have, latest;
	int status;

	(void)argv;
	if (argc > 1)
		return cli_usage_error(cli, "init takes no arguments");
	if ((status = cli_open_store(cli, LW_STORE_CREATE, &s)) != 0)
		return status;
	if (lw_store_schema(s, &have, &latest) != LW_OK)
		have = 0;
	if (lw_store_created(s))
		printf("init: created %s (schema version %u)\n", cli->db_path,
		    have);
	else
		printf("init: %s exists already (schema version %u); "
		    "nothing to do\n", cli->db_path, have);
	lw_store_close(s);
	return LW_EXIT_OK;
}
