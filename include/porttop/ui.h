/* ui.h — the interactive screen: a live ncurses dashboard over the sampler's snapshots. */
#ifndef PORTTOP_UI_H
#define PORTTOP_UI_H

#include <stdbool.h>

struct sampler;

struct ui_config {
	const char *proc_root;   /* for the killer's identity checks: "/proc" */
	const char *config_path; /* --config, or NULL for $PORTTOP_CONFIG / XDG / HOME */
	int delay_tenths;        /* -d given: overrides the settings file; 0 when not given */
	int iterations;          /* -n: quit after this many snapshots; 0 runs until q */
	bool no_color;           /* -C; NO_COLOR in the environment also turns colours off */
	bool readonly;           /* --readonly: k explains that killing is off */
};

/*
 * Run the dashboard on the terminal until the user quits, the -n count is reached, a signal
 * (SIGINT, SIGTERM, SIGHUP) arrives or the terminal goes away. s must be created and not yet
 * started: ui_run starts it, and it stays owned by the caller (free it afterwards). The
 * terminal is restored on every way out, including fatal signals. Main thread only.
 * Returns the process exit code: 0 after q, -n or SIGINT/SIGTERM, 1 when the terminal went
 * away or could not be set up (with a message on stderr in that case).
 */
int ui_run(struct sampler *s, const struct ui_config *cfg);

#endif
