/* xsort.h — qsort that accepts an empty (NULL) array, as growable arrays start out. */
#ifndef PORTTOP_XSORT_H
#define PORTTOP_XSORT_H

#include <stddef.h>
#include <stdlib.h>

/* qsort(3) declares base non-null even for n == 0; nothing to sort is not a call at all. */
static inline void
xsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}

#endif
