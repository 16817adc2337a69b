/*
 * sandbox.h — confining iotscope (Linux) once its inputs, outputs and capture devices are
 * open, so that a dissector compromised by hostile traffic cannot open new files or sockets:
 * Landlock takes away the file system except where the run must still create files or read
 * new ones, and a seccomp filter takes away new sockets, exec, ptrace and kernel interfaces
 * that would step around Landlock.  Whichever the kernel offers is used.
 */
#ifndef IOT_SANDBOX_H
#define IOT_SANDBOX_H

#include <stddef.h>

/* What the run still needs once confined; the folders exist. */
struct sandbox_policy {
	/* Beneath these, files may be created and written (rotated -w files, a CSV folder). */
	const char *const *write_dirs;
	size_t		 nwrite;
	/* The same for folders already open (by root, before -Z dropped it). */
	const int	*write_fds;
	size_t		 nwrite_fds;
	/* Beneath these, files and folders may be read (--follow DIR). */
	const char *const *read_dirs;
	size_t		 nread;
	int		 netlink;	/* -I: libpcap removes the monitor interface over nl80211 */
};

#define SANDBOX_LANDLOCK	1
#define SANDBOX_SECCOMP		2

/*
 * Confines the calling thread and every thread it creates afterwards: call with no other
 * thread running (a thread already running stays out of Landlock).  Returns the mechanisms
 * applied (SANDBOX_LANDLOCK | SANDBOX_SECCOMP; 0 when the kernel offers neither), or -1 with
 * one line in err when one is offered but could not be applied.  The Landlock ABI version is
 * left in *abi (0 without it).
 */
int	 sandbox_apply(const struct sandbox_policy *, int *abi, char *err, size_t errlen);
/*
 * For the tests (IOTSCOPE_SANDBOX_SELFTEST=DIR): tries what the sandbox forbids — reading
 * /etc/passwd, creating a file in DIR, opening a socket — and says on standard error what
 * each did.
 */
void	 sandbox_selftest(const char *dir);

#endif
