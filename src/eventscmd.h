/* eventscmd.h — porttop --events: listener events as JSON lines until stopped. */
#ifndef PORTTOP_EVENTSCMD_H
#define PORTTOP_EVENTSCMD_H

struct sampler;
struct pt_rules;

/*
 * Take a sample every delay_ms (synchronously, so no snapshot is skipped and every change is
 * seen), and print the events between each and the one before (events_diff) to stdout, one
 * JSON object per line, flushed after each sample. The first sample reports what already
 * listens (initial). Stops after iterations samples (0: never), on SIGINT/SIGTERM/SIGHUP
 * (stop.h), or when stdout fails; then reports close for the listeners still inside their
 * GONE window. rules are the sampler's (borrowed; NULL for none). Returns the exit status:
 * 0, or 2 when the socket tables cannot be read or stdout fails. Main thread.
 */
int eventscmd_run(struct sampler *s, const struct pt_rules *rules, int iterations, int delay_ms);

#endif
