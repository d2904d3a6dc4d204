/* u32tab.c — an open-addressing hash table of fixed-size elements keyed by a nonzero uint32_t. */
#include "config.h"

#include <stdlib.h>

#include "porttop/u32tab.h"
#include "porttop/xalloc.h"

#define U32TAB_MIN 64

void
u32tab_init(struct u32tab *t, size_t esz)
{
	memset(t, 0, sizeof *t);
	t->esz = esz;
}

void
u32tab_free(struct u32tab *t)
{
	free(t->slots);
	u32tab_init(t, t->esz);
}

/* Fibonacci hashing: consecutive keys (pids, inodes) spread over the whole table. */
static inline uint32_t
u32tab_home(const struct u32tab *t, uint32_t key)
{
	return (uint32_t)(((uint64_t)key * 0x9e3779b97f4a7c15ull) >> t->shift);
}

uint32_t
u32tab_find(const struct u32tab *t, uint32_t key)
{
	uint32_t i, k;

	if (t->size == 0 || key == 0)
		return U32TAB_NONE;
	for (i = u32tab_home(t, key);; i = (i + 1) & (t->size - 1)) {
		k = u32tab_key(t, i);
		if (k == key)
			return i;
		if (k == 0)
			return U32TAB_NONE;
	}
}

static void
u32tab_resize(struct u32tab *t, uint32_t size)
{
	struct u32tab n = *t;
	uint32_t i, j, k;
	unsigned bits = 0;

	while ((1u << bits) < size)
		bits++;
	n.size = 1u << bits;
	n.shift = 64 - bits;
	n.slots = xcalloc(n.size, t->esz);
	for (i = 0; i < t->size; i++) {
		k = u32tab_key(t, i);
		if (k == 0)
			continue;
		for (j = u32tab_home(&n, k); u32tab_key(&n, j) != 0; j = (j + 1) & (n.size - 1))
			;
		memcpy(u32tab_at(&n, j), u32tab_at(t, i), t->esz);
	}
	free(t->slots);
	*t = n;
}

uint32_t
u32tab_insert(struct u32tab *t, uint32_t key, bool *fresh)
{
	uint32_t i, k;

	/* At most half full: probe sequences stay a slot or two long. */
	if ((t->used + 1) * 2 > t->size)
		u32tab_resize(t, t->size == 0 ? U32TAB_MIN : t->size * 2);
	for (i = u32tab_home(t, key);; i = (i + 1) & (t->size - 1)) {
		k = u32tab_key(t, i);
		if (k == key) {
			*fresh = false;
			return i;
		}
		if (k == 0)
			break;
	}
	memset(u32tab_at(t, i), 0, t->esz);
	memcpy(u32tab_at(t, i), &key, sizeof key);
	t->used++;
	*fresh = true;
	return i;
}

void
u32tab_delete(struct u32tab *t, uint32_t i)
{
	uint32_t j = i, h, mask = t->size - 1;

	for (;;) {
		j = (j + 1) & mask;
		if (u32tab_key(t, j) == 0)
			break;
		h = u32tab_home(t, u32tab_key(t, j));
		/* The element at j may fill the hole at i unless its home lies in (i, j]. */
		if (i <= j ? (i < h && h <= j) : (i < h || h <= j))
			continue;
		memcpy(u32tab_at(t, i), u32tab_at(t, j), t->esz);
		i = j;
	}
	memset(u32tab_at(t, i), 0, t->esz);
	t->used--;
}

void
u32tab_fit(struct u32tab *t)
{
	uint32_t want = U32TAB_MIN;

	while (want < t->used * 4)
		want *= 2;
	if (t->size > U32TAB_MIN && t->used * 8 < t->size)
		u32tab_resize(t, want);
}
