#!/bin/sh
# t_token.t -- run the t_token unit test (built by make check)
exec "${SANBIN:-${TOP:-$(dirname "$0")/../..}/.obj}/tests/unit/t_token"
