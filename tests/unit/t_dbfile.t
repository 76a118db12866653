#!/bin/sh
# t_dbfile.t -- run the lib/dbfile unit test (built by make unit-tests, or make check)
exec "${SANBIN:-${TOP:-$(dirname "$0")/../..}/.obj}/tests/unit/t_dbfile"
