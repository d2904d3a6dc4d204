/* cli.c — the command line: options parsed into one plain struct. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "porttop/killer.h"
#include "porttop/model.h"
#include "porttop/sampler.h"
#include "porttop/xalloc.h"

enum {
	OPT_ONCE = 256,
	OPT_JSON,
	OPT_SOURCE,
	OPT_READONLY,
	OPT_CHECK,
	OPT_EXPECTED,
	OPT_CONFIG,
	OPT_FORMAT,
	OPT_EVENTS,
	OPT_DRY_RUN,
	OPT_TIMEOUT,
};

static const struct option cli_longopts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ "once", no_argument, NULL, OPT_ONCE },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "iterations", required_argument, NULL, 'n' },
	{ "delay", required_argument, NULL, 'd' },
	{ "source", required_argument, NULL, OPT_SOURCE },
	{ "no-color", no_argument, NULL, 'C' },
	{ "no-colour", no_argument, NULL, 'C' },
	{ "readonly", no_argument, NULL, OPT_READONLY },
	{ "check", no_argument, NULL, OPT_CHECK },
	{ "quiet", no_argument, NULL, 'q' },
	{ "expected", no_argument, NULL, OPT_EXPECTED },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "output", required_argument, NULL, 'o' },
	{ "events", no_argument, NULL, OPT_EVENTS },
	{ NULL, 0, NULL, 0 },
};

static const struct option cli_kill_longopts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "signal", required_argument, NULL, 's' },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "yes", no_argument, NULL, 'y' },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ NULL, 0, NULL, 0 },
};

/* --format names, indexed by enum cli_format. */
static const char *const cli_format_names[] = {
	[CLI_FORMAT_TABLE] = "table",
	[CLI_FORMAT_JSON] = "json",
	[CLI_FORMAT_PROMETHEUS] = "prometheus",
};

void
cli_usage(FILE *fp)
{
	fputs("Usage: porttop [OPTION]...\n"
	      "  or:  porttop kill [OPTION]... [tcp/|udp/]PORT...\n"
	      "Show every listening TCP and bound UDP port, its owner, connections and exposure.\n"
	      "\n"
	      "  -d, --delay=TENTHS     time between samples in tenths of a second (default 10)\n"
	      "  -n, --iterations=N     quit after N samples\n"
	      "      --once             print one sample and exit (same as -n 1 in batch mode)\n"
	      "      --format=FORMAT    print samples as table, json (see doc/json.md) or\n"
	      "                         prometheus (text exposition format)\n"
	      "      --json             the same as --format=json\n"
	      "  -o, --output=FILE      replace FILE with each sample (atomically) instead of\n"
	      "                         printing it; every interval until stopped, or --once;\n"
	      "                         repeat for several files, each in the --format before it\n"
	      "      --events           print listener events (listen, close, owner, exposed,\n"
	      "                         unexposed, stuck, unstuck) as JSON lines until stopped\n"
	      "      --check            print unexpected exposed listeners; exit 1 if any, 0 if none\n"
	      "  -q, --quiet            with --check: print nothing, only set the exit status\n"
	      "      --expected         print the expected-service rules in force and where they came from\n"
	      "      --source=SOURCE    auto (default), sockdiag or procnet\n"
	      "  -C, --no-color         do not use colours (also when NO_COLOR is set)\n"
	      "      --readonly         never offer to kill anything\n"
	      "      --config=FILE      settings file (default $PORTTOP_CONFIG, then\n"
	      "                         $XDG_CONFIG_HOME/porttop/porttoprc)\n"
	      "  -h, --help             show this help and exit\n"
	      "  -V, --version          show the version and exit\n"
	      "\n"
	      "porttop kill signals the processes listening on ports: see 'porttop kill --help'.\n"
	      "When standard output is not a terminal, porttop prints one sample as a table.\n",
		fp);
}

void
cli_kill_usage(FILE *fp)
{
	fputs("Usage: porttop kill [OPTION]... [tcp/|udp/]PORT...\n"
	      "Show what listens on each PORT and signal the processes that own those listeners.\n"
	      "\n"
	      "  -s, --signal=SIG       the signal to send (default TERM): a name or a number\n"
	      "      --dry-run          only show what would be signalled\n"
	      "  -y, --yes              do not ask for confirmation (needed without a terminal)\n"
	      "      --timeout=S        send KILL to processes still alive S seconds later\n"
	      "  -h, --help             show this help and exit\n"
	      "\n"
	      "A PORT alone means TCP and UDP. Exit status: 0 when every port is free, 1 when\n"
	      "some port is still in use or a process could not be signalled, 2 on errors.\n",
		fp);
}

/* A whole decimal number in [lo, hi], or -1 with a message. */
static int
cli_number(const char *opt, const char *arg, long lo, long hi, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno != 0 || end == arg || *end != '\0' || v < lo || v > hi) {
		fprintf(stderr, "porttop: %s: '%s' is not a number from %ld to %ld\n", opt, arg, lo,
			hi);
		return -1;
	}
	*out = v;
	return 0;
}

/* An unknown option or a missing argument, said the getopt way. */
static void
cli_bad_option(int c, char **argv, const char *help)
{
	if (c == ':')
		fprintf(stderr, "porttop: option '%s' needs an argument\n", argv[optind - 1]);
	else if (optopt != 0)
		fprintf(stderr, "porttop: unknown option '-%c'\n", optopt);
	else
		fprintf(stderr, "porttop: unknown option '%s'\n", argv[optind - 1]);
	fprintf(stderr, "Try '%s' for more information.\n", help);
}

/* [tcp/|udp/]PORT; 0, or -1 with a message. */
static int
cli_port(const char *arg, struct cli_port *out)
{
	const char *p = arg;
	long v;

	out->protos = (1u << PT_PROTO_TCP) | (1u << PT_PROTO_UDP);
	if (strncmp(p, "tcp/", 4) == 0) {
		out->protos = 1u << PT_PROTO_TCP;
		p += 4;
	} else if (strncmp(p, "udp/", 4) == 0) {
		out->protos = 1u << PT_PROTO_UDP;
		p += 4;
	}
	if (*p < '0' || *p > '9' || cli_number("kill", p, 1, 65535, &v) != 0) {
		fprintf(stderr, "porttop: kill: '%s' is not a port: give [tcp/|udp/]1-65535\n",
			arg);
		return -1;
	}
	out->port = (uint16_t)v;
	return 0;
}

/* Seconds, perhaps with a fraction, from 0.001 to an hour, as milliseconds. */
static int
cli_seconds(const char *opt, const char *arg, int *ms)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno != 0 || end == arg || *end != '\0' || !isfinite(v) || v < 0.001 || v > 3600) {
		fprintf(stderr, "porttop: %s: '%s' is not a number of seconds from 0.001 to 3600\n",
			opt, arg);
		return -1;
	}
	*ms = (int)(v * 1000.0 + 0.5);
	return 0;
}

/* porttop kill ...: argv[0] is "kill". */
static int
cli_parse_kill(int argc, char **argv, struct cli_opts *opts)
{
	struct cli_kill *k = &opts->kill;
	int c, i;

	opts->mode = CLI_MODE_KILL;
	k->sig = SIGTERM;
	k->timeout_ms = -1;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hs:y", cli_kill_longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			opts->mode = CLI_MODE_HELP;
			opts->kill_help = true;
			return 0;
		case 's':
			if ((k->sig = killer_signal_parse(optarg)) < 0) {
				fprintf(stderr,
					"porttop: kill: '%s' is not a signal name or number\n",
					optarg);
				return -1;
			}
			break;
		case OPT_DRY_RUN:
			k->dry_run = true;
			break;
		case 'y':
			k->yes = true;
			break;
		case OPT_TIMEOUT:
			if (cli_seconds("--timeout", optarg, &k->timeout_ms) != 0)
				return -1;
			break;
		default:
			cli_bad_option(c, argv, "porttop kill --help");
			return -1;
		}
	}
	if (optind >= argc) {
		fputs("porttop: kill: which port? Try 'porttop kill --help'.\n", stderr);
		return -1;
	}
	if (k->timeout_ms >= 0 && k->sig == SIGKILL) {
		fputs("porttop: kill: --timeout escalates to KILL; the signal is KILL already\n",
			stderr);
		return -1;
	}
	k->ports = xreallocarray(NULL, (size_t)(argc - optind), sizeof *k->ports);
	for (i = optind; i < argc; i++)
		if (cli_port(argv[i], &k->ports[k->nports++]) != 0)
			return -1;
	return 0;
}

static int
cli_format(const char *arg, enum cli_format *out)
{
	size_t i;

	for (i = 0; i < sizeof cli_format_names / sizeof cli_format_names[0]; i++) {
		if (strcmp(arg, cli_format_names[i]) == 0) {
			*out = (enum cli_format)i;
			return 0;
		}
	}
	fprintf(stderr, "porttop: --format: '%s' is not table, json or prometheus\n", arg);
	return -1;
}

/* Which options go together; the message when they do not. */
static int
cli_check_combinations(struct cli_opts *opts, bool check, bool expected, bool events)
{
	const char *what = NULL;

	if (check + expected + events > 1)
		what = "--check, --expected and --events cannot be combined";
	else if (opts->quiet && !check)
		what = "--quiet goes with --check";
	else if (opts->noutputs > 0 && (check || expected || events))
		what = "--output goes with samples, not --check, --expected or --events";
	else if (check && opts->format == CLI_FORMAT_PROMETHEUS)
		what = "--check prints a table or JSON";
	else if (events && opts->format != CLI_FORMAT_JSON && opts->format_given)
		what = "--events prints JSON lines only";
	if (what != NULL) {
		fprintf(stderr, "porttop: %s\n", what);
		return -1;
	}
	return 0;
}

int
cli_parse(int argc, char **argv, struct cli_opts *opts)
{
	bool check = false, expected = false, events = false, last_given = false;
	enum cli_format last = CLI_FORMAT_TABLE;
	bool output_format_given[CLI_OUTPUTS_MAX];
	long v;
	size_t i;
	int c;

	memset(opts, 0, sizeof *opts);
	opts->mode = CLI_MODE_SCREEN;
	opts->delay_tenths = 10;
	opts->source = SAMPLER_SOURCE_AUTO;
	if (argc > 1 && strcmp(argv[1], "kill") == 0)
		return cli_parse_kill(argc - 1, argv + 1, opts);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hVn:d:Cqo:", cli_longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			opts->mode = CLI_MODE_HELP;
			return 0;
		case 'V':
			opts->mode = CLI_MODE_VERSION;
			return 0;
		case OPT_ONCE:
			opts->once = true;
			break;
		case OPT_JSON:
			last = opts->format = CLI_FORMAT_JSON;
			last_given = opts->format_given = true;
			break;
		case OPT_FORMAT:
			if (cli_format(optarg, &opts->format) != 0)
				return -1;
			last = opts->format;
			last_given = opts->format_given = true;
			break;
		case 'o':
			if (opts->noutputs == CLI_OUTPUTS_MAX) {
				fprintf(stderr, "porttop: at most %d --output files\n",
					CLI_OUTPUTS_MAX);
				return -1;
			}
			output_format_given[opts->noutputs] = last_given;
			opts->outputs[opts->noutputs].path = optarg;
			opts->outputs[opts->noutputs++].format = last;
			break;
		case OPT_EVENTS:
			events = true;
			break;
		case 'n':
			if (cli_number("-n", optarg, 1, INT_MAX, &v) != 0)
				return -1;
			opts->iterations = (int)v;
			break;
		case 'd':
			if (cli_number("-d", optarg, 1, 36000, &v) != 0)
				return -1;
			opts->delay_tenths = (int)v;
			opts->delay_set = true;
			break;
		case OPT_SOURCE:
			if (strcmp(optarg, "auto") == 0)
				opts->source = SAMPLER_SOURCE_AUTO;
			else if (strcmp(optarg, "sockdiag") == 0)
				opts->source = SAMPLER_SOURCE_SOCKDIAG;
			else if (strcmp(optarg, "procnet") == 0)
				opts->source = SAMPLER_SOURCE_PROCNET;
			else {
				fprintf(stderr,
					"porttop: --source: '%s' is not auto, sockdiag or procnet\n",
					optarg);
				return -1;
			}
			break;
		case 'C':
			opts->no_color = true;
			break;
		case OPT_READONLY:
			opts->readonly = true;
			break;
		case OPT_CHECK:
			check = true;
			break;
		case 'q':
			opts->quiet = true;
			break;
		case OPT_EXPECTED:
			expected = true;
			break;
		case OPT_CONFIG:
			opts->config = optarg;
			break;
		default:
			cli_bad_option(c, argv, "porttop --help");
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "porttop: unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	/* An --output with no --format before it takes the last one given. */
	for (i = 0; i < opts->noutputs; i++)
		if (!output_format_given[i])
			opts->outputs[i].format = opts->format;
	if (cli_check_combinations(opts, check, expected, events) != 0)
		return -1;
	if (check)
		opts->mode = CLI_MODE_CHECK;
	else if (expected)
		opts->mode = CLI_MODE_EXPECTED;
	else if (events)
		opts->mode = CLI_MODE_EVENTS;
	else if (opts->once || opts->format_given || opts->noutputs > 0)
		opts->mode = CLI_MODE_BATCH;
	if (opts->once)
		opts->iterations = 1;
	return 0;
}

void
cli_fini(struct cli_opts *opts)
{
	free(opts->kill.ports);
	opts->kill.ports = NULL;
	opts->kill.nports = 0;
}
