/*
 * listwarden.h - the listwarden library, all of it
 *
 * listwarden keeps a sender's mailing lists clean: it validates and
 * normalizes addresses, and (as later modules land) stores lists and the
 * bounces, complaints and unsubscribes that come back after a send.  Each
 * module is one header under listwarden/; this one includes them all.
 * Errors read the same in every module: see listwarden/error.h.
 */
#ifndef LISTWARDEN_H
#define LISTWARDEN_H

#define LW_VERSION "0.1.0"

#include <listwarden/error.h>
#include <listwarden/address.h>
#include <listwarden/classify.h>
#include <listwarden/policy.h>
#include <listwarden/csvio.h>
#include <listwarden/events.h>
#include <listwarden/mail.h>
#include <listwarden/store.h>
#include <listwarden/export.h>

#endif /* LISTWARDEN_H */
