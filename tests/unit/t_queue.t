#!/bin/sh
# t_queue.t -- run the queue unit test (built by make unit-tests, or make check)
exec "${SANBIN:-${TOP:-$(dirname "$0")/../..}/.obj}/tests/unit/t_queue"
