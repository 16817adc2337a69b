#!/bin/sh
# no-cmocka.sh — stands in for the unit tests when configure found no cmocka, so the run says
# they were skipped and why instead of silently running fewer tests.
echo "SKIP: unit tests need cmocka (Debian package libcmocka-dev)"
exit 77
