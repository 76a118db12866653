#!/bin/sh
# t_sbuf.t -- run the t_sbuf unit test (built by make check)
exec "${SANBIN:-${TOP:-$(dirname "$0")/../..}/.obj}/tests/unit/t_sbuf"
