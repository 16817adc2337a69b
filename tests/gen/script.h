/*
 * script.h — a scripted TCP conversation: a list of messages written in advance (the demo's
 * hand-made exchanges) and handed to a tcpflow one at a time through script_next().
 */
#ifndef GEN_SCRIPT_H
#define GEN_SCRIPT_H

#include <stddef.h>
#include <stdint.h>

#include "payload.h"

struct script {
	struct msg	*m;
	size_t		 n;
	size_t		 cap;
	size_t		 i;		/* next message to hand out */
	uint64_t	 bytes[2];	/* payload bytes per direction */
};

struct script	*script_new(void);
void		 script_free(struct script *);
void		 script_add(struct script *, int, uint64_t, const void *, size_t);
void		 script_addf(struct script *, int, uint64_t, const char *, ...)
		     __attribute__((format(printf, 4, 5)));
void		 script_add_tls(struct script *, int, uint64_t, int, uint32_t);
int		 script_next(void *, struct msg *);
int64_t		 script_find(const struct script *, int, const void *, size_t);

#endif
