/*
 * sorter.h - an external sort of (key, line) records (internal)
 *
 * Records go in in any order and come out sorted by key, then by line,
 * in memory bounded by the limit given: full buffers are sorted and
 * spilled to anonymous temporary files (created 0600 and unlinked at
 * once, so a killed process leaves nothing behind), then merged.
 */
#ifndef LW_SORTER_H
#define LW_SORTER_H

#include <stddef.h>
#include <stdint.h>

struct lw_sorted {
	const char *key;
	size_t key_len;
	uint64_t line;
	uint64_t row;
	const void *val;
	size_t val_len;
};

struct lw_sorter;

int lw_sorter_new(struct lw_sorter **sp, size_t mem_limit);
void lw_sorter_free(struct lw_sorter *s);
/* lw_sorter_add - copy a record in; key and val at most 65535 octets */
int lw_sorter_add(struct lw_sorter *s, const struct lw_sorted *rec);
/* lw_sorter_finish - no more records: prepare the merge */
int lw_sorter_finish(struct lw_sorter *s);
/* lw_sorter_next - 1 and the next record (borrowed till the next call), 0 */
int lw_sorter_next(struct lw_sorter *s, struct lw_sorted *rec);
/* lw_sorter_runs - how many runs were spilled to disk */
size_t lw_sorter_runs(const struct lw_sorter *s);

#endif /* LW_SORTER_H */
