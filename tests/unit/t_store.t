#!/bin/sh
# t_store.t -- run the t_store unit test (built by make check)
exec "${SANBIN:-${TOP:-$(dirname "$0")/../..}/.obj}/tests/unit/t_store"
