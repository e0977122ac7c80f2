/*
 * lines.c - lines of standard input (or a file), of bounded length
 *
 * NAME
 *	lines - cli_getline(): getline(3) that keeps at most a limit
 *
 * DESCRIPTION
 *	validate, check and the manual commands read one address per line.
 *	An address is at most 254 octets, so a line of gigabytes is no
 *	address and must not cost gigabytes: the first CLI_LINE_MAX octets
 *	(16 MiB, a CSV record's limit too) are kept, the rest read through
 *	and dropped, and *cut says so: the caller judges such a line too
 *	long rather than by its first part.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

/* cli_getline - the next line into *line, its end kept; -1 at the end */
ssize_t
cli_getline(char **line, size_t *cap, FILE *fp, int *cut)
{
	size_t n = 0;
	char *p;
	int c;

	*cut = 0;
	if (*line == NULL || *cap < 256) {
		if ((p = realloc(*line, 256)) == NULL)
			return -1;
		*line = p;
		*cap = 256;
	}
	while ((c = getc_unlocked(fp)) != EOF) {
		if (n < CLI_LINE_MAX) {
			if (n + 2 > *cap) {
				size_t ncap = *cap * 2;

				if (ncap > CLI_LINE_MAX + 2)
					ncap = CLI_LINE_MAX + 2;
				if ((p = realloc(*line, ncap)) == NULL)
					return -1;
				*line = p;
				*cap = ncap;
			}
			(*line)[n++] = (char)c;
		} else
			*cut = 1;
		if (c == '\n')
			break;
	}
	if (c == EOF && n == 0)
		return -1;
	/* A line cut short keeps its line end, as a whole one would. */
	if (n == CLI_LINE_MAX && c == '\n' && (*line)[n - 1] != '\n')
		(*line)[n - 1] = '\n';
	(*line)[n] = '\0';
	return (ssize_t)n;
}
