/*
 * listwarden/error.h - the one error domain of the listwarden library
 *
 * Every library function returns an int: 0 (LW_OK) or a documented
 * non-negative count on success, or a negative enum lw_err on failure.
 * Values from -1 to -999 are negated errno codes, so a system error keeps
 * its meaning (LW_ENOMEM is -ENOMEM); values below -1000 are listwarden's
 * own.  Codes from the libraries underneath (LMDB, libidn2, libcsv) are
 * translated where they are met and never reach a caller.
 *
 * "Not found" is a result, LW_ENOENT, not a failure to report.
 */
#ifndef LISTWARDEN_ERROR_H
#define LISTWARDEN_ERROR_H

#include <errno.h>

enum lw_err {
	LW_OK = 0,
	LW_ENOENT = -ENOENT,	/* no such record or file */
	LW_ENOMEM = -ENOMEM,	/* out of memory */
	LW_EINVAL = -EINVAL,	/* an argument the function cannot take */
	LW_EIO = -EIO,		/* a read or write failed */
	LW_ENOSPC = -ENOSPC,	/* the disk is full */
	LW_EACCES = -EACCES,	/* permission denied */
	LW_EEXIST = -EEXIST,	/* it exists already */
	LW_EBUSY = -EBUSY,	/* in use by another process */

	LW_ECSV = -1001,	/* malformed CSV (an unbalanced quote) */
	LW_ENOCOLUMN = -1002,	/* the CSV header lacks the wanted column */
	LW_ENOHEADER = -1003,	/* the CSV input has no header row */
	LW_ETOOBIG = -1004,	/* a field or record beyond the set limit */
	LW_ENOTSTORE = -1005,	/* the file is not a listwarden store */
	LW_ECORRUPT = -1006,	/* the store is damaged */
	LW_ESCHEMA_OLD = -1007,	/* the store needs "listwarden migrate" */
	LW_ESCHEMA_NEW = -1008,	/* the store is newer than this program */
	LW_ECONFLICT = -1009,	/* the list changed during the import */
	LW_EHEADER = -1010,	/* the file's columns differ from the list's */
};

/*
 * lw_strerror - a short English description of a code from this domain
 *
 * Knows every lw_err value; a negated errno code it does not list is
 * described by strerror(3).  The string is static and never freed.
 */
const char *lw_strerror(int err);

#endif /* LISTWARDEN_ERROR_H */
