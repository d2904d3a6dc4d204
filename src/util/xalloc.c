/* xalloc.c — allocation that never returns NULL, and overflow-checked array growth. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "porttop/xalloc.h"

static _Noreturn void
xalloc_die(const char *what, size_t n, size_t size)
{
	fprintf(stderr, "porttop: %s of %zu x %zu bytes failed\n", what, n, size);
	abort();
}

void *
xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (p == NULL)
		xalloc_die("malloc", 1, size);
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p;

	if (n == 0 || size == 0)
		n = size = 1;
	p = calloc(n, size);
	if (p == NULL)
		xalloc_die("calloc", n, size);
	return p;
}

void *
xreallocarray(void *p, size_t n, size_t size)
{
	void *q;

	if (size != 0 && n > SIZE_MAX / size)
		xalloc_die("reallocarray", n, size);
	q = realloc(p, n != 0 && size != 0 ? n * size : 1);
	if (q == NULL)
		xalloc_die("reallocarray", n, size);
	return q;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = xmalloc(len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *
xstrdup_or_null(const char *s)
{
	return s == NULL ? NULL : xstrdup(s);
}

void
xgrow(void **pp, size_t *cap, size_t need, size_t elem)
{
	size_t ncap = *cap;

	if (need <= ncap)
		return;
	if (ncap < 8)
		ncap = 8;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2)
			xalloc_die("grow", need, elem);
		ncap *= 2;
	}
	*pp = xreallocarray(*pp, ncap, elem);
	*cap = ncap;
}
