/* unit.h — what every Check suite shares: each check_MODULE.c defines unit_suite(). */
#ifndef PORTTOP_TESTS_UNIT_H
#define PORTTOP_TESTS_UNIT_H

#include <check.h>

/* The suite of this test program; tests/unit/runner.c runs it. */
Suite *unit_suite(void);

/* The folder the test may write to (the build tree's tests/ folder, never $(srcdir)). */
const char *unit_tmpdir(void);

#endif
