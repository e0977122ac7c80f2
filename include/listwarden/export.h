/*
 * listwarden/export.h - suppression files in the formats other tools read
 *
 * NAME
 *	export - one suppression, written as a target documents its imports
 *
 * DESCRIPTION
 *	Each format writes what it can carry, as the tool that reads it
 *	documents it:
 *
 *	  csv                   email,reason,class,status,diagnostic,
 *	                        suppressed_at,first_event_at,soft_count,
 *	                        source (a header; times RFC 3339, UTC); the
 *	                        domain rules too, as @domain and *.domain
 *	  ses                   email,BOUNCE or email,COMPLAINT (no header):
 *	                        Amazon SES's bulk import of its
 *	                        account-level suppression list
 *	  ses-jsonl             {"emailAddress":"...","reason":"BOUNCE"}
 *	  mailgun-bounces       address,code,error,created_at (RFC 2822
 *	                        dates): hard, soft and manual suppressions
 *	  mailgun-unsubscribes  address,tag,created_at (tag "*")
 *	  mailgun-complaints    address,created_at
 *	  sendgrid              email,created,reason,status (Unix seconds)
 *	  postmark              EmailAddress,SuppressionReason,Origin,
 *	                        CreatedAt: HardBounce (hard, soft),
 *	                        SpamComplaint, ManualSuppression
 *	                        (unsubscribe: origin Recipient; manual:
 *	                        origin Customer)
 *	  listmonk              email,name: a listmonk import in blocklist
 *	                        mode (the name is the local part)
 *	  postfix               "KEY REJECT 5.1.1 suppressed: REASON", a
 *	                        Postfix access(5) table for postmap; a rule
 *	                        @example.com is "example.com" and
 *	                        *.example.com ".example.com"
 *	  sha256, md5           the hex digest of each identity key (the
 *	                        address with its local part lowercased and
 *	                        its domain in A-labels), through nettle
 *
 *	Text that came from outside (a diagnostic, a source) is untrusted:
 *	in every CSV a cell that a spreadsheet would run as a formula (its
 *	first character "=", "+", "-", "@", TAB or CR) is prefixed with a
 *	single quote, and control characters are removed.  Addresses are
 *	written as they are, since a tool must match them exactly.
 *
 * DIAGNOSTICS
 *	lw_supp_write() and lw_supp_header() return LW_OK, or the negated
 *	errno of a failed write.
 */
#ifndef LISTWARDEN_EXPORT_H
#define LISTWARDEN_EXPORT_H

#include <stddef.h>
#include <stdio.h>

#include <listwarden/store.h>

enum lw_supp_format {
	LW_SUPP_CSV,
	LW_SUPP_SES,
	LW_SUPP_SES_JSONL,
	LW_SUPP_MAILGUN_BOUNCES,
	LW_SUPP_MAILGUN_UNSUBSCRIBES,
	LW_SUPP_MAILGUN_COMPLAINTS,
	LW_SUPP_SENDGRID,
	LW_SUPP_POSTMARK,
	LW_SUPP_LISTMONK,
	LW_SUPP_POSTFIX,
	LW_SUPP_SHA256,
	LW_SUPP_MD5,
	LW_SUPP_FORMAT_COUNT
};

/* lw_supp_format_parse - a format by its name above, or -1 */
int lw_supp_format_parse(const char *name);

/* lw_supp_format_name - the name of a format */
const char *lw_supp_format_name(enum lw_supp_format f);

/* lw_supp_header - the format's header line, if it has one */
int lw_supp_header(FILE *fp, enum lw_supp_format f);

/*
 * lw_supp_carries - whether format f carries sp (a domain rule, or a
 * reason the target keeps in another list), 1 or 0
 */
int lw_supp_carries(enum lw_supp_format f, const struct lw_suppression *sp);

/* lw_supp_needs - the LW_SUPP_CAUSE and LW_SUPP_ADDRESS format f reads */
unsigned lw_supp_needs(enum lw_supp_format f);

/* lw_supp_write - sp as one line of format f */
int lw_supp_write(FILE *fp, enum lw_supp_format f,
    const struct lw_suppression *sp);

/*
 * lw_csv_cell - one CSV cell (RFC 4180 quoting where needed); untrusted
 * text has its control characters removed and a formula neutralized
 */
void lw_csv_cell(FILE *fp, const char *s, size_t n, int untrusted);

#endif /* LISTWARDEN_EXPORT_H */
