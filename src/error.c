/*
 * error.c - descriptions of the lw_err codes
 *
 * NAME
 *	error - the one strerror for every code of the library
 *
 * DESCRIPTION
 *	lw_strerror() names listwarden's own codes and falls back on
 *	strerror(3) for negated errno values.
 */
#include <string.h>

#include "listwarden/error.h"

/* lw_strerror - describe an lw_err code */
const char *
lw_strerror(int err)
{
	switch (err) {
	case LW_OK:
		return "success";
	case LW_ECSV:
		return "malformed CSV: a quote is not closed, or text follows a closing quote";
	case LW_ENOCOLUMN:
		return "no such column in the CSV header";
	case LW_ENOHEADER:
		return "the CSV input has no header row";
	case LW_ETOOBIG:
		return "a record over the limit (a field of 16 MiB, or a "
		    "million fields)";
	case LW_ENOTSTORE:
		return "not a listwarden store";
	case LW_ECORRUPT:
		return "the store is damaged (a record does not decode)";
	case LW_ESCHEMA_OLD:
		return "the store was made by an older listwarden: run "
		    "'listwarden migrate' to upgrade it";
	case LW_ESCHEMA_NEW:
		return "the store was made by a newer listwarden; this "
		    "program cannot use it";
	case LW_ECONFLICT:
		return "the list was changed by another process during the "
		    "import; run the import again";
	case LW_EHEADER:
		return "the file's columns differ from the list's; use "
		    "--replace to replace the list";
	default:
		if (err < 0 && err > -1000)
			return strerror(-err);
		return "unknown error";
	}
}
