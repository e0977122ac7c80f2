/*
 * listwarden/classify.h - what a bounce, a complaint or a delivery means
 *
 * NAME
 *	classify - (type, enhanced status, reply code, text) -> class
 *
 * DESCRIPTION
 *	A pure function over what a feed or a bounce message says of one
 *	recipient: an explicit type (an ESP's "hard", "bounce", "complaint"
 *	...), an RFC 3463 enhanced status code ("5.1.1"), an SMTP reply code
 *	("550") and the diagnostic text, any of them missing.  The answer is
 *	one class and the identifier of the rule that decided, so that a user
 *	can see why.  The rules are tables in src/classify.c, written to be
 *	read and audited; the order in which they are consulted is:
 *
 *	  1. an explicit type that names a class decides;
 *	  2. a 2.x.x status is a delivery;
 *	  3. a specific enhanced status (not X.0.0) decides by its table,
 *	     except where the text says the mailbox is full (soft: servers
 *	     report a full mailbox under many codes) and where a temporary
 *	     (4.x.x) status meets text that would otherwise be hard (never
 *	     hard on a temporary failure);
 *	  4. otherwise the text decides, by its phrase table, a 4xx reply or
 *	     4.0.0 status turning a hard phrase into soft;
 *	  5. otherwise the reply code (or the status's class digit) decides;
 *	  6. otherwise the class is unknown.
 *
 * DIAGNOSTICS
 *	None: every input has an answer, unknown included.
 */
#ifndef LISTWARDEN_CLASSIFY_H
#define LISTWARDEN_CLASSIFY_H

enum lw_class {
	LW_CLASS_UNKNOWN = 0,
	LW_CLASS_HARD,		/* the address does not exist: suppress */
	LW_CLASS_SOFT,		/* the mailbox, for now: count */
	LW_CLASS_TECHNICAL,	/* the way there (DNS, routing): count */
	LW_CLASS_POLICY,	/* the sender's fault: record, report */
	LW_CLASS_COMPLAINT,	/* the recipient said spam: suppress */
	LW_CLASS_UNSUBSCRIBE,	/* the recipient said stop: suppress */
	LW_CLASS_DELIVERED,	/* it arrived: resets the soft count */
	LW_CLASS_AUTO_REPLY,	/* an out-of-office or other automatic
				   reply (RFC 3834): recorded, never a bounce */
	LW_CLASS_COUNT
};

/* What is known of one recipient's outcome; any member may be NULL or "". */
struct lw_classify_in {
	const char *type;	/* an ESP's event type */
	const char *status;	/* enhanced status code, "5.1.1" */
	const char *reply;	/* SMTP reply code, "550" */
	const char *text;	/* the diagnostic */
};

struct lw_classification {
	enum lw_class cls;
	const char *rule;	/* a stable identifier, static storage */
};

/* lw_classify - the class of one outcome, and the rule that decided */
void lw_classify(const struct lw_classify_in *in,
    struct lw_classification *out);

/*
 * lw_classify_type_known - 1 when type (NULL or "" included) is an
 * explicit type lw_classify() knows, whether or not it decides the
 * class alone ("bounce" and "failed" leave it to the codes), else 0
 */
int lw_classify_type_known(const char *type);

/* lw_class_name - "hard", "soft" ... "unknown" */
const char *lw_class_name(enum lw_class cls);

/* lw_class_parse - the class named name, or -1 */
int lw_class_parse(const char *name);

#endif /* LISTWARDEN_CLASSIFY_H */
