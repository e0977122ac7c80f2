/*
 * eval_classify.c - score the classify module against reference records
 *
 * NAME
 *	eval_classify - class agreement with ../shared/data/bounces
 *
 * SYNOPSIS
 *	eval_classify [-v] expected.jsonl
 *
 * DESCRIPTION
 *	Each line of expected.jsonl is what Sisimai 4.25 made of one
 *	recipient of a real bounce message: the enhanced status, the reply
 *	code, the diagnostic text, the feedback type of a complaint, and the
 *	class.  This feeds those fields to lw_classify() (a feedback type
 *	becomes the explicit type "complaint") and compares the classes.  It
 *	measures the classification tables alone, on the reference's own
 *	reading of each message: how well listwarden reads the messages is
 *	the mail parser's score (score.py), once there is one.  Records the
 *	reference calls not-a-bounce are left out: telling those apart is
 *	the parser's job.
 *
 *	Prints the agreement, a confusion matrix, how often listwarden says
 *	hard where the reference does not (wrongly hard: a live subscriber
 *	lost) and the reverse, and with -v every disagreement.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "listwarden.h"

/* field - the string value of "key" in a flat JSON object, unescaped */
static int
field(const char *line, const char *key, char *out, size_t size)
{
	char pat[64];
	const char *p;
	size_t n = 0;
	unsigned cp;

	snprintf(pat, sizeof(pat), "\"%s\": \"", key);
	if ((p = strstr(line, pat)) == NULL) {
		snprintf(pat, sizeof(pat), "\"%s\":\"", key);
		if ((p = strstr(line, pat)) == NULL) {
			out[0] = '\0';
			return 0;
		}
	}
	for (p += strlen(pat); *p && *p != '"' && n + 4 < size; p++) {
		if (*p != '\\') {
			out[n++] = *p;
			continue;
		}
		switch (*++p) {
		case 'n': out[n++] = '\n'; break;
		case 't': out[n++] = '\t'; break;
		case 'r': out[n++] = '\r'; break;
		case 'u':
			if (sscanf(p + 1, "%4x", &cp) != 1)
				break;
			p += 4;
			if (cp < 0x80) {
				out[n++] = (char)cp;
			} else if (cp < 0x800) {
				out[n++] = (char)(0xc0 | cp >> 6);
				out[n++] = (char)(0x80 | (cp & 0x3f));
			} else {
				out[n++] = (char)(0xe0 | cp >> 12);
				out[n++] = (char)(0x80 | ((cp >> 6) & 0x3f));
				out[n++] = (char)(0x80 | (cp & 0x3f));
			}
			break;
		default: out[n++] = *p;
		}
	}
	out[n] = '\0';
	return 1;
}

int
main(int argc, char **argv)
{
	static char line[1 << 16], status[64], reply[64], text[1 << 15],
	    feedback[128], want[64], file[512];
	unsigned long m[LW_CLASS_COUNT][LW_CLASS_COUNT] = { { 0 } };
	unsigned long total = 0, agree = 0, skipped = 0, wrong_hard = 0,
	    missed_hard = 0, ref_hard = 0, said_hard = 0;
	struct lw_classify_in in;
	struct lw_classification out;
	int verbose = 0, w, i, j;
	FILE *fp;

	if (argc > 1 && strcmp(argv[1], "-v") == 0) {
		verbose = 1;
		argc--;
		argv++;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: eval_classify [-v] expected.jsonl\n");
		return 2;
	}
	if ((fp = fopen(argv[1], "r")) == NULL) {
		perror(argv[1]);
		return 2;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		field(line, "class", want, sizeof(want));
		if ((w = lw_class_parse(want)) < 0) {
			skipped++;		/* not-a-bounce */
			continue;
		}
		field(line, "file", file, sizeof(file));
		field(line, "status", status, sizeof(status));
		field(line, "replycode", reply, sizeof(reply));
		field(line, "diagnostic", text, sizeof(text));
		field(line, "feedbacktype", feedback, sizeof(feedback));
		in.type = feedback[0] ? "complaint" : NULL;
		in.status = status;
		in.reply = reply;
		in.text = text;
		lw_classify(&in, &out);
		total++;
		m[w][out.cls]++;
		agree += (int)out.cls == w;
		ref_hard += w == LW_CLASS_HARD;
		said_hard += out.cls == LW_CLASS_HARD;
		wrong_hard += out.cls == LW_CLASS_HARD && w != LW_CLASS_HARD;
		missed_hard += w == LW_CLASS_HARD && out.cls != LW_CLASS_HARD;
		if (verbose && (int)out.cls != w)
			printf("  %-9s want %-9s %-34s %s %s %.100s [%s]\n",
			    lw_class_name(out.cls), want, out.rule, status,
			    reply, text, file);
	}
	fclose(fp);
	printf("classify: %lu/%lu classes agree with the reference (%.1f%%); "
	    "%lu not-a-bounce records left out\n", agree, total,
	    total ? 100.0 * (double)agree / (double)total : 0.0, skipped);
	printf("classify: wrongly hard %lu of %lu said hard; missed hard %lu "
	    "of %lu hard\n", wrong_hard, said_hard, missed_hard, ref_hard);
	printf("classify: rows the reference, columns listwarden\n%12s", "");
	for (j = 0; j < LW_CLASS_COUNT; j++)
		printf("%10.9s", lw_class_name(j));
	putchar('\n');
	for (i = 0; i < LW_CLASS_COUNT; i++) {
		printf("%12s", lw_class_name(i));
		for (j = 0; j < LW_CLASS_COUNT; j++)
			printf("%10lu", m[i][j]);
		putchar('\n');
	}
	return 0;
}
