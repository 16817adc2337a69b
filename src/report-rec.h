/*
 * report-rec.h — every record of the machine-readable reports described once: a record
 * function names each field and hands its value to an emitter, and the JSON and CSV writers
 * are emitters.  Adding a field here adds it to both formats with the same name.
 */
#ifndef IOT_REPORT_REC_H
#define IOT_REPORT_REC_H

#include <stddef.h>
#include <stdint.h>

struct analysis;
struct cap_input_info;
struct device;
struct finding;
struct flow;
struct ipname;
struct ov_linktype;
struct warn_entry;

struct rec_out {
	void	(*str)(struct rec_out *, const char *key, const char *val);	/* val may be NULL */
	void	(*u64)(struct rec_out *, const char *key, uint64_t);
	void	(*i64)(struct rec_out *, const char *key, int64_t);
	void	(*dbl)(struct rec_out *, const char *key, double, int decimals);
	void	(*boolean)(struct rec_out *, const char *key, int);
	/* A list of strings: JSON array, CSV cell joined with ';'. */
	void	(*list_begin)(struct rec_out *, const char *key);
	void	(*list_item)(struct rec_out *, const char *);
	void	(*list_dbl)(struct rec_out *, double, int decimals);
	void	(*list_end)(struct rec_out *);
	void	*ctx;
};

void	rec_input(struct rec_out *, const struct cap_input_info *);
void	rec_capture(struct rec_out *, struct analysis *);
void	rec_overview(struct rec_out *, struct analysis *);
void	rec_linktype(struct rec_out *, const struct ov_linktype *);
struct device_triage;
void	rec_device(struct rec_out *, struct analysis *, const struct device *,
	    const struct device_triage *);
/*
 * Readies what rec_flow reads: every flow weighed (analysis_triage_all) and every held flow's
 * addresses looked up, so that rec_flow changes nothing shared and threads may call it at
 * once for different flows, until the next packet is analysed.
 */
void	rec_flows_ready(struct analysis *);
void	rec_flow(struct rec_out *, struct analysis *, const struct flow *);
void	rec_name(struct rec_out *, struct analysis *, const struct ipname *);
void	rec_warning(struct rec_out *, const struct warn_entry *);
/* A flow's window entropies (reads its payload back: needs the packet index). */
void	rec_windows(struct rec_out *, struct analysis *, const struct flow *, unsigned size);
struct port_stat;
struct table3_row;
void	rec_port(struct rec_out *, const struct port_stat *);
void	rec_table3(struct rec_out *, struct analysis *, const struct table3_row *);
/* The analysis settings a reader needs to interpret the figures. */
void	rec_settings(struct rec_out *, struct analysis *);
void	rec_profile(struct rec_out *, struct analysis *, double elapsed_s);
/* Time fields: ISO 8601 string under key and nanoseconds under key_ns (key a literal). */
void	rec_time_keys(struct rec_out *, const char *key, const char *key_ns, int64_t ns);
#define rec_time(o, key, ns)	rec_time_keys((o), key, key "_ns", (ns))

/* report-geo.c */
struct dest;
struct country_row;
struct org_row;
struct geo_tables;
struct geo_db_info;
void	rec_geodb(struct rec_out *, const struct geo_db_info *);
void	rec_dest(struct rec_out *, struct analysis *, const struct dest *);
void	rec_country(struct rec_out *, const struct country_row *);
void	rec_org(struct rec_out *, const struct org_row *);
void	rec_matrix_cell(struct rec_out *, struct analysis *, const struct geo_tables *,
	    uint32_t device, size_t country);
void	rec_geo_summary(struct rec_out *, struct analysis *, const struct geo_tables *);

/* Findings (report-findings.c); with a mask (--mask) secrets are hidden everywhere. */
struct find_mask;
/* The secrets --mask hides, in *out; -1 and *out NULL when memory runs out. */
int	find_mask_new(struct analysis *, struct find_mask **out);
void	find_mask_free(struct find_mask *);
void	rec_finding(struct rec_out *, struct analysis *, const struct finding *,
	    const struct find_mask *);
const char *finding_outcome_name(int outcome);
const char *finding_shown(const struct finding *, const char *s, int mask, char *buf,
	    size_t len);
char	*finding_context(const struct finding *, const struct find_mask *, char *buf, size_t len);

#endif
