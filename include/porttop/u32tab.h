/* u32tab.h — an open-addressing hash table of fixed-size elements keyed by a nonzero uint32_t. */
#ifndef PORTTOP_U32TAB_H
#define PORTTOP_U32TAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/*
 * Linear probing with backward-shift deletion: no tombstones, so lookups stay short however
 * long the table lives. Every element starts with its uint32_t key; key 0 marks an empty slot
 * (and cannot be stored). Elements are plain bytes: they move when the table grows, shrinks or
 * an element is deleted, so pointers to them do not survive an insert, a delete or a fit.
 */
struct u32tab {
	unsigned char *slots; /* owned */
	size_t esz;
	uint32_t size; /* a power of two, or 0 */
	uint32_t used;
	unsigned shift; /* 64 - log2(size) */
};

#define U32TAB_NONE UINT32_MAX

/* An empty table of elements of esz bytes (at least sizeof(uint32_t)). */
void u32tab_init(struct u32tab *t, size_t esz);
/* Free the slots; the elements' own resources are the caller's to release first. */
void u32tab_free(struct u32tab *t);

static inline void *
u32tab_at(const struct u32tab *t, uint32_t slot)
{
	return t->slots + (size_t)slot * t->esz;
}

/* The key in slot, 0 when it is empty. Slots run from 0 to t->size - 1. */
static inline uint32_t
u32tab_key(const struct u32tab *t, uint32_t slot)
{
	uint32_t k;

	memcpy(&k, u32tab_at(t, slot), sizeof k);
	return k;
}

/* The slot holding key, or U32TAB_NONE. */
uint32_t u32tab_find(const struct u32tab *t, uint32_t key);

/* The slot for key (nonzero), inserting a zeroed element with it if needed; *fresh says which. */
uint32_t u32tab_insert(struct u32tab *t, uint32_t key, bool *fresh);

/* Remove the element in slot (its resources already released). */
void u32tab_delete(struct u32tab *t, uint32_t slot);

/* Shrink a table that holds far fewer elements than it has room for. */
void u32tab_fit(struct u32tab *t);

#endif
