/*
 * test_csvio.c - unit tests of the CSV reader
 *
 * Each case row gives an input, the delimiter to ask for (0 detects) and
 * the records expected, written as fields joined by '|' with the line
 * each starts on; or the error and the line it must be reported on.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "listwarden.h"

struct csv_case {
	const char *desc;
	const char *in;
	size_t len;		/* 0: strlen(in) */
	int delimiter;		/* asked for; 0 detects */
	int err;		/* expected error after the records, or 0 */
	unsigned long err_line;
	int want_delim;
	const char *records[6];	/* "line:field|field|..." */
};

static const struct csv_case cases[] = {
	/* Errors first. */
	{ "a quote never closed is reported on the line it opened",
	    "email,name\na@example.com,\"Al\nb@example.com,Bob\n", 0, 0,
	    LW_ECSV, 2, ',', { "1:email|name" } },
	{ "text after a closing quote is an error on its line",
	    "email,name\na@example.com,\"Al\"ice\n", 0, 0, LW_ECSV, 2, ',',
	    { "1:email|name" } },
	{ "a quote inside an unquoted field is an error",
	    "email\nal\"ice@example.com\n", 0, 0, LW_ECSV, 2, ',',
	    { "1:email" } },

	/* Records. */
	{ "empty input has no records", "", 0, 0, 0, 0, ',', { NULL } },
	{ "a header and two rows",
	    "email,name\na@example.com,Al\nb@example.com,Bo\n", 0, 0, 0, 0,
	    ',', { "1:email|name", "2:a@example.com|Al", "3:b@example.com|Bo" } },
	{ "no newline at the end",
	    "email\na@example.com", 0, 0, 0, 0, ',',
	    { "1:email", "2:a@example.com" } },
	{ "CR LF line ends",
	    "email,name\r\na@example.com,Al\r\n", 0, 0, 0, 0, ',',
	    { "1:email|name", "2:a@example.com|Al" } },
	{ "a UTF-8 byte order mark is dropped",
	    "\xef\xbb\xbf" "email,name\na@example.com,Al\n", 0, 0, 0, 0, ',',
	    { "1:email|name", "2:a@example.com|Al" } },
	{ "semicolons are detected",
	    "email;name;city\na@example.com;Al;Paris\n", 0, 0, 0, 0, ';',
	    { "1:email|name|city", "2:a@example.com|Al|Paris" } },
	{ "TABs are detected",
	    "email\tname\na@example.com\tAl\n", 0, 0, 0, 0, '\t',
	    { "1:email|name", "2:a@example.com|Al" } },
	{ "pipes are detected",
	    "email|name\na@example.com|Al\n", 0, 0, 0, 0, '|',
	    { "1:email|name", "2:a@example.com|Al" } },
	{ "delimiters inside quotes do not count for detection",
	    "\"a;b;c;d\",e,f\n1,2,3\n", 0, 0, 0, 0, ',',
	    { "1:a;b;c;d|e|f", "2:1|2|3" } },
	{ "a given delimiter wins over detection",
	    "email,x;name\na@example.com,1;Al\n", 0, ';', 0, 0, ';',
	    { "1:email,x|name", "2:a@example.com,1|Al" } },
	{ "quoted fields keep commas, doubled quotes and newlines",
	    "email,name\n\"a@example.com\",\"Roe, \"\"J\"\"\nJane\"\n"
	    "b@example.com,Bo\n", 0, 0, 0, 0, ',',
	    { "1:email|name", "2:a@example.com|Roe, \"J\"\nJane",
	      "4:b@example.com|Bo" } },
	{ "blank lines are skipped and line numbers stay true",
	    "email\n\na@example.com\n\r\n\nb@example.com\n", 0, 0, 0, 0, ',',
	    { "1:email", "3:a@example.com", "6:b@example.com" } },
	{ "empty fields are kept",
	    "email,name,city\n,Al,\n", 0, 0, 0, 0, ',',
	    { "1:email|name|city", "2:|Al|" } },
	{ "a ragged row has the fields it has",
	    "email,name,city\na@example.com\n", 0, 0, 0, 0, ',',
	    { "1:email|name|city", "2:a@example.com" } },
};

/* join - the fields of a record as "line:f1|f2|..." */
static void
join(const struct lw_csv_record *rec, char *buf, size_t size)
{
	size_t i, n;

	n = (size_t)snprintf(buf, size, "%lu:", rec->line);
	for (i = 0; i < rec->nfields && n < size; i++)
		n += (size_t)snprintf(buf + n, size - n, "%s%.*s", i ? "|" : "",
		    (int)rec->fields[i].len, rec->fields[i].data);
}

/* test_cases - every row of the table */
static void
test_cases(void **state)
{
	size_t i, j;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct csv_case *c = &cases[i];
		struct lw_csv_reader *r;
		const struct lw_csv_record *rec;
		char buf[512];
		size_t len = c->len ? c->len : strlen(c->in);
		FILE *fp;
		int got;

		/* fmemopen refuses a zero size: give it one NUL-free byte. */
		fp = len ? fmemopen((void *)c->in, len, "r") : fopen("/dev/null",
		    "r");
		assert_non_null(fp);
		assert_int_equal(lw_csv_reader_new(&r, fp, c->delimiter), LW_OK);
		for (j = 0; (got = lw_csv_next(r, &rec)) == 1; j++) {
			join(rec, buf, sizeof(buf));
			if (j >= 6 || c->records[j] == NULL ||
			    strcmp(buf, c->records[j]) != 0) {
				print_error("case '%s': record %zu is '%s', "
				    "expected '%s'\n", c->desc, j, buf,
				    j < 6 && c->records[j] ? c->records[j] :
				    "(none)");
				fail();
			}
		}
		if (j < 6 && c->records[j] != NULL) {
			print_error("case '%s': missing record '%s' (got %d)\n",
			    c->desc, c->records[j], got);
			fail();
		}
		if (got != c->err ||
		    (c->err && lw_csv_error_line(r) != c->err_line)) {
			print_error("case '%s': ended with %d at line %lu, "
			    "expected %d at line %lu\n", c->desc, got,
			    lw_csv_error_line(r), c->err, c->err_line);
			fail();
		}
		if (len > 0 && lw_csv_delimiter(r) != c->want_delim) {
			print_error("case '%s': delimiter '%c', expected '%c'\n",
			    c->desc, lw_csv_delimiter(r), c->want_delim);
			fail();
		}
		/* An error is sticky. */
		if (c->err)
			assert_int_equal(lw_csv_next(r, &rec), c->err);
		lw_csv_reader_free(r);
		fclose(fp);
	}
}

/* test_nul_in_field - a NUL byte is data, reported through the length */
static void
test_nul_in_field(void **state)
{
	static const char in[] = "email\na\0b@example.com\n";
	struct lw_csv_reader *r;
	const struct lw_csv_record *rec;
	FILE *fp;

	(void)state;
	fp = fmemopen((void *)in, sizeof(in) - 1, "r");
	assert_non_null(fp);
	assert_int_equal(lw_csv_reader_new(&r, fp, 0), LW_OK);
	assert_int_equal(lw_csv_next(r, &rec), 1);
	assert_int_equal(lw_csv_next(r, &rec), 1);
	assert_int_equal(rec->nfields, 1);
	assert_int_equal(rec->fields[0].len, 15);
	assert_memory_equal(rec->fields[0].data, "a\0b@example.com", 15);
	assert_int_equal(lw_csv_next(r, &rec), 0);
	lw_csv_reader_free(r);
	fclose(fp);
}

/* test_raw_bytes - each record carries its lines byte for byte */
static void
test_raw_bytes(void **state)
{
	static const char in[] = "\xef\xbb\xbf" "email,note\r\n"
	    "a@example.com,  \"two\r\nlines\"\r\n"
	    "\n"
	    "b@example.com,last";
	static const char *const want[] = {
		"email,note\r\n",
		"a@example.com,  \"two\r\nlines\"\r\n",
		"b@example.com,last",
	};
	struct lw_csv_reader *r;
	const struct lw_csv_record *rec;
	FILE *fp;
	size_t i;

	(void)state;
	fp = fmemopen((void *)in, sizeof(in) - 1, "r");
	assert_non_null(fp);
	assert_int_equal(lw_csv_reader_new(&r, fp, 0), LW_OK);
	for (i = 0; i < 3; i++) {
		assert_int_equal(lw_csv_next(r, &rec), 1);
		assert_int_equal(rec->raw_len, strlen(want[i]));
		assert_memory_equal(rec->raw, want[i], rec->raw_len);
	}
	assert_int_equal(lw_csv_next(r, &rec), 0);
	lw_csv_reader_free(r);
	fclose(fp);
}

/* test_find_column - names match ignoring ASCII case and spaces */
static void
test_find_column(void **state)
{
	static const char in[] = "Name, E-Mail ,email_address\n";
	struct lw_csv_reader *r;
	const struct lw_csv_record *rec;
	FILE *fp;

	(void)state;
	fp = fmemopen((void *)in, sizeof(in) - 1, "r");
	assert_non_null(fp);
	assert_int_equal(lw_csv_reader_new(&r, fp, 0), LW_OK);
	assert_int_equal(lw_csv_next(r, &rec), 1);
	assert_int_equal(lw_csv_find_column(rec, "e-mail"), 1);
	assert_int_equal(lw_csv_find_column(rec, "NAME"), 0);
	assert_int_equal(lw_csv_find_column(rec, "Email_Address"), 2);
	assert_int_equal(lw_csv_find_column(rec, "email"), LW_ENOENT);
	lw_csv_reader_free(r);
	fclose(fp);
}

/* test_many_records - records beyond one read come out whole and in order */
static void
test_many_records(void **state)
{
	struct lw_csv_reader *r;
	const struct lw_csv_record *rec;
	char *buf = NULL, want[64];
	size_t size = 0;
	FILE *fp;
	unsigned i;

	(void)state;
	fp = open_memstream(&buf, &size);
	assert_non_null(fp);
	fputs("email,n\n", fp);
	for (i = 0; i < 20000; i++)
		fprintf(fp, "user%u@example.com,%u\n", i, i);
	fclose(fp);
	fp = fmemopen(buf, size, "r");
	assert_non_null(fp);
	assert_int_equal(lw_csv_reader_new(&r, fp, 0), LW_OK);
	assert_int_equal(lw_csv_next(r, &rec), 1);
	for (i = 0; i < 20000; i++) {
		assert_int_equal(lw_csv_next(r, &rec), 1);
		snprintf(want, sizeof(want), "user%u@example.com", i);
		assert_int_equal(rec->line, i + 2);
		assert_int_equal(rec->fields[0].len, strlen(want));
		assert_memory_equal(rec->fields[0].data, want, strlen(want));
	}
	assert_int_equal(lw_csv_next(r, &rec), 0);
	lw_csv_reader_free(r);
	fclose(fp);
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_nul_in_field),
		cmocka_unit_test(test_raw_bytes),
		cmocka_unit_test(test_find_column),
		cmocka_unit_test(test_many_records),
	};

	return cmocka_run_group_tests_name("csvio", tests, NULL, NULL);
}
