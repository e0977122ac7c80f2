/*
 * classify_int.h - what classify.c and the catalogue of kinds share
 * (internal)
 */
#ifndef LW_CLASSIFY_INT_H
#define LW_CLASSIFY_INT_H

#include "listwarden/classify.h"

/* The kind a rule of classify's tables means, or LW_KIND_UNKNOWN. */
enum lw_kind kind_of_rule(const char *rule);

/* The kind an enhanced status means, or LW_KIND_UNKNOWN. */
enum lw_kind kind_of_status(int cls, int subject, int detail);

/* The kind a reply code means, or LW_KIND_UNKNOWN. */
enum lw_kind kind_of_reply(int code);

/* The kind a class alone implies (complaint ...), or LW_KIND_UNKNOWN. */
enum lw_kind kind_of_class(enum lw_class cls);

#endif /* LW_CLASSIFY_INT_H */
