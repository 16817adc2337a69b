/*
 * sandbox.c — Landlock and a seccomp filter (see sandbox.h), through syscall(2): no library.
 * Landlock decides by path what may still be opened, created or removed; seccomp decides by
 * system call and cannot see paths, so without Landlock it refuses opening files altogether
 * when the run needs no new file, and for writing when it needs only to read new ones.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifdef HAVE_LINUX_LANDLOCK_H
#include <linux/landlock.h>
#endif
#if defined(HAVE_LINUX_SECCOMP_H) && defined(HAVE_LINUX_FILTER_H) && defined(HAVE_LINUX_AUDIT_H)
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#define SB_SECCOMP	1
#endif

#include "msg.h"
#include "sandbox.h"

/*
 * LeakSanitizer, at exit, reads /proc/self/maps and stops the threads with ptrace(2): the
 * sanitizer build leaves it those (and only those).
 */
#if defined(__SANITIZE_ADDRESS__)
#define SB_SANITIZED	1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SB_SANITIZED	1
#endif
#endif
#ifndef SB_SANITIZED
#define SB_SANITIZED	0
#endif

#ifndef PR_SET_NO_NEW_PRIVS
#define PR_SET_NO_NEW_PRIVS	38
#endif

/* ---- Landlock --------------------------------------------------------------------------- */

#if defined(HAVE_LINUX_LANDLOCK_H) && defined(SYS_landlock_create_ruleset) && \
    defined(SYS_landlock_add_rule) && defined(SYS_landlock_restrict_self)
#define SB_LANDLOCK	1

/* Rights newer than the headers of older systems (the kernel's values never change). */
#ifndef LANDLOCK_ACCESS_FS_REFER
#define LANDLOCK_ACCESS_FS_REFER	(1ULL << 13)	/* ABI 2 */
#endif
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE	(1ULL << 14)	/* ABI 3 */
#endif
#ifndef LANDLOCK_ACCESS_FS_IOCTL_DEV
#define LANDLOCK_ACCESS_FS_IOCTL_DEV	(1ULL << 15)	/* ABI 5 */
#endif
#define SB_NET_BIND_TCP			(1ULL << 0)	/* ABI 4 */
#define SB_NET_CONNECT_TCP		(1ULL << 1)
#define SB_SCOPE_ABSTRACT_UNIX		(1ULL << 0)	/* ABI 6 */
#define SB_SCOPE_SIGNAL			(1ULL << 1)

/* The ruleset as of ABI 6; older kernels are given the first 8 or 16 bytes. */
struct sb_ruleset_attr {
	uint64_t	handled_access_fs;
	uint64_t	handled_access_net;
	uint64_t	scoped;
};

/* Allows access beneath the folder open as fd (path names it in err); -1 with err. */
static int
ll_allow_fd(int ruleset, int fd, const char *path, uint64_t access, char *err, size_t errlen)
{
	struct landlock_path_beneath_attr pb;

	memset(&pb, 0, sizeof pb);
	pb.allowed_access = access;
	pb.parent_fd = fd;
	int rc = (int)syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &pb, 0);
	if (rc < 0)
		snprintf(err, errlen, "sandbox: Landlock refuses a rule for %s: %s", path,
		    strerror(errno));
	return rc;
}

/* Allows access beneath path (a folder); -1 with err. */
static int
ll_allow(int ruleset, const char *path, uint64_t access, char *err, size_t errlen)
{
	int fd = open(path, O_PATH | O_CLOEXEC | O_DIRECTORY);

	if (fd < 0) {
		snprintf(err, errlen, "sandbox: %s: %s", path, strerror(errno));
		return -1;
	}
	int rc = ll_allow_fd(ruleset, fd, path, access, err, errlen);
	close(fd);
	return rc;
}

/* 1 when applied, 0 when the kernel has no Landlock, -1 with err. */
static int
landlock(const struct sandbox_policy *p, int *abi_out, char *err, size_t errlen)
{
	struct sb_ruleset_attr ra;
	int abi = (int)syscall(SYS_landlock_create_ruleset, NULL, 0,
	    LANDLOCK_CREATE_RULESET_VERSION);

	if (abi < 1)
		return 0;		/* ENOSYS, or EOPNOTSUPP: built but not enabled at boot */
	*abi_out = abi;
	memset(&ra, 0, sizeof ra);
	/* Every right the kernel knows is handled: what no rule grants is refused. */
	ra.handled_access_fs = LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE |
	    LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR |
	    LANDLOCK_ACCESS_FS_REMOVE_DIR | LANDLOCK_ACCESS_FS_REMOVE_FILE |
	    LANDLOCK_ACCESS_FS_MAKE_CHAR | LANDLOCK_ACCESS_FS_MAKE_DIR |
	    LANDLOCK_ACCESS_FS_MAKE_REG | LANDLOCK_ACCESS_FS_MAKE_SOCK |
	    LANDLOCK_ACCESS_FS_MAKE_FIFO | LANDLOCK_ACCESS_FS_MAKE_BLOCK |
	    LANDLOCK_ACCESS_FS_MAKE_SYM;
	if (abi >= 2)
		ra.handled_access_fs |= LANDLOCK_ACCESS_FS_REFER;
	if (abi >= 3)
		ra.handled_access_fs |= LANDLOCK_ACCESS_FS_TRUNCATE;
	if (abi >= 5)
		ra.handled_access_fs |= LANDLOCK_ACCESS_FS_IOCTL_DEV;
	size_t size = offsetof(struct sb_ruleset_attr, handled_access_net);
	if (abi >= 4) {
		ra.handled_access_net = SB_NET_BIND_TCP | SB_NET_CONNECT_TCP;
		size = offsetof(struct sb_ruleset_attr, scoped);
	}
	if (abi >= 6) {
		ra.scoped = SB_SCOPE_ABSTRACT_UNIX | SB_SCOPE_SIGNAL;
		size = sizeof ra;
	}
	int rs = (int)syscall(SYS_landlock_create_ruleset, &ra, size, 0);
	if (rs < 0) {
		snprintf(err, errlen, "sandbox: Landlock (ABI %d) refuses the ruleset: %s", abi,
		    strerror(errno));
		return -1;
	}
	uint64_t create = LANDLOCK_ACCESS_FS_MAKE_REG | LANDLOCK_ACCESS_FS_WRITE_FILE |
	    (abi >= 3 ? LANDLOCK_ACCESS_FS_TRUNCATE : 0);
	uint64_t read = LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR;
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < p->nwrite; i++)
		rc = ll_allow(rs, p->write_dirs[i], create, err, errlen);
	for (size_t i = 0; rc == 0 && i < p->nwrite_fds; i++)
		rc = ll_allow_fd(rs, p->write_fds[i], "the report's folder", create, err, errlen);
	for (size_t i = 0; rc == 0 && i < p->nread; i++)
		rc = ll_allow(rs, p->read_dirs[i], read, err, errlen);
	if (rc == 0 && SB_SANITIZED)
		rc = ll_allow(rs, "/proc", read, err, errlen);
	if (rc == 0 && syscall(SYS_landlock_restrict_self, rs, 0) < 0) {
		snprintf(err, errlen, "sandbox: Landlock cannot confine the process: %s",
		    strerror(errno));
		rc = -1;
	}
	close(rs);
	return rc < 0 ? -1 : 1;
}
#else
static int
landlock(const struct sandbox_policy *p, int *abi, char *err, size_t errlen)
{
	(void)p;
	(void)abi;
	(void)err;
	(void)errlen;
	return 0;
}
#endif

/* ---- seccomp ---------------------------------------------------------------------------- */

#ifdef SB_SECCOMP
#if defined(__x86_64__) && !defined(__ILP32__)
#define SB_ARCH		AUDIT_ARCH_X86_64
#elif defined(__i386__)
#define SB_ARCH		AUDIT_ARCH_I386
#elif defined(__aarch64__)
#define SB_ARCH		AUDIT_ARCH_AARCH64
#elif defined(__arm__) && defined(__ARMEL__)
#define SB_ARCH		AUDIT_ARCH_ARM
#elif defined(__riscv) && __riscv_xlen == 64
#define SB_ARCH		AUDIT_ARCH_RISCV64
#endif
#endif

#ifdef SB_ARCH
/*
 * Refused always: new sockets and network ends, programs, other processes, and kernel doors
 * around the rest.  Numbers an architecture lacks are left out.
 */
static const long deny_always[] = {
#ifdef SYS_socketpair
	SYS_socketpair,
#endif
#ifdef SYS_socketcall
	SYS_socketcall,
#endif
#ifdef SYS_connect
	SYS_connect,
#endif
#ifdef SYS_bind
	SYS_bind,
#endif
#ifdef SYS_listen
	SYS_listen,
#endif
#ifdef SYS_accept
	SYS_accept,
#endif
#ifdef SYS_accept4
	SYS_accept4,
#endif
	/* The capture socket only receives: nothing is sent through it. */
#ifdef SYS_sendto
	SYS_sendto,
#endif
#ifdef SYS_sendmsg
	SYS_sendmsg,
#endif
#ifdef SYS_sendmmsg
	SYS_sendmmsg,
#endif
	SYS_execve,
#ifdef SYS_execveat
	SYS_execveat,
#endif
#if !SB_SANITIZED
	SYS_ptrace,
#endif
	SYS_process_vm_readv, SYS_process_vm_writev,
	/* Opens by handle, past Landlock's paths. */
	SYS_open_by_handle_at,
	/* io_uring does its operations past seccomp. */
#ifdef SYS_io_uring_setup
	SYS_io_uring_setup, SYS_io_uring_enter, SYS_io_uring_register,
#endif
	SYS_bpf, SYS_perf_event_open,
#ifdef SYS_userfaultfd
	SYS_userfaultfd,
#endif
	SYS_unshare, SYS_setns, SYS_mount, SYS_umount2, SYS_pivot_root, SYS_chroot,
#ifdef SYS_fsopen
	SYS_open_tree, SYS_move_mount, SYS_fsopen, SYS_fsconfig, SYS_fsmount, SYS_fspick,
#endif
#ifdef SYS_kexec_load
	SYS_kexec_load,
#endif
#ifdef SYS_kexec_file_load
	SYS_kexec_file_load,
#endif
	SYS_init_module, SYS_finit_module, SYS_delete_module,
	SYS_keyctl, SYS_add_key, SYS_request_key, SYS_acct, SYS_swapon, SYS_swapoff,
	SYS_reboot, SYS_quotactl,
};

/* Without Landlock, what changes a file by its path is refused too. */
static const long deny_paths[] = {
#ifdef SYS_unlink
	SYS_unlink,
#endif
#ifdef SYS_rename
	SYS_rename,
#endif
#ifdef SYS_link
	SYS_link,
#endif
#ifdef SYS_symlink
	SYS_symlink,
#endif
#ifdef SYS_rmdir
	SYS_rmdir,
#endif
#ifdef SYS_chmod
	SYS_chmod,
#endif
#ifdef SYS_chown
	SYS_chown,
#endif
#ifdef SYS_lchown
	SYS_lchown,
#endif
#ifdef SYS_mknod
	SYS_mknod,
#endif
#ifdef SYS_utime
	SYS_utime,
#endif
#ifdef SYS_utimes
	SYS_utimes,
#endif
#ifdef SYS_renameat
	SYS_renameat,
#endif
#ifdef SYS_renameat2
	SYS_renameat2,
#endif
	SYS_unlinkat, SYS_linkat, SYS_symlinkat, SYS_fchmodat, SYS_fchownat, SYS_mknodat,
	SYS_truncate,
};

#define SB_PROG_MAX	256

struct sb_prog {
	struct sock_filter f[SB_PROG_MAX];
	unsigned short	 n;
};

static void
emit(struct sb_prog *p, unsigned short code, unsigned char jt, unsigned char jf, uint32_t k)
{
	if (p->n < SB_PROG_MAX)
		p->f[p->n++] = (struct sock_filter)BPF_JUMP(code, k, jt, jf);
}

/* The low 32 bits of argument i (flags, a domain). */
static uint32_t
arg_lo(int i)
{
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return (uint32_t)(offsetof(struct seccomp_data, args) + 8 * i + 4);
#else
	return (uint32_t)(offsetof(struct seccomp_data, args) + 8 * i);
#endif
}

/* nr answers errno e (A holds the system call number). */
static void
deny(struct sb_prog *p, long nr, int e)
{
	emit(p, BPF_JMP | BPF_JEQ | BPF_K, 0, 1, (uint32_t)nr);
	emit(p, BPF_RET | BPF_K, 0, 0, SECCOMP_RET_ERRNO | (uint32_t)e);
}

/* nr opens for reading only: its flags in argument i must not ask to write or create. */
static void
open_readonly(struct sb_prog *p, long nr, int i)
{
	emit(p, BPF_JMP | BPF_JEQ | BPF_K, 0, 4, (uint32_t)nr);
	emit(p, BPF_LD | BPF_W | BPF_ABS, 0, 0, arg_lo(i));
	emit(p, BPF_JMP | BPF_JSET | BPF_K, 1, 0, O_WRONLY | O_RDWR | O_CREAT | O_TRUNC |
	    O_APPEND | (O_TMPFILE & ~O_DIRECTORY));
	emit(p, BPF_RET | BPF_K, 0, 0, SECCOMP_RET_ALLOW);
	emit(p, BPF_RET | BPF_K, 0, 0, SECCOMP_RET_ERRNO | EACCES);
}

enum sb_opens { OPENS_ANY, OPENS_READ, OPENS_NONE };

static void
build(struct sb_prog *p, const struct sandbox_policy *pol, int have_landlock)
{
	enum sb_opens opens = OPENS_ANY;

	/*
	 * Without Landlock seccomp must keep files shut by itself, as far as the run allows
	 * (LeakSanitizer reads /proc at exit: the sanitizer build may open to read).
	 */
	if (!have_landlock && pol->nwrite == 0)
		opens = pol->nread > 0 || SB_SANITIZED ? OPENS_READ : OPENS_NONE;
	p->n = 0;
	/* Another architecture's numbers (int 0x80 on x86-64) would mean other calls. */
	emit(p, BPF_LD | BPF_W | BPF_ABS, 0, 0, offsetof(struct seccomp_data, arch));
	emit(p, BPF_JMP | BPF_JEQ | BPF_K, 1, 0, SB_ARCH);
	emit(p, BPF_RET | BPF_K, 0, 0, SECCOMP_RET_ERRNO | EPERM);
	emit(p, BPF_LD | BPF_W | BPF_ABS, 0, 0, offsetof(struct seccomp_data, nr));
#if defined(__x86_64__)
	/* x32 calls carry this bit on the same architecture. */
	emit(p, BPF_JMP | BPF_JGE | BPF_K, 0, 1, 0x40000000u);
	emit(p, BPF_RET | BPF_K, 0, 0, SECCOMP_RET_ERRNO | EPERM);
#endif
	for (size_t i = 0; i < sizeof deny_always / sizeof *deny_always; i++)
		deny(p, deny_always[i], EPERM);
	if (!have_landlock)
		for (size_t i = 0; i < sizeof deny_paths / sizeof *deny_paths; i++)
			deny(p, deny_paths[i], EPERM);
	if (opens == OPENS_NONE) {
#ifdef SYS_open
		deny(p, SYS_open, EACCES);
		deny(p, SYS_creat, EACCES);
#endif
		deny(p, SYS_openat, EACCES);
	} else if (opens == OPENS_READ) {
#ifdef SYS_open
		deny(p, SYS_creat, EACCES);
#endif
	}
#ifdef SYS_openat2
	/* Its flags sit in a structure seccomp cannot read: libc falls back to openat. */
	if (opens != OPENS_ANY)
		deny(p, SYS_openat2, ENOSYS);
#endif
	/* Last, as they load an argument over the number: socket, and opens to read. */
#ifdef SYS_socket
	if (!pol->netlink)
		deny(p, SYS_socket, EPERM);
	else {
		emit(p, BPF_JMP | BPF_JEQ | BPF_K, 0, 4, SYS_socket);
		emit(p, BPF_LD | BPF_W | BPF_ABS, 0, 0, arg_lo(0));
		emit(p, BPF_JMP | BPF_JEQ | BPF_K, 0, 1, AF_NETLINK);
		emit(p, BPF_RET | BPF_K, 0, 0, SECCOMP_RET_ALLOW);
		emit(p, BPF_RET | BPF_K, 0, 0, SECCOMP_RET_ERRNO | EPERM);
	}
#endif
	if (opens == OPENS_READ) {
#ifdef SYS_open
		open_readonly(p, SYS_open, 1);
		/* Reached only when nr is not open: A still holds it. */
#endif
		open_readonly(p, SYS_openat, 2);
	}
	emit(p, BPF_RET | BPF_K, 0, 0, SECCOMP_RET_ALLOW);
}

/* 1 when applied, 0 when the kernel has no seccomp filters, -1 with err. */
static int
seccomp_filter(const struct sandbox_policy *pol, int have_landlock, char *err, size_t errlen)
{
	static struct sb_prog p;

	if (prctl(PR_GET_SECCOMP, 0, 0, 0, 0) < 0)
		return 0;
	build(&p, pol, have_landlock);
	if (p.n >= SB_PROG_MAX) {
		snprintf(err, errlen, "sandbox: the seccomp filter is too long");
		return -1;
	}
	struct sock_fprog fp = { .len = p.n, .filter = p.f };
	long rc = -1;
#ifdef SYS_seccomp
	rc = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, &fp);
#endif
	if (rc < 0 && (errno == ENOSYS || errno == EINVAL))
		rc = prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fp, 0, 0);
	if (rc < 0) {
		if (errno == EINVAL)
			return 0;	/* a kernel without CONFIG_SECCOMP_FILTER */
		snprintf(err, errlen, "sandbox: seccomp refuses the filter: %s", strerror(errno));
		return -1;
	}
	return 1;
}
#else
static int
seccomp_filter(const struct sandbox_policy *pol, int have_landlock, char *err, size_t errlen)
{
	(void)pol;
	(void)have_landlock;
	(void)err;
	(void)errlen;
	return 0;
}
#endif

/* Threads of the process besides the caller (Landlock would leave them out), or 0. */
static int
other_threads(void)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	int n = 0;

	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n > 0 ? n - 1 : 0;
}

int
sandbox_apply(const struct sandbox_policy *p, int *abi, char *err, size_t errlen)
{
	/* For the tests: what a kernel offering less would give ("landlock", "seccomp", "none"). */
	const char *only = getenv("IOTSCOPE_SANDBOX_ONLY");
	int got = 0, rc, n;

	*abi = 0;
	if ((n = other_threads()) > 0) {
		snprintf(err, errlen, "sandbox: %d other threads already run and would stay out of "
		    "it", n);
		return -1;
	}
	/* Both need it; it also makes exec unable to gain privileges (set-user-ID). */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		snprintf(err, errlen, "sandbox: cannot set no_new_privs: %s", strerror(errno));
		return -1;
	}
	rc = 0;
	if (only == NULL || strcmp(only, "landlock") == 0)
		rc = landlock(p, abi, err, errlen);
	if (rc < 0)
		return -1;
	if (rc > 0)
		got |= SANDBOX_LANDLOCK;
	rc = 0;
	if (only == NULL || strcmp(only, "seccomp") == 0)
		rc = seccomp_filter(p, got != 0, err, errlen);
	if (rc < 0)
		return -1;
	if (rc > 0)
		got |= SANDBOX_SECCOMP;
	return got;
}

static void
said(const char *what, int rc)
{
	int e = errno;

	if (rc >= 0)
		msg_err("sandbox selftest: %s: allowed", what);
	else
		msg_err("sandbox selftest: %s: denied (%s)", what, strerror(e));
}

void
sandbox_selftest(const char *dir)
{
	char path[4096], what[4200];
	int fd;

	fd = open("/etc/passwd", O_RDONLY | O_CLOEXEC);
	said("read /etc/passwd", fd);
	if (fd >= 0)
		close(fd);
	snprintf(path, sizeof path, "%s/iotscope-selftest.%ld", dir, (long)getpid());
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	snprintf(what, sizeof what, "create %s", path);
	said(what, fd);
	if (fd >= 0) {
		close(fd);
		unlink(path);
	}
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	said("open a UDP socket", fd);
	if (fd >= 0)
		close(fd);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	said("open a Unix socket", fd);
	if (fd >= 0)
		close(fd);
}
