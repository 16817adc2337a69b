/*
 * httpbody.h — following HTTP/1.x messages through a flow direction's stream, so the findings
 * scanner can leave out bodies that are media (image/, video/, audio/ with a Content-Length):
 * a camera's JPEG uploads are most of its bytes and hold no credentials, while the headers of
 * every message around them are still read.  Anything not understood (chunked or unknown
 * length, no Content-Length) is read: the tracker then stops skipping in that direction.
 */
#ifndef IOT_HTTPBODY_H
#define IOT_HTTPBODY_H

#include <stddef.h>
#include <stdint.h>

struct http_track {
	uint8_t		 state;		/* head, body, skipped body, the rest */
	uint8_t		 first;		/* the head's first line is being read */
	uint8_t		 media;
	uint8_t		 chunked;
	uint8_t		 no_body;	/* a 1xx, 204 or 304 response */
	uint8_t		 llen;
	uint8_t		 empty;		/* the line so far is empty (CR at most) */
	int64_t		 clen;		/* -1: none */
	uint64_t	 left;
	char		 line[48];	/* the line's first bytes, lower case */
};

void	http_track_init(struct http_track *);
/*
 * The next run of bytes from b (at most n, at least 1 when n > 0): *skip says whether it is
 * a media body to leave out.
 */
size_t	http_track_next(struct http_track *, const uint8_t *b, size_t n, int *skip);

#endif
