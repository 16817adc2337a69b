/*
 * kmap.h — a set of 64-bit keys, each with a 32-bit value: open addressing with linear
 * probing, grown at half full, key 0 never stored.  The tables a report builds over every
 * destination (countries and organisations by code and ASN, the (row, device) pairs already
 * counted) find a row in one probe instead of searching a list per destination.
 */
#ifndef IOT_KMAP_H
#define IOT_KMAP_H

#include <stddef.h>
#include <stdint.h>

struct kmap {
	uint64_t	*key;
	uint32_t	*val;
	size_t		 cap, n;
};

/*
 * The value slot of key (not 0), made (value 0) when absent: *fresh says which.  Borrowed:
 * valid until the next kmap_slot on the same map.
 */
uint32_t	*kmap_slot(struct kmap *, uint64_t key, int *fresh);
/* The value slot of key, or NULL when it is absent. */
uint32_t	*kmap_find(const struct kmap *, uint64_t key);
void		 kmap_free(struct kmap *);

#endif
