#!/bin/sh
# t_maps.t -- run the map classes unit test (built by make unit-tests, or make check)
exec "${SANBIN:-${TOP:-$(dirname "$0")/../..}/.obj}/tests/unit/t_maps"
