/*
 * emit.c - write strings safely into JSON and TSV output
 *
 * NAME
 *	emit - escaping shared by the commands
 *
 * DESCRIPTION
 *	Input from users' files may hold any byte.  Nothing is echoed raw:
 *	JSON strings are valid UTF-8 with controls escaped, and a TSV field
 *	never holds a TAB, a line break or a byte that is not UTF-8.
 */
#include <stdint.h>
#include <stdio.h>

#include <unistr.h>

#include "cli.h"

/* emit_json_string - s as a quoted JSON string */
void
emit_json_string(FILE *fp, const char *s, size_t n)
{
	const uint8_t *p = (const uint8_t *)s, *end = p + n;
	ucs4_t uc;
	int len;

	putc('"', fp);
	while (p < end) {
		if (*p < 0x80) {
			switch (*p) {
			case '"':
				fputs("\\\"", fp);
				break;
			case '\\':
				fputs("\\\\", fp);
				break;
			case '\n':
				fputs("\\n", fp);
				break;
			case '\r':
				fputs("\\r", fp);
				break;
			case '\t':
				fputs("\\t", fp);
				break;
			default:
				if (*p < 0x20 || *p == 0x7f)
					fprintf(fp, "\\u%04x", *p);
				else
					putc(*p, fp);
			}
			p++;
			continue;
		}
		len = u8_mbtouc(&uc, p, (size_t)(end - p));
		if (uc == 0xfffd && !(len == 3 && p[0] == 0xef &&
		    p[1] == 0xbf && p[2] == 0xbd))
			fputs("\\ufffd", fp);	/* not UTF-8 */
		else if (uc <= 0x9f)
			fprintf(fp, "\\u%04x", (unsigned)uc);
		else
			fwrite(p, 1, (size_t)len, fp);
		p += len;
	}
	putc('"', fp);
}

/* emit_tsv_field - s as a TSV field that holds no TAB, line break or bad byte */
void
emit_tsv_field(FILE *fp, const char *s, size_t n)
{
	const uint8_t *p = (const uint8_t *)s, *end = p + n;
	ucs4_t uc;
	int len, i;

	while (p < end) {
		if (*p < 0x80) {
			switch (*p) {
			case '\\':
				fputs("\\\\", fp);
				break;
			case '\t':
				fputs("\\t", fp);
				break;
			case '\n':
				fputs("\\n", fp);
				break;
			case '\r':
				fputs("\\r", fp);
				break;
			default:
				if (*p < 0x20 || *p == 0x7f)
					fprintf(fp, "\\x%02x", *p);
				else
					putc(*p, fp);
			}
			p++;
			continue;
		}
		len = u8_mbtouc(&uc, p, (size_t)(end - p));
		if ((uc == 0xfffd && !(len == 3 && p[0] == 0xef &&
		    p[1] == 0xbf && p[2] == 0xbd)) || uc <= 0x9f)
			for (i = 0; i < len; i++)
				fprintf(fp, "\\x%02x", p[i]);
		else
			fwrite(p, 1, (size_t)len, fp);
		p += len;
	}
}
