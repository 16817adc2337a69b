/*
 * tui.h — the workbench: one event loop (poll on the keyboard, bounded analysis steps while a
 * capture loads, redraws a few times a second), the layout (devices beside the active pane at
 * 120 columns and more, one pane with a tab bar below that), the status bar, and the panes.
 * Each pane is a table of operations in its own ui/pane-*.c, as tmux's window modes are.
 */
#ifndef IOT_TUI_H
#define IOT_TUI_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "term.h"

struct analysis;
struct options;
struct tui;

enum pane_id {
	PANE_DEVICES,
	PANE_FLOWS,
	PANE_DESTS,
	PANE_PAYLOAD,
	PANE_HEATMAP,
	PANE_CHANNELS,
	PANE_OVERVIEW,
	PANE_COUNTRIES,
	PANE_FINDINGS,
	PANE_SEARCH,
	PANE_HELP,
	PANE_COUNT
};

struct pane_ops {
	const char	*name;		/* tab title */
	const char	*abbrev;	/* shorter, for narrow terminals; NULL: the name */
	const char	*help;		/* "key\tmeaning" lines for the help screen */
	const char	*hints;		/* key hints for the status bar */
	void		*(*init)(struct tui *);
	void		 (*free)(void *);
	/* The analysis moved on, or the selection a pane depends on changed. */
	void		 (*update)(struct tui *, void *);
	void		 (*draw)(struct tui *, void *, WINDOW *, int y, int x, int h, int w,
			    int focused);
	int		 (*key)(struct tui *, void *, int key);	/* 1 when handled */
	int		 (*click)(struct tui *, void *, int y, int x);
	/* '/' text submitted: a list filter or, in the viewer, a regex; -1 with a message. */
	int		 (*search)(struct tui *, void *, const char *text, char *err, size_t errlen);
	/* The active filter or search, for the status bar, or NULL. */
	const char	*(*filter)(void *);
	/*
	 * Optional: work left over from a key (a search) or done ahead while the keyboard is
	 * idle (the heatmap's entropies), a slice at a time: 0 nothing to do, 1 more remains,
	 * 2 just finished (redraw).
	 */
	int		 (*work)(struct tui *, void *);
};

extern const struct pane_ops pane_devices;
extern const struct pane_ops pane_flows;
extern const struct pane_ops pane_dests;
extern const struct pane_ops pane_payload;
extern const struct pane_ops pane_heatmap;
extern const struct pane_ops pane_channels;
extern const struct pane_ops pane_countries;
extern const struct pane_ops pane_findings;
extern const struct pane_ops pane_search;
extern const struct pane_ops pane_overview;
extern const struct pane_ops pane_help;

struct session;

struct tui {
	struct term	 term;
	struct analysis	*a;
	const struct options *opt;
	const struct pane_ops *ops[PANE_COUNT];
	void		*state[PANE_COUNT];
	int		 active;	/* pane with the keyboard */
	int		 right;		/* wide layout: the pane beside the devices */
	int		 back[16];	/* panes to return to with Esc */
	int		 nback;

	/* What the panes show, set by drilling down. */
	uint32_t	 device1;	/* selected device id + 1; 0 = all devices */
	int		 has_remote;	/* flows restricted to one remote address */
	struct addr	 remote;
	int		 has_country;	/* ... or to remote addresses in one country */
	char		 country[3];	/* "" for public addresses no database places */
	uint32_t	 flow1;		/* flow in the payload viewer, id + 1 */
	uint32_t	 payload_ref1;	/* open it at this packet of its index, + 1 (heatmap) */
	char		 payload_rx[1024];	/* and search it for this (findings, search) */
	char		*ctl[256];	/* controllers (the vendor app's phone): MACs or IPs */
	size_t		 nctl;

	int		 prompt;	/* reading a '/' text */
	char		 prompt_buf[256];
	size_t		 prompt_len;
	char		 message[256];	/* one-line message in the status bar */
	int		 message_is_error;

	int		 quit;
	int		 loaded;	/* the analysis is done */
	uint64_t	 ingested;	/* packets when the panes last caught up */
	size_t		 hashing;	/* inputs whose SHA-256 is still being computed */
	int		 live;		/* a source can still bring packets (live, follow) */
	int		 paused;	/* p: the view holds still, the capture goes on */
	/* Packet and byte rates for the status bar, from samples about a second apart. */
	double		 rate_t;
	uint64_t	 rate_pk, rate_by;
	double		 pps, bps;
	/* --timing: how long keys waited, bounded from the previous look at the keyboard. */
	double		 prev_poll, key_lat_max, key_lat_sum;
	unsigned	 key_lat_n;
	int		 key_lat_key, key_lat_pane;	/* the slowest key, and its pane after */
	/* The first keys answered in more than KEY_SLOW s (tui.c), for --timing. */
	struct { int key, pane; float ms; } key_slow[8];
	unsigned	 nkey_slow;
	struct session	*session;	/* the capture's sources, evidence and signals */
	double		 t_start, t_first_screen, t_loaded;
	uint64_t	 generation;	/* bumps whenever the data changed */
	uint64_t	 updated[PANE_COUNT];	/* the generation each pane last caught up with */
};

/* Runs the workbench until the user quits; returns the process exit status. */
int	tui_run(const struct options *);
/* Switches the keyboard (and, in the wide layout, the right side) to a pane. */
void	tui_focus(struct tui *, int pane, int remember);
/* Marks a device as running the vendor's app, or no longer. */
void	tui_toggle_controller(struct tui *, uint32_t device_id);
/* Whether something first seen at ns is new: within the last minute of a live capture. */
int	tui_is_new(const struct tui *, int64_t first_ns);
/* Marks every pane for refresh (the selection a pane follows changed). */
void	tui_changed(struct tui *);
void	tui_message(struct tui *, int error, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
double	tui_now(void);
/* Human byte counts: 1234 → "1.2K"; exact below 10 000. */
char	*tui_bytes(uint64_t v, char *buf, size_t len);
/* Duration in seconds, compact ("0.25s", "3m12s", "2h05m"). */
char	*tui_duration(double s, char *buf, size_t len);
/* Time of day of a capture time, "HH:MM:SS.mmm" (UTC). */
char	*tui_clock(int64_t ns, char *buf, size_t len);
/* An endpoint's sort key (TABLE_KEY_PREFIX): address bytes, then port, ties to the pane's cmp. */
uint64_t tui_endpoint_key(const struct addr *, uint16_t port);

#endif
