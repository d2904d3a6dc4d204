/* procfd.h — a process's descriptors as /proc shows them, and the stat fields that pin it. */
#ifndef PORTTOP_PROCFD_H
#define PORTTOP_PROCFD_H

#include <stddef.h>
#include <stdint.h>

/*
 * PROC/PID/fd lists the descriptors of the process's main thread. When that thread has exited
 * while others run (a zombie thread-group leader: the pid, the process and its sockets live
 * on), the folder is empty, and the descriptors are read through a live thread instead:
 * PROC/PID/task/TID/fd. A tid of 0 below means "through PID/fd".
 */

/* "PID/fd" (tid 0) or "PID/task/TID/fd" into buf; NULL when it does not fit. */
const char *procfd_dir_path(char *buf, size_t size, uint32_t pid, uint32_t tid);

/* The same with "/FD" after it: the link to readlink. */
const char *procfd_link_path(char *buf, size_t size, uint32_t pid, uint32_t tid, int32_t fd);

/*
 * The thread through which PROC/PID's descriptors are to be read: 0 and *tid = 0 for a process
 * whose main thread runs (or one without threads), 0 and a live thread's id for a zombie
 * leader with live threads, 1 for a kernel thread (it has no descriptors of its own), or
 * -errno (-ENOENT, -ESRCH: gone). Costs a read of PROC/PID/stat: ask when the folder is empty.
 */
int procfd_fd_thread(int procfd, uint32_t pid, uint32_t *tid);

/* A directory entry name in canonical decimal as a number in [1, INT32_MAX], or 0. */
uint32_t procfd_name_num(const char *s);

/*
 * Pure: the inode of an fd link's target "socket:[12345]". Returns 0 and *inode, or -EINVAL
 * for any other target or a malformed/overflowing number.
 */
int procfd_parse_link(const char *target, size_t len, uint32_t *inode);

/* Pure: the start time (field 22) from the text of /proc/PID/stat; 0 or -EINVAL. */
int procfd_parse_stat_start(const char *text, size_t len, uint64_t *start_time);

/* Pure: the parent's pid (field 4) from the text of /proc/PID/stat; 0 or -EINVAL. */
int procfd_parse_stat_ppid(const char *text, size_t len, uint32_t *ppid);

/*
 * Pure: whether /proc/PID/stat describes a thread-group leader that has exited while other
 * threads run (state Z, num_threads, field 20, above 1): 1 yes, 0 no, PROCFD_KERNEL_THREAD
 * for a kernel thread (PF_KTHREAD in flags, field 9), -EINVAL malformed.
 */
#define PROCFD_KERNEL_THREAD 2
int procfd_parse_stat_leader_gone(const char *text, size_t len);

#endif
