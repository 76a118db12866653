#!/bin/sh
# t_headers.t -- run the t_headers unit test (built by make check)
exec "${SANBIN:-${TOP:-$(dirname "$0")/../..}/.obj}/tests/unit/t_headers"
