"""The benchmark of issue #13: national-scale data, page timings under gunicorn, a load run.

`scripts/bench.py` is the command line; `make bench` calls it. Modules: `plan` (the shape of the
data at a scale), `staff` (offices, regions and accounts), `bulk` (the set-based SQL), `generate`
(the whole generation), `client` (a small HTTP client that signs in), `pages` (what is measured),
`measure` and `load`.
"""

PASSWORD = "Bench-2026!"  # noqa: S105 - the generated accounts of a throwaway benchmark database
# The bench Kepala's authenticator key (the role requires two-step verification): fixed, so that
# `measure` can type its code. Only ever in a generated benchmark database.
KEPALA_TOTP = "BENCHKEPALABENCHKEPALABENCHKEPAL"
# SECRET_KEY of the measured server, also the audit trail's HMAC key the generated rows are chained with.
SECRET_KEY = "bench-only-secret-key-never-deployed"  # noqa: S105
BIG_OFFICE = 1
ACCOUNTS = ("bench.kepala", "bench.kasubsi", "bench.pk", "bench.tu", "bench.pengaduan")
