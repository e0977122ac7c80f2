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

/*
 * KINDS
 *	A class says what listwarden does with an address; a kind says why
 *	the mail came back and what the sender should do.  The catalogue
 *	(src/kinds.c) gives each kind the signals that identify it, the
 *	class it implies, what listwarden does, and the advice.
 *	lw_kind_of() finds an outcome's kind from what decided its class:
 *	the class itself for complaints, unsubscribes, auto-replies and
 *	deliveries; the bounce reader's own rule (a "user unknown" after
 *	DATA is "filtered"); else the row of classify's phrase table the
 *	diagnostic matches (a generic "policy" wording giving way to a
 *	status that says more); else the enhanced status; else the reply
 *	code; else unknown.
 */
enum lw_kind {
	LW_KIND_UNKNOWN = 0,
	LW_KIND_USER_UNKNOWN,
	LW_KIND_DOMAIN_NOT_FOUND,
	LW_KIND_INVALID_ADDRESS,
	LW_KIND_MAILBOX_FULL,
	LW_KIND_MAILBOX_DISABLED,
	LW_KIND_MAILBOX_UNAVAILABLE,
	LW_KIND_FILTERED,
	LW_KIND_RELAY_DENIED,
	LW_KIND_PTR_MISSING,
	LW_KIND_DKIM_FAILED,
	LW_KIND_SPF_FAILED,
	LW_KIND_DMARC_FAILED,
	LW_KIND_BLOCKLISTED,
	LW_KIND_BAD_REPUTATION,
	LW_KIND_RATE_LIMITED,
	LW_KIND_CONTENT_REJECTED,
	LW_KIND_MESSAGE_TOO_LARGE,
	LW_KIND_DNS_FAILURE,
	LW_KIND_ROUTING_ERROR,
	LW_KIND_GREYLISTED,
	LW_KIND_PROTOCOL_ERROR,
	LW_KIND_SENDER_REJECTED,
	LW_KIND_NOT_PERMITTED,
	LW_KIND_POLICY_REJECTED,
	LW_KIND_AUTO_REPLY,
	LW_KIND_COMPLAINT,
	LW_KIND_UNSUBSCRIBE,
	LW_KIND_DELIVERED,
	LW_KIND_COUNT
};

/* A row of the catalogue; every string is static. */
struct lw_kind_info {
	const char *name;	/* "user-unknown" */
	enum lw_class cls;	/* the class it implies */
	const char *signals;	/* the codes and wordings that identify it */
	const char *action;	/* what listwarden does */
	const char *advice;	/* what the sender should do */
};

/*
 * lw_kind_of - the kind of an outcome classified cls by rule (as
 * lw_classify() or a reader's own table decided) from in
 */
enum lw_kind lw_kind_of(const struct lw_classify_in *in, enum lw_class cls,
    const char *rule);

/* lw_kind_info - a kind's row of the catalogue (unknown's when out of range) */
const struct lw_kind_info *lw_kind_info(enum lw_kind kind);

/* lw_kind_name - "user-unknown" ... "unknown" */
const char *lw_kind_name(enum lw_kind kind);

/* lw_kind_parse - the kind named name, ignoring case, or -1 */
int lw_kind_parse(const char *name);

#endif /* LISTWARDEN_CLASSIFY_H */
