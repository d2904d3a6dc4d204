/* cli.c — the command line: options parsed into one plain struct. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "porttop/sampler.h"

enum {
	OPT_ONCE = 256,
	OPT_JSON,
	OPT_SOURCE,
	OPT_READONLY,
	OPT_CHECK,
	OPT_EXPECTED,
	OPT_CONFIG,
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
	{ NULL, 0, NULL, 0 },
};

void
cli_usage(FILE *fp)
{
	fputs("Usage: porttop [OPTION]...\n"
	      "Show every listening TCP and bound UDP port, its owner, connections and exposure.\n"
	      "\n"
	      "  -d, --delay=TENTHS     time between samples in tenths of a second (default 10)\n"
	      "  -n, --iterations=N     quit after N samples\n"
	      "      --once             print one sample and exit (same as -n 1 in batch mode)\n"
	      "      --json             print samples as JSON (see doc/json.md)\n"
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
	      "When standard output is not a terminal, porttop prints one sample as a table.\n",
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

int
cli_parse(int argc, char **argv, struct cli_opts *opts)
{
	bool check = false, expected = false;
	long v;
	int c;

	memset(opts, 0, sizeof *opts);
	opts->mode = CLI_MODE_SCREEN;
	opts->delay_tenths = 10;
	opts->source = SAMPLER_SOURCE_AUTO;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hVn:d:Cq", cli_longopts, NULL)) != -1) {
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
			opts->format = CLI_FORMAT_JSON;
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
		case ':':
			fprintf(stderr, "porttop: option '%s' needs an argument\n", argv[optind - 1]);
			return -1;
		default:
			if (optopt != 0)
				fprintf(stderr, "porttop: unknown option '-%c'\n", optopt);
			else
				fprintf(stderr, "porttop: unknown option '%s'\n", argv[optind - 1]);
			fputs("Try 'porttop --help' for more information.\n", stderr);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "porttop: unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	if (check && expected) {
		fputs("porttop: --check and --expected cannot be combined\n", stderr);
		return -1;
	}
	if (opts->quiet && !check) {
		fputs("porttop: --quiet goes with --check\n", stderr);
		return -1;
	}
	if (check)
		opts->mode = CLI_MODE_CHECK;
	else if (expected)
		opts->mode = CLI_MODE_EXPECTED;
	else if (opts->once || opts->format == CLI_FORMAT_JSON)
		opts->mode = CLI_MODE_BATCH;
	if (opts->once)
		opts->iterations = 1;
	return 0;
}
