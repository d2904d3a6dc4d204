/* killcmd.h — porttop kill PORT...: free ports by signalling the processes listening on them. */
#ifndef PORTTOP_KILLCMD_H
#define PORTTOP_KILLCMD_H

struct sampler;
struct cli_kill;

/*
 * Take a sample, show what listens on each of opts->ports and which processes own those
 * listeners, ask on the terminal unless opts->yes (no terminal and no --yes: refuse), then
 * signal exactly those owners through the race-free killer (sys/killer: pidfd, start time and
 * socket re-checked). With a timeout, owners still alive after it get SIGKILL. A last sample
 * decides: returns 0 when no named port has a listener any more, 1 when one still has (the
 * reason is printed: a signal not permitted, an owner that cannot be seen, a process that
 * survived, a restart), 2 on errors (sockets unreadable, no terminal to ask on). With
 * dry_run nothing is signalled: 0, or 1 when some owner cannot be seen. Main thread.
 */
int killcmd_run(struct sampler *s, const struct cli_kill *opts);

#endif
