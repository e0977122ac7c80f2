/*
 * fuzz_csv.c - libFuzzer target for the CSV reader
 *
 * Reads every record of the input; a record's line numbers never go
 * backwards, and the reader ends with a record count, 0 or an error.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "listwarden.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lw_csv_reader *r;
	const struct lw_csv_record *rec;
	unsigned long last = 0;
	FILE *fp;
	int got;

	if (size == 0)
		return 0;
	if ((fp = fmemopen((void *)data, size, "r")) == NULL)
		return 0;
	if (lw_csv_reader_new(&r, fp, 0) != LW_OK)
		abort();
	while ((got = lw_csv_next(r, &rec)) == 1) {
		if (rec->line < last)
			abort();
		last = rec->line;
		if (last == 1)
			(void)lw_csv_find_column(rec, "email");
	}
	if (got > 0)
		abort();
	lw_csv_reader_free(r);
	fclose(fp);
	return 0;
}
