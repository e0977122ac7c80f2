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
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

/* cli_out_open - open path for writing, or standard output for "-"/NULL */
int
cli_out_open(const struct cli *cli, const char *path, struct cli_out *o)
{
	struct stat st;
	int fd;

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
	if ((fd = mkstemp(o->tmp)) < 0) {
		cli_error(cli, "%s: %s", path, strerror(errno));
		free(o->tmp);
		o->tmp = NULL;
		return LW_EXIT_SYSTEM;
	}
	/* mkstemp makes it 0600 already; say so, whatever the libc. */
	(void)fchmod(fd, 0600);
	if ((o->fp = fdopen(fd, "w")) == NULL) {
		cli_error(cli, "%s: %s", path, strerror(errno));
		close(fd);
		unlink(o->tmp);
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
	int status = LW_EXIT_OK, saved;

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
	if (commit && rename(o->tmp, o->path) != 0) {
		cli_error(cli, "%s: %s", o->path, strerror(errno));
		status = LW_EXIT_SYSTEM;
		commit = 0;
	}
	if (!commit)
		unlink(o->tmp);
	free(o->tmp);
	o->tmp = NULL;
	return status;
}
