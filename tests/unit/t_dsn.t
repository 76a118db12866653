#!/bin/sh
# t_dsn.t -- run the DSN unit test (built by make unit-tests, or make check)
exec "${SANBIN:-${TOP:-$(dirname "$0")/../..}/.obj}/tests/unit/t_dsn"
