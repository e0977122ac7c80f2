/*
 * events_support.h - what the event readers' tests share
 *
 * Included by test_events.c and test_esp.c after cmocka.h: building a
 * record's text, a big temporary input, and a stream that fails midway.
 */
#ifndef LW_EVENTS_SUPPORT_H
#define LW_EVENTS_SUPPORT_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* add - append a formatted piece to buf */
static inline void __attribute__((format(printf, 4, 5)))
add(char *buf, size_t size, size_t *n, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (*n >= size)
		return;
	va_start(ap, fmt);
	k = vsnprintf(buf + *n, size - *n, fmt, ap);
	va_end(ap);
	if (k > 0)
		*n += (size_t)k;
}

/* big_file - a temporary file of head, n bytes of fill, and tail */
static inline FILE *
big_file(const char *head, size_t n, int fill, const char *tail)
{
	char chunk[65536];
	size_t k;
	FILE *fp;

	fp = tmpfile();
	assert_non_null(fp);
	memset(chunk, fill, sizeof(chunk));
	assert_true(fputs(head, fp) >= 0);
	for (; n > 0; n -= k) {
		k = n < sizeof(chunk) ? n : sizeof(chunk);
		assert_int_equal(fwrite(chunk, 1, k, fp), k);
	}
	assert_true(fputs(tail, fp) >= 0);
	rewind(fp);
	return fp;
}

/* A stream that gives its text, then fails with EIO (fopencookie). */
struct failing {
	const char *text;
	size_t off;
};

/* failing_read - the text, then an error */
static inline ssize_t
failing_read(void *cookie, char *buf, size_t size)
{
	struct failing *f = cookie;
	size_t n = strlen(f->text + f->off);

	if (n == 0) {
		errno = EIO;
		return -1;
	}
	if (n > size)
		n = size;
	memcpy(buf, f->text + f->off, n);
	f->off += n;
	return (ssize_t)n;
}

#endif /* LW_EVENTS_SUPPORT_H */
