/*
 * migrate.c - listwarden migrate: bring an older store up to date
 *
 * NAME
 *	migrate - apply (or, with --status, list) the pending migrations
 */
#include <stdio.h>
#include <string.h>

#include "listwarden.h"
#include "cli.h"

/* cmd_migrate - apply or list pending migrations */
int
cmd_migrate(struct cli *cli, int argc, char **argv)
{
	struct lw_store *s;
	unsigned have, latest, v;
	int status, status_only = 0, got;

	if (argc == 2 && strcmp(argv[1], "--status") == 0)
		status_only = 1;
	else if (argc > 1)
		return cli_usage_error(cli, "unknown argument: %s", argv[1]);
	if ((status = cli_open_store(cli, LW_STORE_ANY_SCHEMA, &s)) != 0)
		return status;
	if ((got = lw_store_schema(s, &have, &latest)) != LW_OK) {
		cli_error(cli, "%s: %s", cli->db_path, lw_strerror(got));
		lw_store_close(s);
		return cli_exit_for(got);
	}
	if (have > latest) {
		cli_error(cli, "%s: schema version %u is newer than this "
		    "program's %u; use a newer listwarden", cli->db_path, have,
		    latest);
		lw_store_close(s);
		return LW_EXIT_STORE;
	}
	if (status_only) {
		printf("migrate: %s is at schema version %u; this program's "
		    "is %u\n", cli->db_path, have, latest);
		for (v = have + 1; v <= latest; v++)
			printf("  pending %04u_%s\n", v,
			    lw_store_migration_name(v));
		if (have == latest)
			printf("  nothing pending\n");
		lw_store_close(s);
		return LW_EXIT_OK;
	}
	got = lw_store_migrate(s);
	lw_store_close(s);
	if (got < 0) {
		cli_error(cli, "%s: %s", cli->db_path, lw_strerror(got));
		return cli_exit_for(got);
	}
	for (v = have + 1; v <= latest; v++)
		printf("migrate: applied %04u_%s\n", v,
		    lw_store_migration_name(v));
	printf("migrate: %s is at schema version %u\n", cli->db_path, latest);
	return LW_EXIT_OK;
}
