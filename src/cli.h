/* cli.h — the command line: options parsed into one plain struct. */
#ifndef PORTTOP_CLI_H
#define PORTTOP_CLI_H

#include <stdbool.h>
#include <stdio.h>

enum cli_mode {
	CLI_MODE_SCREEN, /* the ncurses dashboard */
	CLI_MODE_BATCH,  /* --once or -n without a terminal screen: print samples */
	CLI_MODE_CHECK,  /* --check: exit 1 when unexpected exposure */
	CLI_MODE_EXPECTED, /* --expected: print the active rules */
	CLI_MODE_HELP,
	CLI_MODE_VERSION
};

enum cli_format {
	CLI_FORMAT_TABLE,
	CLI_FORMAT_JSON
};

struct cli_opts {
	enum cli_mode mode;
	enum cli_format format;
	int iterations;   /* -n: samples before quitting; 0 = forever */
	int delay_tenths; /* -d */
	bool delay_set;   /* -d was given (the screen otherwise uses its saved interval) */
	int source;       /* enum sampler_source */
	bool once;
	bool no_color;
	bool readonly;
	bool quiet;
	const char *config; /* --config, else from the environment */
};

/*
 * Parse argv into opts. Returns 0, or -1 with a message on stderr (the caller exits 2).
 * Main thread only.
 */
int cli_parse(int argc, char **argv, struct cli_opts *opts);
void cli_usage(FILE *fp);

#endif
