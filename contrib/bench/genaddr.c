/*
 * genaddr.c - generate email addresses for the listwarden benchmark
 *
 * NAME
 *	genaddr - print N made-up email addresses, one a line
 *
 * SYNOPSIS
 *	genaddr N [SEED]
 *	genaddr --csv N [SEED]
 *	genaddr --store-list N [SEED]
 *	genaddr --events N [SEED [LIST_N]]
 *	genaddr --lookups N [SEED [LIST_N]]
 *
 * DESCRIPTION
 *	Writes N addresses to standard output, the same ones for the same
 *	SEED (default 1).  The mix imitates a sender's real list:
 *
 *	  ~90%	plain ASCII addresses: first.last, initials, digits, plus
 *		tags, now and then mixed case, at webmail, company and
 *		country-code domains
 *	   ~5%	addresses at internationalized domains, drawn from a small
 *		fixed set (a real list holds few distinct ones), sometimes
 *		in upper or mixed case
 *	   ~1%	addresses with a non-ASCII local part (SMTPUTF8)
 *	   ~1%	valid addresses in a "Name <addr>" or "<addr>" wrapper
 *	   ~3%	invalid addresses of assorted kinds: no @, two @, a
 *		trailing, leading or doubled dot, a space, a domain without
 *		a dot, a quoted local part, a domain literal, a digit TLD,
 *		an overlong local part, a line that is not UTF-8, ...
 *
 *	With --csv, writes a list as a CRM or ESP would export it: a header
 *	row "email,first_name,last_name,signup_date,id", then N rows whose
 *	email column is drawn from the same mix, and in which
 *
 *	  ~3%	repeat an address of an earlier row (among the last 8192),
 *		as it was or in another letter case
 *	  ~8%	have every field quoted, as some exporters write them
 *
 *	and otherwise fields are quoted only when they must be (a comma or
 *	a quote inside: "Smith, Jr.", a quoted local part), quotes doubled.
 *	First names are sometimes empty, names sometimes non-ASCII; dates
 *	are YYYY-MM-DD, now and then with a time; id counts up from 100001.
 *	The CSV mode's addresses are not those of the plain mode.
 *
 *	With --store-list, writes the rows --csv would, header and all, as
 *	many as it takes for N distinct valid addresses (ASCII case folded,
 *	wrappers taken off, invalid ones not counted): the names repeat, so
 *	--csv N holds fewer, ~790000 for a million rows.  Its first rows are
 *	those of --csv with the same SEED.
 *
 *	With --events, writes N bounce, complaint and delivery events over
 *	the addresses of the list `genaddr --csv LIST_N SEED` (LIST_N
 *	defaults to N; give the row count of a --store-list), as a CSV with
 *	the header "email,type,status,timestamp,diagnostic,event_id":
 *
 *	  ~95%	to the list's valid addresses, written as in the list
 *		(where they first appear, unwrapped), each picked once in a
 *		random order until those events are used up; ~69% of the
 *		list gets some when N is its number of addresses
 *	   ~5%	to made-up addresses that are not on the list
 *
 *	Each address gets 1 to 6 events (78%, 13%, 5%, 2%, 1%, 1%).  Each
 *	event is, independently:
 *
 *	  55%	soft: no type, status "452 4.2.2", "mailbox full" and the like
 *	  15%	hard: status "550 5.1.1", "user unknown" and the like
 *	  15%	delivered: type "delivered", status "250 2.0.0"
 *	   8%	policy: status "550 5.7.1", "blocked by spamhaus" and the like
 *	   4%	technical: status "451 4.4.1", "connection timed out"
 *	   2%	complaint: type "complaint"
 *	   1%	unsubscribe: type "unsubscribe"
 *
 *	A diagnostic holding a comma is quoted.  Timestamps are Unix
 *	seconds spread evenly over 90 days from 2024-06-01, and the rows
 *	come in a shuffled order, not by time; event_id is "ev-" and nine
 *	digits, unique.  A summary of the mix goes to standard error.
 *
 *	With --lookups, writes N addresses to look up, one a line: ~90%
 *	drawn at random (with repeats) from the same list's valid addresses,
 *	~10% made up and not on it.  A summary goes to standard error.
 *
 *	The generator is xorshift64* seeded through splitmix64, not rand(),
 *	so the output is the same with every C library.  All names and
 *	company domains are made up.
 *
 * EXIT STATUS
 *	0 on success, 1 on a write error, 2 on bad usage.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))
#define PICK(r, a)	((a)[rng_below((r), (uint32_t)ARRAY_LEN(a))])

#define OUT_SIZE	(1u << 16)	/* stdout buffer */
#define LINE_ROOM	1024u		/* more than any one line needs */
#define PART_SIZE	256u		/* a local part or domain */

/* Shares of each kind of line, out of 1000. */
#define SHARE_INVALID	30
#define SHARE_WRAPPED	10
#define SHARE_UTF8LOCAL	10
#define SHARE_IDN	50

/* Shares of CSV rows, out of 1000. */
#define SHARE_REPEAT	30	/* an earlier row's address again */
#define SHARE_QUOTED	80	/* every field quoted */
#define RECENT		8192u	/* earlier addresses a repeat is drawn from */
#define RECENT_SIZE	384u	/* room for one of them */
#define CSV_ROOM	4096u	/* more than any one CSV row needs */
#define FIRST_ID	100001u

struct rng {
	uint64_t s;
};

/* A growing string in a fixed array; callers keep within its size. */
struct str {
	char *p;
	size_t n;
};

enum letter_case {
	CASE_LOWER,
	CASE_CAPITAL,	/* first letter of each word */
	CASE_UPPER
};

enum addr_kind {
	KIND_PLAIN,
	KIND_INVALID,
	KIND_WRAPPED,	/* "Name <addr>" or "<addr>" */
	KIND_UTF8LOCAL,
	KIND_IDN
};

/* What put_csv_row wrote in the email column, for --events. */
struct row_info {
	char email[CSV_ROOM / 4];	/* NUL-ended, as written, unquoted */
	size_t len;
	int repeat;		/* an earlier row's address again */
	enum addr_kind kind;	/* of a row that is no repeat */
};

struct idn {
	const char *lower;
	const char *cased;	/* the same domain as a user might type it */
};

static const char *const first_names[] = {
	"james", "mary", "john", "patricia", "robert", "jennifer", "michael",
	"linda", "david", "elizabeth", "william", "susan", "richard", "jessica",
	"thomas", "sarah", "daniel", "karen", "matthew", "nancy", "anthony",
	"lisa", "mark", "emma", "paul", "olivia", "steven", "sophie", "andrew",
	"chloe", "kevin", "laura", "brian", "anna", "george", "lucy", "peter",
	"hannah", "oliver", "mia", "lukas", "lea", "jonas", "marie", "felix",
	"julia", "pierre", "camille", "antoine", "manon", "luca", "giulia",
	"marco", "sofia", "pablo", "lucia", "jan", "eva", "lars", "ingrid",
	"kenji", "yuki", "wei", "mei", "raj", "priya", "omar", "fatima",
	"ivan", "olga", "ahmed", "aisha", "tom", "kate", "sam", "alex", "max",
	"ben", "zoe", "noah", "liam", "ava", "ethan", "grace", "jack", "ella"
};

static const char *const last_names[] = {
	"smith", "johnson", "williams", "brown", "jones", "garcia", "miller",
	"davis", "wilson", "anderson", "taylor", "thomas", "moore", "martin",
	"jackson", "white", "harris", "clark", "lewis", "walker", "hall",
	"young", "king", "wright", "hill", "green", "baker", "adams", "nelson",
	"carter", "mitchell", "roberts", "evans", "turner", "parker", "collins",
	"murphy", "cook", "rogers", "morgan", "cooper", "reed", "bailey",
	"kelly", "howard", "ward", "watson", "brooks", "wood", "bennett",
	"schmidt", "schneider", "fischer", "weber", "meyer", "wagner", "becker",
	"hoffmann", "dubois", "moreau", "laurent", "lefebvre", "rossi", "russo",
	"ferrari", "bianchi", "fernandez", "lopez", "martinez", "sanchez",
	"jansen", "devries", "nielsen", "hansen", "larsen", "johansson",
	"kowalski", "novak", "tanaka", "suzuki", "sato", "wang", "li", "zhang",
	"chen", "kumar", "sharma", "patel", "khan", "ali", "ivanov", "petrov",
	"obrien", "mcdonald", "oconnor", "nguyen", "kim", "park", "silva"
};

static const char *const words[] = {
	"sunshine", "tiger", "gamer", "coffee", "travel", "music", "happy",
	"blue", "dragon", "star", "rocket", "pixel", "ninja", "wolf", "moon",
	"summer", "shadow", "angel", "lucky", "sweet", "cool", "crazy",
	"silver", "golden", "dancer", "runner", "rider", "chef", "photo",
	"garden"
};

static const char *const tags[] = {
	"news", "newsletter", "lists", "shop", "shopping", "promo", "spam",
	"work", "2023", "2024", "signup", "deals", "receipts", "bench"
};

static const char *const webmail[] = {
	"gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com",
	"aol.com", "live.com", "msn.com", "protonmail.com", "proton.me",
	"comcast.net", "verizon.net", "att.net", "me.com", "mac.com",
	"yahoo.co.uk", "hotmail.co.uk", "btinternet.com", "sky.com",
	"gmx.de", "gmx.net", "web.de", "t-online.de", "freenet.de",
	"orange.fr", "free.fr", "laposte.net", "wanadoo.fr", "sfr.fr",
	"yahoo.fr", "hotmail.fr", "libero.it", "tiscali.it", "virgilio.it",
	"yahoo.es", "telefonica.net", "ziggo.nl", "kpnmail.nl", "bluewin.ch",
	"seznam.cz", "wp.pl", "o2.pl", "mail.ru", "yandex.ru", "qq.com",
	"163.com", "naver.com", "yahoo.co.jp", "bigpond.com", "shaw.ca",
	"rediffmail.com", "uol.com.br", "terra.com.br", "gmx.at", "telia.com"
};

static const char *const company_a[] = {
	"northwind", "acme", "contoso", "fabrikam", "globex", "initech",
	"umbrella", "blue", "river", "summit", "pioneer", "atlas", "bright",
	"harbor", "cedar", "maple", "silver", "granite", "nova", "apex",
	"delta", "lumen", "orbit", "quantum", "evergreen", "redwood", "falcon",
	"meridian", "northstar", "oakridge", "pinecrest", "sterling", "vertex",
	"zenith", "coastal", "alpine", "copper", "crescent", "horizon", "iron"
};

static const char *const company_b[] = {
	"traders", "widgets", "labs", "systems", "logistics", "consulting",
	"media", "health", "foods", "energy", "partners", "group", "digital",
	"software", "solutions", "design", "bank", "insurance", "legal",
	"studio", "works", "tech", "analytics", "outdoors", "books", "travel",
	"dental", "realty", "motors", "garden", "supply", "capital", "craft"
};

/* Repeats weight the common ones. */
static const char *const tlds[] = {
	"com", "com", "com", "com", "com", "com", "com", "com", "net", "org",
	"io", "co", "co.uk", "co.uk", "co.uk", "org.uk", "de", "de", "de",
	"fr", "fr", "nl", "es", "it", "ch", "at", "be", "se", "no", "dk", "fi",
	"pl", "cz", "pt", "ie", "com.au", "co.nz", "ca", "ca", "jp", "co.jp",
	"com.br", "in", "co.in", "co.za", "mx", "us", "eu", "biz", "info",
	"dev", "app", "ai", "gr", "hu", "ro", "sg", "com.sg", "hk", "kr"
};

static const char *const subdomains[] = {
	"mail", "email", "eu", "us", "uk", "corp", "staff", "alumni",
	"students", "hq", "office"
};

static const struct idn idns[] = {
	{ "münchen.de", "München.DE" },
	{ "bücher.de", "BÜCHER.de" },
	{ "köln.de", "Köln.de" },
	{ "zürich.ch", "Zürich.CH" },
	{ "straße.de", "Straße.de" },
	{ "müller-bäckerei.de", "Müller-Bäckerei.de" },
	{ "café.fr", "Café.FR" },
	{ "noël.fr", "NOËL.fr" },
	{ "españa.es", "España.ES" },
	{ "blåbær.no", "Blåbær.no" },
	{ "göteborg.se", "Göteborg.SE" },
	{ "例え.jp", "例え.JP" },
	{ "日本語.jp", "日本語.Jp" },
	{ "пример.рф", "ПРИМЕР.РФ" },
	{ "москва.рф", "Москва.рф" },
	{ "παράδειγμα.ελ", "Παράδειγμα.ΕΛ" },
	{ "中国.cn", "中国.CN" },
	{ "한국.kr", "한국.KR" },
	{ "उदाहरण.भारत", "उदाहरण.भारत" },
	{ "مثال.مصر", "مثال.مصر" }
};

/* NFC except the two marked NFD, which a normalizer should still accept. */
static const char *const utf8_locals[] = {
	"josé", "müller", "françois", "zoë", "søren", "łukasz", "günther",
	"renée", "björn", "núñez", "çelik", "jürgen.schmidt", "chloé.dubois",
	"ana.garcía", "josé.martínez", "håkon", "ştefan", "andrés", "ümit",
	"андрей", "иван.петров", "δημήτρης", "李雷", "山田太郎", "pelé",
	"jose\xcc\x81", "mu\xcc\x88ller"
};

/* Names as people type them into a signup form, for the CSV columns. */
static const char *const odd_first_names[] = {
	"José", "Zoë", "Søren", "Łukasz", "Björn", "Renée", "François",
	"Jürgen", "Håkon", "Ştefan", "Андрей", "Δημήτρης", "李雷", "Anne-Marie",
	"Mary Ann", "J.", "Jean-Luc"
};

static const char *const odd_last_names[] = {
	"Müller", "García", "Núñez", "Çelik", "Lefèvre", "Østergaard",
	"Wiśniewski", "Иванов", "山田", "O'Brien", "O'Connor", "D'Angelo",
	"van der Berg", "de la Cruz", "Smith-Jones", "MacDonald"
};

static const char *const name_suffixes[] = {
	", Jr.", ", Sr.", ", III", ", PhD", " (work)"
};

/* rng_seed - start the generator from seed, spread out by splitmix64 */
static void
rng_seed(struct rng *r, uint64_t seed)
{
	uint64_t z = seed + 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	r->s = z != 0 ? z : 0x2545f4914f6cdd1dULL;
}

/* rng_next - the next 64 random bits (xorshift64*) */
static uint64_t
rng_next(struct rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545f4914f6cdd1dULL;
}

/* rng_below - a random number from 0 to n - 1, n > 0 */
static uint32_t
rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rng_next(r) >> 32) * n) >> 32);
}

/* str_put - append the string s */
static void
str_put(struct str *b, const char *s)
{
	size_t len = strlen(s);

	memcpy(b->p + b->n, s, len);
	b->n += len;
}

/* str_putc - append one character */
static void
str_putc(struct str *b, char c)
{
	b->p[b->n++] = c;
}

/* str_putn - append the decimal digits of v */
static void
str_putn(struct str *b, unsigned v)
{
	char tmp[12];
	size_t i = sizeof(tmp);

	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	memcpy(b->p + b->n, tmp + i, sizeof(tmp) - i);
	b->n += sizeof(tmp) - i;
}

/* str_put_cased - append the ASCII string s in the letter case lc */
static void
str_put_cased(struct str *b, const char *s, enum letter_case lc)
{
	int start = 1;

	for (; *s != '\0'; s++) {
		char c = *s;

		if (c >= 'a' && c <= 'z' &&
		    (lc == CASE_UPPER || (lc == CASE_CAPITAL && start)))
			c = (char)(c - 'a' + 'A');
		start = !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
		str_putc(b, c);
	}
}

/* str_put_initial - append the first letter of s in the letter case lc */
static void
str_put_initial(struct str *b, const char *s, enum letter_case lc)
{
	char c = s[0];

	if (lc != CASE_LOWER)
		c = (char)(c - 'a' + 'A');
	str_putc(b, c);
}

/* pick_case - mostly lower case, sometimes Capitalized or UPPER */
static enum letter_case
pick_case(struct rng *r)
{
	uint32_t x = rng_below(r, 100);

	if (x < 93)
		return CASE_LOWER;
	if (x < 99)
		return CASE_CAPITAL;
	return CASE_UPPER;
}

/* put_local - append a realistic ASCII local part */
static void
put_local(struct rng *r, struct str *b)
{
	const char *first = PICK(r, first_names);
	const char *last = PICK(r, last_names);
	enum letter_case lc = pick_case(r);
	uint32_t form = rng_below(r, 100);

	if (form < 30) {			/* first.last */
		str_put_cased(b, first, lc);
		str_putc(b, '.');
		str_put_cased(b, last, lc);
	} else if (form < 40) {			/* firstlast */
		str_put_cased(b, first, lc);
		str_put(b, last);
	} else if (form < 50) {			/* f.last, flast */
		str_put_initial(b, first, lc);
		if (rng_below(r, 2) != 0)
			str_putc(b, '.');
		str_put_cased(b, last, lc);
	} else if (form < 64) {			/* first42, first1987 */
		str_put_cased(b, first, lc);
		if (rng_below(r, 2) != 0)
			str_putn(b, 1950 + rng_below(r, 58));
		else
			str_putn(b, rng_below(r, 1000));
	} else if (form < 69) {			/* first_last */
		str_put_cased(b, first, lc);
		str_putc(b, '_');
		str_put_cased(b, last, lc);
	} else if (form < 74) {			/* last.first */
		str_put_cased(b, last, lc);
		str_putc(b, '.');
		str_put_cased(b, first, lc);
	} else if (form < 80) {			/* jd1987, abk42 */
		str_put_initial(b, first, lc);
		if (rng_below(r, 3) == 0)
			str_put_initial(b, PICK(r, first_names), lc);
		str_put_initial(b, last, lc);
		str_putn(b, rng_below(r, 100));
	} else if (form < 84) {			/* first-last */
		str_put_cased(b, first, lc);
		str_putc(b, '-');
		str_put_cased(b, last, lc);
	} else if (form < 91) {			/* firstl */
		str_put_cased(b, first, lc);
		str_put_initial(b, last, CASE_LOWER);
	} else if (form < 96) {			/* coffeelover77 */
		str_put(b, PICK(r, words));
		if (rng_below(r, 2) != 0)
			str_putc(b, '_');
		str_put(b, PICK(r, words));
		str_putn(b, rng_below(r, 100));
	} else {				/* last.f.99 */
		str_put_cased(b, last, lc);
		str_putc(b, '.');
		str_put_initial(b, first, lc);
		str_putc(b, '.');
		str_putn(b, rng_below(r, 100));
	}
	if (rng_below(r, 100) < 4) {
		str_putc(b, '+');
		str_put(b, PICK(r, tags));
	}
}

/* put_domain - append an ASCII domain: webmail, company or country */
static void
put_domain(struct rng *r, struct str *b)
{
	uint32_t x = rng_below(r, 100);
	enum letter_case lc = CASE_LOWER;

	if (rng_below(r, 100) < 3)
		lc = rng_below(r, 2) != 0 ? CASE_CAPITAL : CASE_UPPER;
	if (x < 22) {
		str_put_cased(b, "gmail.com", lc);
	} else if (x < 28) {
		str_put_cased(b, "yahoo.com", lc);
	} else if (x < 33) {
		str_put_cased(b, "outlook.com", lc);
	} else if (x < 55) {
		str_put_cased(b, PICK(r, webmail), lc);
	} else {
		if (rng_below(r, 100) < 6) {
			str_put(b, PICK(r, subdomains));
			str_putc(b, '.');
		}
		str_put_cased(b, PICK(r, company_a), lc);
		switch (rng_below(r, 3)) {
		case 0:
			str_putc(b, '-');
			/* FALLTHROUGH */
		case 1:
			str_put(b, PICK(r, company_b));
			break;
		default:
			break;
		}
		str_putc(b, '.');
		str_put_cased(b, PICK(r, tlds), lc);
	}
}

/* put_idn_domain - append one of the fixed internationalized domains */
static void
put_idn_domain(struct rng *r, struct str *b)
{
	const struct idn *d = &PICK(r, idns);

	str_put(b, rng_below(r, 100) < 25 ? d->cased : d->lower);
}

/* put_invalid - append an invalid address of a random kind */
static void
put_invalid(struct rng *r, struct str *b)
{
	char lbuf[PART_SIZE], dbuf[PART_SIZE];
	struct str l = { lbuf, 0 }, d = { dbuf, 0 };
	size_t i;

	put_local(r, &l);
	put_domain(r, &d);
	l.p[l.n] = '\0';
	d.p[d.n] = '\0';
	switch (rng_below(r, 18)) {
	case 0:				/* no @ */
		str_put(b, l.p);
		str_put(b, d.p);
		break;
	case 1:				/* two @, together or apart */
		str_put(b, l.p);
		str_put(b, rng_below(r, 2) != 0 ? "@@" : "@home@");
		str_put(b, d.p);
		break;
	case 2:				/* trailing dot */
		str_put(b, l.p);
		str_putc(b, '@');
		str_put(b, d.p);
		str_putc(b, '.');
		break;
	case 3:				/* double dot in the local part */
		str_put(b, PICK(r, first_names));
		str_put(b, "..");
		str_put(b, PICK(r, last_names));
		str_putc(b, '@');
		str_put(b, d.p);
		break;
	case 4:				/* space inside */
		str_put(b, PICK(r, first_names));
		str_putc(b, ' ');
		str_put(b, PICK(r, last_names));
		str_putc(b, '@');
		str_put(b, d.p);
		break;
	case 5:				/* domain without a dot */
		str_put(b, l.p);
		str_putc(b, '@');
		str_put(b, rng_below(r, 3) == 0 ? "localhost" :
		    PICK(r, company_a));
		break;
	case 6:				/* quoted local part */
		str_putc(b, '"');
		str_put(b, PICK(r, first_names));
		str_putc(b, ' ');
		str_put(b, PICK(r, last_names));
		str_put(b, "\"@");
		str_put(b, d.p);
		break;
	case 7:				/* leading dot in the local part */
		str_putc(b, '.');
		str_put(b, l.p);
		str_putc(b, '@');
		str_put(b, d.p);
		break;
	case 8:				/* trailing dot in the local part */
		str_put(b, l.p);
		str_put(b, ".@");
		str_put(b, d.p);
		break;
	case 9:				/* empty local part */
		str_putc(b, '@');
		str_put(b, d.p);
		break;
	case 10:			/* empty domain */
		str_put(b, l.p);
		str_putc(b, '@');
		break;
	case 11:			/* domain literal */
		str_put(b, l.p);
		str_put(b, "@[192.168.");
		str_putn(b, rng_below(r, 256));
		str_putc(b, '.');
		str_putn(b, 1 + rng_below(r, 254));
		str_putc(b, ']');
		break;
	case 12:			/* double dot in the domain */
		str_put(b, l.p);
		str_putc(b, '@');
		str_put(b, PICK(r, company_a));
		str_put(b, "..com");
		break;
	case 13:			/* label starting or ending with '-' */
		str_put(b, l.p);
		str_put(b, rng_below(r, 2) != 0 ? "@-" : "@");
		str_put(b, PICK(r, company_a));
		str_put(b, rng_below(r, 2) != 0 ? "-.com" : ".com");
		break;
	case 14:			/* digits in the TLD */
		str_put(b, l.p);
		str_putc(b, '@');
		str_put(b, PICK(r, company_a));
		str_put(b, rng_below(r, 2) != 0 ? ".c0m" : ".123");
		break;
	case 15:			/* local part over 64 octets */
		for (i = 0; i < 6; i++) {
			str_put(b, PICK(r, first_names));
			str_put(b, PICK(r, last_names));
		}
		str_put(b, "-longer-than-sixty-four-octets@");
		str_put(b, d.p);
		break;
	case 16:			/* a character atext lacks */
		str_put(b, PICK(r, first_names));
		str_putc(b, "():;<>[\\]"[rng_below(r, 9)]);
		str_put(b, PICK(r, last_names));
		str_putc(b, '@');
		str_put(b, d.p);
		break;
	default:			/* Latin-1, not UTF-8 */
		str_put(b, rng_below(r, 2) != 0 ? "jos\xe9" : "m\xfcller");
		str_putc(b, '@');
		str_put(b, d.p);
		break;
	}
}

/* put_wrapped - append a valid address in a "Name <addr>" wrapper */
static void
put_wrapped(struct rng *r, struct str *b)
{
	const char *first = PICK(r, first_names);
	const char *last = PICK(r, last_names);

	if (rng_below(r, 5) != 0) {
		str_put_cased(b, first, CASE_CAPITAL);
		str_putc(b, ' ');
		str_put_cased(b, last, CASE_CAPITAL);
		str_putc(b, ' ');
	}
	str_putc(b, '<');
	str_put(b, first);
	str_putc(b, '.');
	str_put(b, last);
	str_putc(b, '@');
	put_domain(r, b);
	str_putc(b, '>');
}

/* put_address - append one address of a random kind; returns the kind */
static enum addr_kind
put_address(struct rng *r, struct str *b)
{
	uint32_t x = rng_below(r, 1000);

	if (x < SHARE_INVALID) {
		put_invalid(r, b);
		return KIND_INVALID;
	} else if ((x -= SHARE_INVALID) < SHARE_WRAPPED) {
		put_wrapped(r, b);
		return KIND_WRAPPED;
	} else if ((x -= SHARE_WRAPPED) < SHARE_UTF8LOCAL) {
		str_put(b, PICK(r, utf8_locals));
		str_putc(b, '@');
		put_domain(r, b);
		return KIND_UTF8LOCAL;
	} else if ((x -= SHARE_UTF8LOCAL) < SHARE_IDN) {
		put_local(r, b);
		str_putc(b, '@');
		put_idn_domain(r, b);
		return KIND_IDN;
	}
	put_local(r, b);
	str_putc(b, '@');
	put_domain(r, b);
	return KIND_PLAIN;
}

/* put_line - append one address of a random kind and a newline */
static void
put_line(struct rng *r, struct str *b)
{
	put_address(r, b);
	str_putc(b, '\n');
}

/* put_field - append s[0..len) as a CSV field, quoted when it must be */
static void
put_field(struct str *b, const char *s, size_t len, int quote)
{
	size_t i;

	if (!quote)
		for (i = 0; i < len && !quote; i++)
			quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' ||
			    s[i] == '\r';
	if (!quote) {
		memcpy(b->p + b->n, s, len);
		b->n += len;
		return;
	}
	str_putc(b, '"');
	for (i = 0; i < len; i++) {
		if (s[i] == '"')
			str_putc(b, '"');
		str_putc(b, s[i]);
	}
	str_putc(b, '"');
}

/* put_2digits - append v, 0 to 99, as two digits */
static void
put_2digits(struct str *b, unsigned v)
{
	str_putc(b, (char)('0' + v / 10));
	str_putc(b, (char)('0' + v % 10));
}

/* recase - an earlier address as typed again: upper case or Capitalized */
static void
recase(struct rng *r, char *s, size_t len)
{
	size_t i;

	if (rng_below(r, 2) != 0) {
		for (i = 0; i < len; i++)
			if (s[i] >= 'a' && s[i] <= 'z')
				s[i] = (char)(s[i] - 'a' + 'A');
	} else if (len > 0 && s[0] >= 'a' && s[0] <= 'z') {
		s[0] = (char)(s[0] - 'a' + 'A');
	}
}

/*
 * put_csv_row - append one CSV row, the id-th; recent holds the last
 * RECENT addresses (RECENT_SIZE octets each, NUL-ended), *nrecent of them
 * written so far; when info is not NULL, says there what the email column
 * holds
 */
static void
put_csv_row(struct rng *r, struct str *b, uint64_t id, char *recent,
    uint64_t *nrecent, struct row_info *info)
{
	char ebuf[CSV_ROOM / 4], fbuf[PART_SIZE];
	struct str e = { ebuf, 0 }, f = { fbuf, 0 };
	int quote = rng_below(r, 1000) < SHARE_QUOTED;
	const char *name;
	char *slot;
	enum addr_kind kind = KIND_PLAIN;
	int repeat = 0;
	uint32_t x;

	if (*nrecent > 0 && rng_below(r, 1000) < SHARE_REPEAT) {
		x = rng_below(r, *nrecent < RECENT ? (uint32_t)*nrecent :
		    RECENT);
		str_put(&e, recent + (size_t)x * RECENT_SIZE);
		if (rng_below(r, 100) < 40)
			recase(r, e.p, e.n);
		repeat = 1;
	} else {
		kind = put_address(r, &e);
		if (e.n < RECENT_SIZE) {
			slot = recent + (size_t)(*nrecent % RECENT) *
			    RECENT_SIZE;
			memcpy(slot, e.p, e.n);
			slot[e.n] = '\0';
			(*nrecent)++;
		}
	}
	if (info != NULL) {
		memcpy(info->email, e.p, e.n);
		info->email[e.n] = '\0';
		info->len = e.n;
		info->repeat = repeat;
		info->kind = kind;
	}
	put_field(b, e.p, e.n, quote);
	str_putc(b, ',');

	x = rng_below(r, 100);			/* first_name */
	if (x < 3)
		name = "";
	else if (x < 5)
		name = PICK(r, odd_first_names);
	else
		name = NULL;
	f.n = 0;
	if (name != NULL)
		str_put(&f, name);
	else
		str_put_cased(&f, PICK(r, first_names), CASE_CAPITAL);
	put_field(b, f.p, f.n, quote);
	str_putc(b, ',');

	f.n = 0;				/* last_name */
	if (rng_below(r, 100) < 3)
		str_put(&f, PICK(r, odd_last_names));
	else
		str_put_cased(&f, PICK(r, last_names), CASE_CAPITAL);
	if (rng_below(r, 1000) < 15)
		str_put(&f, PICK(r, name_suffixes));
	put_field(b, f.p, f.n, quote);
	str_putc(b, ',');

	f.n = 0;				/* signup_date */
	str_putn(&f, 2012 + rng_below(r, 13));
	str_putc(&f, '-');
	put_2digits(&f, 1 + rng_below(r, 12));
	str_putc(&f, '-');
	put_2digits(&f, 1 + rng_below(r, 28));
	if (rng_below(r, 100) < 25) {
		str_putc(&f, ' ');
		put_2digits(&f, rng_below(r, 24));
		str_putc(&f, ':');
		put_2digits(&f, rng_below(r, 60));
		str_putc(&f, ':');
		put_2digits(&f, rng_below(r, 60));
	}
	put_field(b, f.p, f.n, quote);
	str_putc(b, ',');

	f.n = 0;				/* id */
	str_putn(&f, (unsigned)(FIRST_ID + id));
	put_field(b, f.p, f.n, quote);
	str_putc(b, '\n');
}

/* parse_u64 - read a whole decimal number; 0 on success, -1 if it is not */
static int
parse_u64(const char *s, uint64_t *v)
{
	char *end;
	unsigned long long x;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	x = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return -1;
	*v = x;
	return 0;
}

/* flush - write out b when it is nearly full (or at all when force) */
static int
flush(struct str *b, size_t room, int force)
{
	if (b->n == 0 || (!force && b->n <= OUT_SIZE - room))
		return 0;
	if (fwrite(b->p, 1, b->n, stdout) != b->n)
		return -1;
	b->n = 0;
	return 0;
}

/*
 * The list's addresses, for --events and --lookups: each distinct one
 * (ASCII case folded) once, as first written, and then the made-up
 * addresses not on the list, all in one growing arena.
 */
struct pool {
	char *text;		/* NUL-ended addresses, back to back */
	size_t text_n, text_cap;
	size_t *off;		/* where the i-th address starts in text */
	uint32_t n, cap;
	uint64_t *set;		/* open addressing: hashes of the folded ones */
	uint32_t set_mask;	/* size - 1, a power of 2 minus 1 */
	uint32_t set_n;
};

/* An event before it is written: its recipient, what, when, and its id. */
struct event {
	uint32_t who;		/* index into the pool */
	uint32_t id;		/* from 1, before the arrival order is shuffled */
	uint32_t when;		/* seconds after EVENT_T0 */
	uint8_t what;		/* index into event_kinds */
	uint8_t variant;	/* which of its diagnostics */
};

struct event_kind {
	const char *name;	/* for the summary */
	unsigned share;		/* out of 1000 */
	const char *type;
	const char *status;
	const char *diagnostics[4];	/* NULL-ended, at least one */
};

/* The mix of events, shares out of 1000; diagnostics with a comma get quoted. */
static const struct event_kind event_kinds[] = {
	{ "soft", 550, "", "452 4.2.2",
	    { "mailbox full", "Mailbox full", "user is over quota",
	    "mailbox is full, try again later" } },
	{ "hard", 150, "", "550 5.1.1",
	    { "user unknown", "User unknown",
	    "Recipient address rejected: User unknown in virtual mailbox table",
	    "mailbox does not exist" } },
	{ "delivered", 150, "delivered", "250 2.0.0", { "ok", "" } },
	{ "policy", 80, "", "550 5.7.1",
	    { "blocked by spamhaus",
	    "Service unavailable, client host blocked using Spamhaus",
	    NULL } },
	{ "technical", 40, "", "451 4.4.1", { "connection timed out", NULL } },
	{ "complaint", 20, "complaint", "", { "", NULL } },
	{ "unsubscribe", 10, "unsubscribe", "", { "", NULL } }
};

/* Events per recipient, 1 to 6: shares out of 1000 (mean 1.38). */
static const unsigned event_repeats[] = { 780, 130, 50, 20, 10, 10 };

#define EVENT_T0	1717200000u	/* 2024-06-01T00:00:00Z */
#define EVENT_SPAN	(90u * 86400u)	/* ~90 days */
#define SHARE_OFF_LIST	50	/* events (and lookups: 100) off the list */
#define SHARE_LOOKUP_MISS 100

/* xrealloc - realloc or die */
static void *
xrealloc(void *p, size_t size)
{
	if ((p = realloc(p, size)) == NULL) {
		perror("genaddr");
		exit(1);
	}
	return p;
}

/* fold_hash - FNV-1a of s with ASCII letters folded to lower case */
static uint64_t
fold_hash(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		h = (h ^ c) * 0x100000001b3ULL;
	}
	return h != 0 ? h : 1;
}

/* set_grow - double the hash set */
static void
set_grow(struct pool *p)
{
	uint32_t size = p->set_mask == 0 ? 1u << 16 : (p->set_mask + 1) * 2;
	uint64_t *old = p->set;
	uint32_t old_size = p->set_mask == 0 ? 0 : p->set_mask + 1, i, j;

	p->set = calloc(size, sizeof(*p->set));
	if (p->set == NULL) {
		perror("genaddr");
		exit(1);
	}
	p->set_mask = size - 1;
	for (i = 0; i < old_size; i++) {
		if (old[i] == 0)
			continue;
		for (j = (uint32_t)old[i] & p->set_mask; p->set[j] != 0;
		    j = (j + 1) & p->set_mask)
			;
		p->set[j] = old[i];
	}
	free(old);
}

/*
 * pool_add - add s[0..len) unless an address equal to it but for ASCII
 * case is there; 1 when added, 0 when it was there
 */
static int
pool_add(struct pool *p, const char *s, size_t len)
{
	uint64_t h = fold_hash(s, len);
	uint32_t j;

	if ((uint64_t)p->set_n * 2 >= p->set_mask)
		set_grow(p);
	for (j = (uint32_t)h & p->set_mask; p->set[j] != 0;
	    j = (j + 1) & p->set_mask)
		if (p->set[j] == h)
			return 0;
	p->set[j] = h;
	p->set_n++;
	if (p->n == p->cap) {
		p->cap = p->cap == 0 ? 1u << 16 : p->cap * 2;
		p->off = xrealloc(p->off, (size_t)p->cap * sizeof(*p->off));
	}
	if (p->text_n + len + 1 > p->text_cap) {
		p->text_cap = p->text_cap == 0 ? 1u << 20 : p->text_cap * 2;
		p->text = xrealloc(p->text, p->text_cap);
	}
	p->off[p->n++] = p->text_n;
	memcpy(p->text + p->text_n, s, len);
	p->text[p->text_n + len] = '\0';
	p->text_n += len + 1;
	return 1;
}

/*
 * pool_row - add the address of a CSV row to the pool, unwrapped, unless
 * it is invalid or a repeat of an earlier row's; 1 when added
 */
static int
pool_row(struct pool *p, const struct row_info *info)
{
	const char *lt, *gt;

	if (info->repeat || info->kind == KIND_INVALID)
		return 0;
	if (info->kind == KIND_WRAPPED &&
	    (lt = strchr(info->email, '<')) != NULL &&
	    (gt = strchr(lt, '>')) != NULL)
		return pool_add(p, lt + 1, (size_t)(gt - lt - 1));
	return pool_add(p, info->email, info->len);
}

/*
 * pool_list - the addresses of `genaddr --csv list_n seed` that are valid
 * and no repeat of an earlier row, unwrapped, as written; returns how
 * many rows were left out as invalid
 */
static uint64_t
pool_list(struct pool *p, uint64_t list_n, uint64_t seed)
{
	static char obuf[CSV_ROOM];
	static struct row_info info;
	struct str out = { obuf, 0 };
	struct rng r;
	char *recent;
	uint64_t i, nrecent = 0, invalid = 0;

	recent = xrealloc(NULL, (size_t)RECENT * RECENT_SIZE);
	rng_seed(&r, seed);
	for (i = 0; i < list_n; i++) {
		out.n = 0;
		put_csv_row(&r, &out, i, recent, &nrecent, &info);
		if (info.kind == KIND_INVALID && !info.repeat)
			invalid++;
		pool_row(p, &info);
	}
	free(recent);
	return invalid;
}

/*
 * put_store_list - write the rows of `genaddr --csv` from seed, as many as
 * it takes for n distinct valid addresses
 */
static int
put_store_list(uint64_t n, uint64_t seed)
{
	static char obuf[OUT_SIZE];
	static struct row_info info;
	struct str out = { obuf, 0 };
	struct pool p = { 0 };
	struct rng r;
	char *recent;
	uint64_t i, nrecent = 0;

	recent = xrealloc(NULL, (size_t)RECENT * RECENT_SIZE);
	rng_seed(&r, seed);
	str_put(&out, "email,first_name,last_name,signup_date,id\n");
	for (i = 0; p.n < n && i < UINT32_MAX - FIRST_ID; i++) {
		put_csv_row(&r, &out, i, recent, &nrecent, &info);
		pool_row(&p, &info);
		if (flush(&out, CSV_ROOM, 0) != 0)
			break;
	}
	flush(&out, 0, 1);
	fprintf(stderr, "genaddr: %llu rows for %u distinct valid addresses\n",
	    (unsigned long long)i, p.n);
	free(recent);
	free(p.text);
	free(p.off);
	free(p.set);
	return 0;
}

/* pool_new_address - add an address not in the pool yet; its index */
static uint32_t
pool_new_address(struct pool *p, struct rng *r)
{
	char buf[PART_SIZE * 2];
	struct str b;

	do {
		b.p = buf;
		b.n = 0;
		put_local(r, &b);
		str_putc(&b, '@');
		put_domain(r, &b);
	} while (!pool_add(p, b.p, b.n));
	return p->n - 1;
}

/* pick_repeats - how many events one recipient gets, 1 to 6 */
static unsigned
pick_repeats(struct rng *r)
{
	uint32_t x = rng_below(r, 1000);
	unsigned k;

	for (k = 0; k + 1 < ARRAY_LEN(event_repeats); k++) {
		if (x < event_repeats[k])
			break;
		x -= event_repeats[k];
	}
	return k + 1;
}

/* pick_event_kind - an index into event_kinds, by their shares */
static uint8_t
pick_event_kind(struct rng *r)
{
	uint32_t x = rng_below(r, 1000);
	uint8_t k;

	for (k = 0; (size_t)k + 1 < ARRAY_LEN(event_kinds); k++) {
		if (x < event_kinds[k].share)
			break;
		x -= event_kinds[k].share;
	}
	return k;
}

/* put_events - write n events over the list of list_n rows from seed */
static int
put_events(uint64_t n, uint64_t seed, uint64_t list_n)
{
	static char obuf[OUT_SIZE];
	struct str out = { obuf, 0 };
	struct pool p = { 0 };
	struct rng r;
	struct event *ev, t;
	uint32_t *perm, list_size, next = 0, who, j, k, kinds[16] = { 0 };
	uint32_t on_list = 0, off_list = 0, passes = 1, nd, drawn;
	uint64_t n_off = n * SHARE_OFF_LIST / 1000, filled = 0, i, invalid;
	const struct event_kind *ek;
	const char *d;
	int repeat_hist[8] = { 0 };

	invalid = pool_list(&p, list_n, seed);
	list_size = p.n;
	if (list_size == 0 && n > n_off)
		n_off = n;
	ev = xrealloc(NULL, (size_t)(n > 0 ? n : 1) * sizeof(*ev));
	perm = xrealloc(NULL, (size_t)(list_size > 0 ? list_size : 1) *
	    sizeof(*perm));
	rng_seed(&r, seed ^ 0x6576656e74730000ULL);	/* "events" */
	for (j = 0; j < list_size; j++)
		perm[j] = j;
	for (j = list_size; j > 1; j--) {
		k = rng_below(&r, j);
		t.who = perm[j - 1];
		perm[j - 1] = perm[k];
		perm[k] = t.who;
	}

	/* Recipients in a random order, each 1 to 6 times, then off-list. */
	while (filled < n) {
		if (filled < n - n_off) {
			if (next == list_size) {
				next = 0;
				passes++;
			}
			who = perm[next++];
			on_list++;
		} else {
			who = pool_new_address(&p, &r);
			off_list++;
		}
		k = pick_repeats(&r);
		repeat_hist[k]++;
		for (j = 0; j < k && filled < n &&
		    (who >= list_size || filled < n - n_off); j++) {
			ev[filled].who = who;
			ev[filled].id = (uint32_t)(filled + 1);
			ev[filled].when = rng_below(&r, EVENT_SPAN);
			ev[filled].what = pick_event_kind(&r);
			kinds[ev[filled].what]++;
			ek = &event_kinds[ev[filled].what];
			for (nd = 0; nd < ARRAY_LEN(ek->diagnostics) &&
			    ek->diagnostics[nd] != NULL; nd++)
				;
			ev[filled].variant = (uint8_t)rng_below(&r, nd);
			filled++;
		}
	}

	/* Arrival order: shuffled, as feeds from many servers interleave. */
	for (i = n; i > 1; i--) {
		j = rng_below(&r, (uint32_t)i);
		t = ev[i - 1];
		ev[i - 1] = ev[j];
		ev[j] = t;
	}

	str_put(&out, "email,type,status,timestamp,diagnostic,event_id\n");
	for (i = 0; i < n; i++) {
		const char *a = p.text + p.off[ev[i].who];

		ek = &event_kinds[ev[i].what];
		d = ek->diagnostics[ev[i].variant];
		put_field(&out, a, strlen(a), 0);
		str_putc(&out, ',');
		str_put(&out, ek->type);
		str_putc(&out, ',');
		str_put(&out, ek->status);
		str_putc(&out, ',');
		str_putn(&out, EVENT_T0 + ev[i].when);
		str_putc(&out, ',');
		put_field(&out, d, strlen(d), 0);
		str_put(&out, ",ev-");
		for (k = 100000000; k > ev[i].id && k > 1; k /= 10)
			str_putc(&out, '0');
		str_putn(&out, ev[i].id);
		str_putc(&out, '\n');
		if (flush(&out, CSV_ROOM, 0) != 0)
			break;
	}
	flush(&out, 0, 1);

	fprintf(stderr, "genaddr: %llu events over a list of %llu rows: %u"
	    " distinct valid addresses (%llu invalid rows left out)\n",
	    (unsigned long long)n, (unsigned long long)list_n, list_size,
	    (unsigned long long)invalid);
	drawn = on_list + off_list;
	if (passes > 1)		/* every one of them, some more than once */
		on_list = list_size;
	fprintf(stderr, "genaddr:   %llu events (%.1f%%) to %u of the list's"
	    " addresses (%.1f%%)%s\n", (unsigned long long)(n - n_off),
	    n > 0 ? 100.0 * (double)(n - n_off) / (double)n : 0.0, on_list,
	    list_size > 0 ? 100.0 * on_list / list_size : 0.0,
	    passes > 1 ? ", going round the list more than once" : "");
	fprintf(stderr, "genaddr:   %llu events (%.1f%%) to %u addresses not"
	    " on the list\n", (unsigned long long)n_off,
	    n > 0 ? 100.0 * (double)n_off / (double)n : 0.0, off_list);
	fputs("genaddr:   addresses with 1 to 6 events:", stderr);
	for (k = 1; k <= 6; k++)
		fprintf(stderr, " %.1f%%", drawn > 0 ?
		    100.0 * repeat_hist[k] / drawn : 0.0);
	fputs("\ngenaddr:   types:", stderr);
	for (k = 0; k < ARRAY_LEN(event_kinds); k++)
		fprintf(stderr, " %s %.1f%%", event_kinds[k].name,
		    n > 0 ? 100.0 * kinds[k] / (double)n : 0.0);
	fprintf(stderr, "\ngenaddr:   timestamps: Unix seconds over %u days"
	    " from %u, arrival order shuffled\n", EVENT_SPAN / 86400,
	    EVENT_T0);
	free(ev);
	free(perm);
	free(p.text);
	free(p.off);
	free(p.set);
	return 0;
}

/*
 * put_lookups - write n addresses to look up: most of the list of list_n
 * rows from seed, drawn at random, some not on it
 */
static int
put_lookups(uint64_t n, uint64_t seed, uint64_t list_n)
{
	static char obuf[OUT_SIZE];
	struct str out = { obuf, 0 };
	struct pool p = { 0 };
	struct rng r;
	uint32_t list_size, who;
	uint64_t i, miss = 0;

	pool_list(&p, list_n, seed);
	list_size = p.n;
	rng_seed(&r, seed ^ 0x6c6f6f6b75707300ULL);	/* "lookups" */
	for (i = 0; i < n; i++) {
		if (list_size == 0 ||
		    rng_below(&r, 1000) < SHARE_LOOKUP_MISS) {
			who = pool_new_address(&p, &r);
			miss++;
		} else {
			who = rng_below(&r, list_size);
		}
		str_put(&out, p.text + p.off[who]);
		str_putc(&out, '\n');
		if (flush(&out, LINE_ROOM, 0) != 0)
			break;
	}
	flush(&out, 0, 1);
	fprintf(stderr, "genaddr: %llu lookups over %u distinct valid"
	    " addresses of a %llu-row list: %llu (%.1f%%) not on it\n",
	    (unsigned long long)n, list_size, (unsigned long long)list_n,
	    (unsigned long long)miss, n > 0 ? 100.0 * (double)miss / (double)n :
	    0.0);
	free(p.text);
	free(p.off);
	free(p.set);
	return 0;
}

/* usage - say how to run genaddr and exit with status 2 */
static void
usage(void)
{
	fputs("usage: genaddr [--csv | --store-list] N [SEED]\n"
	    "       genaddr --events N [SEED [LIST_N]]\n"
	    "       genaddr --lookups N [SEED [LIST_N]]\n", stderr);
	exit(2);
}

/* main - print argv[1] addresses, or CSV rows, from the seed argv[2] */
int
main(int argc, char **argv)
{
	static char obuf[OUT_SIZE];
	struct str out = { obuf, 0 };
	struct rng r;
	uint64_t n = 0, seed = 1, i, nrecent = 0, list_n = 0;
	char *recent = NULL;
	int csv = 0, events = 0, lookups = 0, store_list = 0, rc;

	if (argc > 1 && strcmp(argv[1], "--csv") == 0)
		csv = 1;
	else if (argc > 1 && strcmp(argv[1], "--store-list") == 0)
		store_list = 1;
	else if (argc > 1 && strcmp(argv[1], "--events") == 0)
		events = 1;
	else if (argc > 1 && strcmp(argv[1], "--lookups") == 0)
		lookups = 1;
	if (csv || events || lookups || store_list) {
		argc--;
		argv++;
	}
	if (argc < 2 || argc > (events || lookups ? 4 : 3) ||
	    parse_u64(argv[1], &n) != 0)
		usage();
	if (argc >= 3 && parse_u64(argv[2], &seed) != 0)
		usage();
	list_n = n;
	if (argc == 4 && parse_u64(argv[3], &list_n) != 0)
		usage();
	if ((csv || events || lookups || store_list) &&
	    (n > UINT32_MAX - FIRST_ID || list_n > UINT32_MAX - FIRST_ID))
		usage();
	if (events || lookups || store_list) {
		if (store_list)
			rc = put_store_list(n, seed);
		else if (events)
			rc = put_events(n, seed, list_n);
		else
			rc = put_lookups(n, seed, list_n);
		if (fflush(stdout) != 0 || ferror(stdout)) {
			perror("genaddr: write");
			return 1;
		}
		return rc;
	}
	rng_seed(&r, seed);
	if (csv) {
		if ((recent = malloc((size_t)RECENT * RECENT_SIZE)) == NULL) {
			perror("genaddr");
			return 1;
		}
		str_put(&out, "email,first_name,last_name,signup_date,id\n");
	}
	for (i = 0; i < n; i++) {
		if (csv)
			put_csv_row(&r, &out, i, recent, &nrecent, NULL);
		else
			put_line(&r, &out);
		if (out.n > OUT_SIZE - (csv ? CSV_ROOM : LINE_ROOM)) {
			if (fwrite(out.p, 1, out.n, stdout) != out.n)
				break;
			out.n = 0;
		}
	}
	if (out.n > 0)
		fwrite(out.p, 1, out.n, stdout);
	free(recent);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("genaddr: write");
		return 1;
	}
	return 0;
}
