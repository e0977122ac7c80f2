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
		return "a field is larger than the limit";
	default:
		if (err < 0 && err > -1000)
			return strerror(-err);
		return "unknown error";
	}
}
