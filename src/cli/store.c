/*
 * store.c - open the store for a command, and say plainly what is wrong
 *
 * NAME
 *	store (cli) - the store's errors as messages and exit statuses
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "listwarden.h"
#include "cli.h"

/* cli_exit_for - the documented exit status for a library error */
int
cli_exit_for(int err)
{
	switch (err) {
	case LW_OK:
		return LW_EXIT_OK;
	case LW_ECSV:
	case LW_ENOCOLUMN:
	case LW_ENOHEADER:
	case LW_ETOOBIG:
	case LW_EHEADER:
	case LW_EINVAL:
		return LW_EXIT_DATA;
	case LW_ENOTSTORE:
	case LW_ECORRUPT:
	case LW_ESCHEMA_OLD:
	case LW_ESCHEMA_NEW:
		return LW_EXIT_STORE;
	default:
		return LW_EXIT_SYSTEM;
	}
}

/* cli_open_store - open the store named by --db, LISTWARDEN_DB or default */
int
cli_open_store(const struct cli *cli, unsigned flags, struct lw_store **sp)
{
	int err;

	err = lw_store_open(sp, cli->db_path, flags, 0);
	if (err == LW_OK)
		return LW_EXIT_OK;
	if (err == LW_ENOENT) {
		cli_error(cli, "%s: no store here; create one with "
		    "'listwarden init' (or name another with --db)",
		    cli->db_path);
		return LW_EXIT_STORE;
	}
	cli_error(cli, "%s: %s", cli->db_path, lw_strerror(err));
	return cli_exit_for(err);
}

/*
 * cli_wait_turn - take the store's writers' lock, waiting for a writer
 * that holds it
 *
 * LMDB lets one transaction write at a time, but an import or an ingest
 * is many transactions, and two imports of one list would see the second
 * fail at publishing ("the list was changed by another process").
 * Writers queue instead: each holds flock(2) on the store file (which
 * LMDB does not lock) until it ends, and a kill releases it.
 */
int
cli_wait_turn(const struct cli *cli, int *fd)
{
	if ((*fd = open(cli->db_path, O_RDONLY | O_CLOEXEC)) < 0) {
		cli_error(cli, "%s: %s", cli->db_path, strerror(errno));
		return LW_EXIT_SYSTEM;
	}
	if (flock(*fd, LOCK_EX | LOCK_NB) == 0)
		return LW_EXIT_OK;
	if (errno == EWOULDBLOCK) {
		fprintf(stderr, "%s: waiting for another process writing to "
		    "%s to finish\n", cli->command, cli->db_path);
		if (flock(*fd, LOCK_EX) == 0)
			return LW_EXIT_OK;
	}
	cli_error(cli, "%s: %s", cli->db_path, strerror(errno));
	close(*fd);
	*fd = -1;
	return LW_EXIT_SYSTEM;
}
