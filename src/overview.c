/*
 * overview.c — packet overview counters (see overview.h).
 */
#include "config.h"

#include <netinet/in.h>

#include "dissect.h"
#include "overview.h"

const char *
layer_name(enum layer l)
{
	switch (l) {
	case LAYER_LINK:	return "link";
	case LAYER_NET:		return "network";
	case LAYER_TRANSPORT:	return "transport";
	case LAYER_APP:		return "application";
	case LAYER_COUNT:	break;
	}
	return "?";
}

/*
 * Printable UTF-8: well-formed sequences (no overlongs, surrogates or values past U+10FFFF),
 * no C0/C1 controls except TAB, CR, LF.  Stops at the first bad byte: encrypted payload fails
 * within a byte or two on average, so the cost is paid by text only.
 */
int
overview_printable_utf8(struct span s)
{
	struct rd r = rd_make(s.p, s.n);

	while (rd_left(&r) > 0) {
		uint8_t c = rd_u8(&r);
		if (c < 0x80) {
			if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
				return 0;
			if (c == 0x7f)
				return 0;
			continue;
		}
		unsigned need;
		uint32_t cp;
		if (c >= 0xc2 && c <= 0xdf) {
			need = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			need = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			need = 3;
			cp = c & 0x07;
		} else
			return 0;
		if (rd_left(&r) < need)
			return 0;
		for (unsigned i = 0; i < need; i++) {
			uint8_t cc = rd_u8(&r);
			if ((cc & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (cc & 0x3f);
		}
		if ((need == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
		    (need == 3 && (cp < 0x10000 || cp > 0x10ffff)) || (cp >= 0x80 && cp < 0xa0))
			return 0;
	}
	return 1;
}

int
overview_count(struct overview *ov, const struct pkt *p)
{
	const struct cap_pkt *c = p->cap;
	int fresh = 0, i;

	if (ov->packets == 0 || c->ts_ns < ov->first_ns)
		ov->first_ns = c->ts_ns;
	if (ov->packets == 0 || c->ts_ns > ov->last_ns)
		ov->last_ns = c->ts_ns;
	ov->packets++;
	ov->wire_bytes += c->wirelen;
	ov->captured_bytes += c->caplen;

	/* The link type rarely changes from one packet to the next. */
	i = ov->last_linktype;
	if (i >= ov->nlinktypes || ov->linktypes[i].dlt != c->linktype)
		for (i = 0; i < ov->nlinktypes; i++)
			if (ov->linktypes[i].dlt == c->linktype)
				break;
	ov->last_linktype = i;
	if (i == ov->nlinktypes && i < OV_LINKTYPES_MAX) {
		ov->linktypes[i].dlt = c->linktype;
		ov->linktypes[i].supported = dissect_link_supported(c->linktype);
		ov->nlinktypes++;
		fresh = 1;
	}
	if (i < ov->nlinktypes)
		ov->linktypes[i].packets++;

	if (p->nvlan > 0)
		ov->vlan_tagged++;
	switch (p->what) {
	case LW_ARP:		ov->arp++; break;
	case LW_OTHER:		ov->non_ip++; break;
	case LW_WLAN_MGMT:	ov->wlan_mgmt++; break;
	case LW_WLAN_PROTECTED:	ov->wlan_protected++; break;
	case LW_WLAN_NULL:	ov->wlan_null++; break;
	case LW_UNSUPPORTED:	ov->unsupported_link++; break;
	case LW_IP:
	case LW_NONE:
		break;
	}
	if (p->ipver == 4)
		ov->ipv4++;
	else if (p->ipver == 6)
		ov->ipv6++;
	if (p->ipver != 0) {
		if (p->ip_options)
			ov->ip_options++;
		if (p->frag != FRAG_NONE)
			ov->fragments++;
		if (p->frag != FRAG_LATER) {
			switch (p->proto) {
			case IPPROTO_TCP:	ov->tcp++; break;
			case IPPROTO_UDP:	ov->udp++; break;
			case IPPROTO_ICMP:	ov->icmp++; break;
			case IPPROTO_ICMPV6:	ov->icmpv6++; break;
			default:		ov->other_ip++; break;
			}
		}
		size_t n = rd_left(&p->payload);
		if (n > 0) {
			ov->with_payload++;
			ov->payload_bytes += n;
			if (overview_printable_utf8(rd_span(&p->payload)))
				ov->payload_printable++;
		}
	}
	return fresh;
}
