/* xalloc.h — allocation that never returns NULL, and overflow-checked array growth. */
#ifndef PORTTOP_XALLOC_H
#define PORTTOP_XALLOC_H

#include <stddef.h>

/*
 * All of these abort the program with a message on stderr when memory runs out or a size
 * overflows: porttop cannot do anything useful without memory, and checking every
 * allocation would bury the logic. Any thread may call them.
 */
void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Copy of s, or NULL when s is NULL. */
char *xstrdup_or_null(const char *s);

/*
 * Make room for at least need elements of elem bytes in *pp, whose capacity is *cap
 * elements; grows geometrically so appending n elements costs O(n).
 */
void xgrow(void **pp, size_t *cap, size_t need, size_t elem);

/* xgrow, with the common case (room enough) decided here rather than in a call. */
static inline void
xgrow_if(void **pp, size_t *cap, size_t need, size_t elem)
{
	if (need > *cap)
		xgrow(pp, cap, need, elem);
}
#define XGROW(arr, cap, need) xgrow_if((void **)&(arr), &(cap), (need), sizeof *(arr))

#endif
