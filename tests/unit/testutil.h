/*
 * testutil.h - what the unit tests share: cmocka's headers in the order it
 * needs, and where the test vectors are.
 */
#ifndef TALENTREG_TESTUTIL_H
#define TALENTREG_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

/* The folder of the test vectors: $TALENTREG_TESTDATA, else the
 * repository's own tests/data (tests run from the top folder). */
static inline const char *testdata_dir(void)
{
	const char *d = getenv("TALENTREG_TESTDATA");
	return d && *d ? d : "tests/data";
}

#endif
