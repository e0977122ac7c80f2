#!/usr/bin/python3
"""baseline.py - time python-email-validator on a file of addresses

NAME
    baseline.py - the comparison point for `make bench`

SYNOPSIS
    /usr/bin/python3 baseline.py FILE

DESCRIPTION
    Reads FILE, one address a line, and validates every line with
    email_validator.validate_email() (the Debian package
    python3-email-validator, 1.3.x or 2.x) without DNS checks and with
    SMTPUTF8 allowed.  Only the validation loop is timed.  A line that is
    not UTF-8 counts as invalid without being handed to the validator.
    Lines are passed as they are, apart from the line ending: the
    validator does not unwrap "Name <addr>", so it rejects those.

    Prints one line:
        baseline: N addresses in S.SSS s, R addresses/s (V valid)

EXIT STATUS
    0 on success, 2 on bad usage or an unreadable file, 3 when
    email_validator cannot be imported.
"""

import inspect
import sys
import time

try:
    from email_validator import validate_email, EmailNotValidError
except ImportError as e:
    sys.stderr.write("baseline: cannot import email_validator (%s); "
                     "apt-get install python3-email-validator\n" % e)
    sys.exit(3)


def validator_kwargs():
    """validator_kwargs - the options this email_validator version takes"""
    wanted = {"check_deliverability": False, "allow_smtputf8": True}
    try:
        params = inspect.signature(validate_email).parameters
    except (TypeError, ValueError):
        return {"check_deliverability": False}
    if any(p.kind == p.VAR_KEYWORD for p in params.values()):
        return wanted
    return {k: v for k, v in wanted.items() if k in params}


def read_lines(path):
    """read_lines - the lines of path, undecodable bytes kept as surrogates"""
    with open(path, encoding="utf-8", errors="surrogateescape",
              newline="") as f:
        return [line.rstrip("\r\n") for line in f]


def main(argv):
    """main - validate the lines of argv[1] and print the one-line result"""
    if len(argv) != 2:
        sys.stderr.write("usage: baseline.py FILE\n")
        return 2
    try:
        lines = read_lines(argv[1])
    except OSError as e:
        sys.stderr.write("baseline: %s: %s\n" % (argv[1], e.strerror))
        return 2
    kwargs = validator_kwargs()
    valid = 0
    odd = 0

    start = time.perf_counter()
    for line in lines:
        if not line.isascii():
            try:
                line.encode("utf-8")
            except UnicodeEncodeError:
                continue        # not UTF-8: invalid
        try:
            validate_email(line, **kwargs)
        except EmailNotValidError:
            continue
        except Exception:       # a validator bug; still not accepted
            odd += 1
            continue
        valid += 1
    elapsed = time.perf_counter() - start

    n = len(lines)
    rate = n / elapsed if elapsed > 0 else 0.0
    print("baseline: %d addresses in %.3f s, %.0f addresses/s (%d valid)"
          % (n, elapsed, rate, valid))
    if odd:
        sys.stderr.write("baseline: %d addresses raised an unexpected "
                         "exception; counted invalid\n" % odd)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
