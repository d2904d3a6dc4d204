/* cli.h — the command line: options parsed into one plain struct. */
#ifndef PORTTOP_CLI_H
#define PORTTOP_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum cli_mode {
	CLI_MODE_SCREEN,   /* the ncurses dashboard */
	CLI_MODE_BATCH,    /* --once, -n, --format or --output without a screen: print samples */
	CLI_MODE_CHECK,    /* --check: exit 1 when unexpected exposure */
	CLI_MODE_EXPECTED, /* --expected: print the active rules */
	CLI_MODE_EVENTS,   /* --events: NDJSON listener events until stopped */
	CLI_MODE_KILL,     /* porttop kill PORT...: free ports */
	CLI_MODE_HELP,
	CLI_MODE_VERSION
};

enum cli_format {
	CLI_FORMAT_TABLE,
	CLI_FORMAT_JSON,
	CLI_FORMAT_PROMETHEUS
};

/* --output FILE: each sample replaces FILE, in format. */
struct cli_output {
	const char *path; /* borrowed from argv */
	enum cli_format format;
};

#define CLI_OUTPUTS_MAX 8

/* One PORT argument of porttop kill: [tcp/|udp/]PORT. */
struct cli_port {
	uint8_t protos; /* 1 << PT_PROTO_TCP and/or 1 << PT_PROTO_UDP */
	uint16_t port;
};

struct cli_kill {
	int sig;         /* default SIGTERM */
	bool dry_run;
	bool yes;        /* do not ask */
	int timeout_ms;  /* --timeout: then SIGKILL; -1 without it */
	struct cli_port *ports; /* owned */
	size_t nports;
};

struct cli_opts {
	enum cli_mode mode;
	enum cli_format format; /* standard output's */
	bool format_given;      /* --format or --json was given */
	int iterations;   /* -n: samples before quitting; 0 = not given */
	int delay_tenths; /* -d */
	bool delay_set;   /* -d was given (the screen otherwise uses its saved interval) */
	int source;       /* enum sampler_source */
	bool once;
	bool no_color;
	bool readonly;
	bool quiet;
	bool kill_help;     /* with CLI_MODE_HELP: porttop kill --help */
	const char *config; /* --config, else from the environment */
	struct cli_output outputs[CLI_OUTPUTS_MAX];
	size_t noutputs;
	struct cli_kill kill; /* CLI_MODE_KILL */
};

/*
 * Parse argv into opts: options, or "kill" as the first argument followed by its own options
 * and ports. Returns 0, or -1 with a message on stderr (the caller exits 2). Either way the
 * caller calls cli_fini. Main thread only.
 */
int cli_parse(int argc, char **argv, struct cli_opts *opts);
/* Free what cli_parse allocated. */
void cli_fini(struct cli_opts *opts);
void cli_usage(FILE *fp);
void cli_kill_usage(FILE *fp);

#endif
