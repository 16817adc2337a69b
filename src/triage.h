/*
 * triage.h — the cleartext triage of a flow, gathered for the front ends: per direction the
 * entropy figures, the verdict and the paper's fixed-threshold judgement; the protocol (from
 * the payload, else guessed from the port) with TLS version and SNI; the server port and
 * whether it is on the secure-ports list, and a mismatch when a secure port carries cleartext
 * or an insecure one TLS; and the channel as the paper's Table 3 counts it.
 */
#ifndef IOT_TRIAGE_H
#define IOT_TRIAGE_H

#include <stddef.h>
#include <stdint.h>

#include "detect.h"
#include "entropy.h"
#include "verdict.h"

struct analysis;
struct flow;
struct port_entry;

enum channel {
	CH_DEVICE_CLOUD,	/* a local station and a public address */
	CH_APP_CLOUD,		/* the controller (the vendor app's phone) and a public address */
	CH_APP_DEVICE,		/* the controller and another local station */
	CH_LOCAL,		/* two local stations, or one and a multicast group */
	CH_OTHER,		/* no local station at all */
	CH_COUNT
};

struct flow_triage {
	struct flow_app	 app;		/* a copy (its stream buffers are not owned) */
	int		 guessed;
	struct ent_figures e[2];
	enum verdict	 v[2];
	const char	*fixed[2];	/* "cleartext"/"encrypted" by the fixed threshold */
	uint16_t	 server_port;
	int		 server_side;	/* 0 or 1 */
	const struct port_entry *secure;	/* NULL: not a secure port */
	const char	*mismatch;	/* NULL, or what is wrong with the port */
	enum channel	 channel;
	char		 tls[24];	/* "TLS 1.3", or "TLS 1.2 (offered)" */
};

void	triage_flow(struct analysis *, const struct flow *, struct flow_triage *);
/*
 * The same, its payload's figures and verdicts cached per flow until the flow gains
 * packets: reports and the workbench's sorted columns ask again and again.  Borrowed, and
 * valid until the next call: a caller comparing two flows copies what it needs of the
 * first before asking for the second.
 */
const struct flow_triage *analysis_triage(struct analysis *, const struct flow *);
/*
 * The same into t.  After analysis_triage_all, with no packet analysed since, it changes
 * nothing shared: report threads call it at once for different flows.
 */
void	analysis_triage_to(struct analysis *, const struct flow *, struct flow_triage *t);
/*
 * Weighs every flow not weighed since its last packet, on up to four threads (one per
 * processor): the reports call it first, since weighing is most of their work.
 */
void	analysis_triage_all(struct analysis *);
/*
 * Entropy of a flow's payload both ways together, and those bytes in *n (0: none): cached
 * beside its triage, for the heatmap's ranking of every flow.
 */
double	analysis_flow_entropy(struct analysis *, const struct flow *, uint64_t *n);
/* Drops every cached triage (the settings behind them changed). */
void	analysis_triage_forget(struct analysis *);
/* Changes whenever what triage says of any flow may have changed: tables built from every
 * flow (the devices' verdicts) are kept until it does. */
uint64_t analysis_triage_version(const struct analysis *);
/* Drops one flow's (it was folded: its id will name another flow). */
void	analysis_triage_drop(struct analysis *, uint32_t id);
/* What the cache may hold for n flows, at most (memory accounting), and holds now. */
size_t	analysis_triage_bytes(size_t nflows);
size_t	analysis_triage_held(const struct analysis *);
/* Frees the cache (analysis_free). */
void	analysis_triage_free(struct analysis *);
const char *channel_name(enum channel);
/* Protocol label: "HTTP", "TLS", "MQTT/TLS"; with "?" appended when guessed. */
const char *triage_proto(const struct flow_triage *, char *buf, size_t len);
/* The protocol with its TLS version ("MQTT/TLS 1.2"), or the IP protocol without ports. */
const char *triage_label(const struct flow *, const struct flow_triage *, char *buf,
	    size_t len);
/* Whether a comma-separated set has the word. */
int	triage_set_has(const char *set, const char *word);
/* Appends word to a comma-separated set unless it is there already (and there is room). */
void	triage_set_add(char *set, size_t len, const char *word);
/* Adds every word of another such set. */
void	triage_set_merge(char *set, size_t len, const char *from);
/* "cleartext, encrypted" for a set of verdict bits, NULL for none; in buf. */
const char *triage_verdict_set(unsigned verdicts, char *buf, size_t len);

/* Every server port seen (the overview's port table). */
struct port_stat {
	uint16_t	 port;
	uint8_t		 transport;	/* IP protocol */
	uint8_t		 secure;
	uint64_t	 flows, packets, bytes;
	char		 protos[96];	/* protocols seen on it, comma-separated */
};

/* One row of the paper's Table 3: a device's traffic on one channel. */
struct table3_row {
	uint32_t	 device;	/* id */
	enum channel	 channel;
	uint64_t	 flows;
	uint64_t	 payload;	/* bytes both ways */
	double		 entropy;	/* over that payload */
	int		 cleartext;	/* some direction's verdict is cleartext */
	int		 unencrypted;	/* ... or encoded or compressed */
	unsigned	 verdicts;	/* bit (1 << verdict) for each verdict seen */
	char		 protos[160];	/* protocols with TLS versions */
};

/* A device's payload as a whole: what it sent, received, and the split by verdict. */
struct device_triage {
	struct ent_figures sent, received, both;
	uint64_t	 by[V_COUNT];	/* payload bytes both ways, by the verdict of their side */
	uint64_t	 all;
	char		 protos[160];	/* protocols with TLS versions */
};

/* Both return how many rows *out holds (the caller frees it), sorted for display. */
size_t	triage_ports(struct analysis *, struct port_stat **out);
size_t	triage_table3(struct analysis *, struct table3_row **out);
/* One entry per device, indexed by device id, in one pass over the flows; caller frees. */
size_t	triage_devices(struct analysis *, struct device_triage **out);
/*
 * "62% encrypted, 38% cleartext": the verdicts present, always in the order encrypted,
 * cleartext, encoded, compressed, unknown (so lines compare at a glance); NULL with no payload.
 */
const char *triage_device_summary(const struct device_triage *, char *buf, size_t len);

#endif
