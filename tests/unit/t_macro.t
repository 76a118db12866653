#!/bin/sh
# t_macro.t -- run the t_macro unit test (built by make check)
exec "${SANBIN:-${TOP:-$(dirname "$0")/../..}/.obj}/tests/unit/t_macro"
