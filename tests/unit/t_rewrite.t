#!/bin/sh
# t_rewrite.t -- run the t_rewrite unit test (built by make check)
exec "${SANBIN:-${TOP:-$(dirname "$0")/../..}/.obj}/tests/unit/t_rewrite"
