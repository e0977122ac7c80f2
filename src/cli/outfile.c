/*
 * outfile.c - write an output file atomically
 *
 * NAME
 *	outfile - a temporary sibling, fsync, rename; or standard output
 *
 * DESCRIPTION
 *	Exports hold addresses, so they are created 0600, and they replace
 *	the target only once complete: a full disk or a kill leaves an
 *	earlier file as it was.  The temporary file is made with mkstemp in
 *	the target's folder, so the rename stays on one file system, and it
 *	is removed on any failure.  A target that is no regular file (a
 *	device, a FIFO) is written to directly, since there is nothing to
 *	replace; /dev/stdout and /dev/stderr are the program's own streams,
 *	whatever they lead to.  Any other symbolic link is refused, not
 *	followed: an export must not be made to overwrite a file it was not
 *	named for (a link planted in a shared folder).
 *
 *	A temporary file is never left behind by an error, nor by SIGINT,
 *	SIGTERM, SIGHUP or SIGPIPE: while one is open, a handler for these
 *	removes it and lets the signal end the program as it would have.
 *	Only SIGKILL (or a crash) can leave one, named PATH.XXXXXX.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

/*
 * The temporary files open now, for the signal handler: export writes
 * two at most (-o and --removed).  A slot is filled as the file is made
 * and emptied as it is renamed or removed, with the signals blocked.
 */
#define PENDING_MAX	4
static char *volatile pending[PENDING_MAX];
static const int fatal_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE };

/* on_fatal - remove the temporary files, then die of sig as before */
static void
on_fatal(int sig)
{
	size_t i;

	for (i = 0; i < PENDING_MAX; i++)
		if (pending[i] != NULL)
			(void)unlink(pending[i]);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* block_fatal - block (how SIG_BLOCK) or restore the signals above */
static void
block_fatal(int how, sigset_t *old)
{
	sigset_t set;
	size_t i;

	if (how == SIG_BLOCK) {
		sigemptyset(&set);
		for (i = 0; i < sizeof(fatal_signals) / sizeof(*fatal_signals);
		    i++)
			sigaddset(&set, fatal_signals[i]);
		sigprocmask(SIG_BLOCK, &set, old);
	} else
		sigprocmask(SIG_SETMASK, old, NULL);
}

/*
 * track - with the signals blocked: put o->tmp in a free slot, the
 * handlers installed the first time (a signal ignored by the caller, as
 * under nohup, stays ignored), or with untrack empty its slot
 */
static void
track(struct cli_out *o, int untrack)
{
	static int installed;
	struct sigaction sa, was;
	size_t i;

	if (untrack) {
		if (o->slot > 0)
			pending[o->slot - 1] = NULL;
		o->slot = 0;
		return;
	}
	if (!installed) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_fatal;
		sigemptyset(&sa.sa_mask);
		for (i = 0; i < sizeof(fatal_signals) / sizeof(*fatal_signals);
		    i++)
			if (sigaction(fatal_signals[i], NULL, &was) == 0 &&
			    was.sa_handler != SIG_IGN)
				sigaction(fatal_signals[i], &sa, NULL);
		installed = 1;
	}
	for (i = 0; i < PENDING_MAX; i++)
		if (pending[i] == NULL) {
			pending[i] = o->tmp;
			o->slot = (int)i + 1;
			break;
		}
}

/* cli_out_open - open path for writing, or standard output for "-"/NULL */
int
cli_out_open(const struct cli *cli, const char *path, struct cli_out *o)
{
	struct stat st;
	sigset_t mask;
	int fd, saved;

	memset(o, 0, sizeof(*o));
	if (path == NULL || strcmp(path, "-") == 0) {
		o->fp = stdout;
		return LW_EXIT_OK;
	}
	if (strcmp(path, "/dev/stdout") == 0 || strcmp(path, "/dev/fd/1") == 0) {
		o->fp = stdout;
		return LW_EXIT_OK;
	}
	if (strcmp(path, "/dev/stderr") == 0 || strcmp(path, "/dev/fd/2") == 0) {
		o->fp = stderr;
		return LW_EXIT_OK;
	}
	o->path = path;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		if ((o->fp = fopen(path, "w")) == NULL) {
			cli_error(cli, "%s: %s", path, strerror(errno));
			return LW_EXIT_SYSTEM;
		}
		o->direct = 1;
		return LW_EXIT_OK;
	}
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
		cli_error(cli, "%s: a symbolic link; not followed, so that no "
		    "other file is overwritten (name the file itself)", path);
		return LW_EXIT_SYSTEM;
	}
	if ((o->tmp = malloc(strlen(path) + 8)) == NULL) {
		cli_error(cli, "%s: %s", path, strerror(ENOMEM));
		return LW_EXIT_SYSTEM;
	}
	sprintf(o->tmp, "%s.XXXXXX", path);
	block_fatal(SIG_BLOCK, &mask);
	if ((fd = mkstemp(o->tmp)) >= 0)
		track(o, 0);
	saved = errno;
	block_fatal(SIG_SETMASK, &mask);
	if (fd < 0) {
		cli_error(cli, "%s: %s", path, strerror(saved));
		free(o->tmp);
		o->tmp = NULL;
		return LW_EXIT_SYSTEM;
	}
	/* mkstemp makes it 0600 already; say so, whatever the libc. */
	(void)fchmod(fd, 0600);
	if ((o->fp = fdopen(fd, "w")) == NULL) {
		cli_error(cli, "%s: %s", path, strerror(errno));
		close(fd);
		block_fatal(SIG_BLOCK, &mask);
		unlink(o->tmp);
		track(o, 1);
		block_fatal(SIG_SETMASK, &mask);
		free(o->tmp);
		o->tmp = NULL;
		return LW_EXIT_SYSTEM;
	}
	return LW_EXIT_OK;
}

/* cli_out_close - put the file in place (commit) or remove it */
int
cli_out_close(const struct cli *cli, struct cli_out *o, int commit)
{
	int status = LW_EXIT_OK, saved, renamed = 0;
	sigset_t mask;

	if (o->fp == NULL)
		return LW_EXIT_OK;
	if (o->direct) {		/* a device or a FIFO */
		if (fclose(o->fp) != 0 && commit) {
			cli_error(cli, "%s: %s", o->path, strerror(errno));
			status = LW_EXIT_SYSTEM;
		}
		o->fp = NULL;
		return status;
	}
	if (o->tmp == NULL) {		/* standard output */
		o->fp = NULL;
		return LW_EXIT_OK;
	}
	if (commit && (fflush(o->fp) != 0 || ferror(o->fp) ||
	    fsync(fileno(o->fp)) != 0)) {
		saved = errno ? errno : EIO;
		cli_error(cli, "%s: %s; the file was not changed", o->path,
		    strerror(saved));
		commit = 0;
		status = LW_EXIT_SYSTEM;
	}
	if (fclose(o->fp) != 0 && commit) {
		cli_error(cli, "%s: %s; the file was not changed", o->path,
		    strerror(errno));
		commit = 0;
		status = LW_EXIT_SYSTEM;
	}
	o->fp = NULL;
	block_fatal(SIG_BLOCK, &mask);
	if (commit && rename(o->tmp, o->path) != 0) {
		renamed = errno;
		status = LW_EXIT_SYSTEM;
		commit = 0;
	}
	if (!commit)
		unlink(o->tmp);
	track(o, 1);
	block_fatal(SIG_SETMASK, &mask);
	if (renamed != 0)
		cli_error(cli, "%s: %s", o->path, strerror(renamed));
	free(o->tmp);
	o->tmp = NULL;
	return status;
}
