/* main.c — porttop: top for local ports. Parses the command line and runs a front end. */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch.h"
#include "cli.h"
#include "eventscmd.h"
#include "killcmd.h"
#include "porttop/rules.h"
#include "porttop/sampler.h"
#include "porttop/strbuf.h"
#include "porttop/ui.h"
#include "stop.h"

/* The system-wide expected-service rules; PORTTOP_SYSTEM_RULES overrides it (for tests). */
#define MAIN_SYSTEM_RULES "/etc/porttop/expected.conf"

/* The user's rules file: next to the settings file, as the settings file is found. */
static void
main_user_rules_path(struct strbuf *sb)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

	if (xdg != NULL && *xdg == '/')
		strbuf_printf(sb, "%s/porttop/expected", xdg);
	else if (home != NULL && *home != '\0')
		strbuf_printf(sb, "%s/.config/porttop/expected", home);
}

/*
 * Load the system rules and the user's. Bad lines are reported on stderr (the rest still
 * applies); an unreadable file is an error. Returns the rules, or NULL after a message.
 */
static struct pt_rules *
main_load_rules(void)
{
	struct pt_rules *rules = rules_new();
	struct strbuf path = STRBUF_INIT, errors = STRBUF_INIT;
	const char *sys = getenv("PORTTOP_SYSTEM_RULES");
	int err = 0;

	if (sys == NULL || *sys == '\0')
		sys = MAIN_SYSTEM_RULES;
	if (rules_load_file(rules, sys, &errors) < 0)
		err = -1;
	main_user_rules_path(&path);
	if (path.len > 0 && rules_load_file(rules, path.buf, &errors) < 0)
		err = -1;
	if (errors.len > 0)
		fprintf(stderr, "%s", errors.buf);
	strbuf_fini(&path);
	strbuf_fini(&errors);
	if (err != 0) {
		rules_free(rules);
		return NULL;
	}
	return rules;
}

static int
main_print_rules(const struct pt_rules *rules)
{
	size_t i, n = rules_count(rules);

	if (n == 0) {
		printf("no expected-service rules: every reachable listener is EXPOSED\n");
		return 0;
	}
	for (i = 0; i < n; i++)
		printf("%-40s  # %s\n", rules_text(rules, i), rules_origin(rules, i));
	return 0;
}

/* The batch formats of the command line's, in enum cli_format order. */
static const enum batch_format main_formats[] = {
	[CLI_FORMAT_TABLE] = BATCH_FORMAT_TABLE,
	[CLI_FORMAT_JSON] = BATCH_FORMAT_JSON,
	[CLI_FORMAT_PROMETHEUS] = BATCH_FORMAT_PROMETHEUS,
};

/* --once, -n, --check, --format and --output: samples for scripts. */
static int
main_batch(struct sampler *s, const struct cli_opts *opts)
{
	struct batch_output outputs[CLI_OUTPUTS_MAX];
	struct batch_opts bopts;
	size_t i;

	memset(&bopts, 0, sizeof bopts);
	for (i = 0; i < opts->noutputs; i++) {
		outputs[i].path = opts->outputs[i].path;
		outputs[i].format = main_formats[opts->outputs[i].format];
	}
	bopts.outputs = outputs;
	bopts.noutputs = opts->noutputs;
	bopts.format = main_formats[opts->format];
	/* Files are rewritten every interval until stopped; stdout gets one sample. */
	if (opts->iterations > 0)
		bopts.iterations = opts->iterations;
	else
		bopts.iterations = opts->noutputs > 0 ? 0 : 1;
	bopts.delay_ms = opts->delay_tenths * 100;
	bopts.check = opts->mode == CLI_MODE_CHECK;
	bopts.quiet = opts->quiet;
	return batch_run(s, &bopts);
}

int
main(int argc, char **argv)
{
	struct sampler_config scfg;
	struct cli_opts opts;
	struct pt_rules *rules = NULL;
	struct sampler *s;
	char *cause = NULL;
	int status;

	setlocale(LC_CTYPE, "");
	if (cli_parse(argc, argv, &opts) != 0) {
		cli_fini(&opts);
		return 2;
	}
	switch (opts.mode) {
	case CLI_MODE_HELP:
		if (opts.kill_help)
			cli_kill_usage(stdout);
		else
			cli_usage(stdout);
		cli_fini(&opts);
		return 0;
	case CLI_MODE_VERSION:
		printf("porttop %s\n", PACKAGE_VERSION);
		cli_fini(&opts);
		return 0;
	default:
		break;
	}

	/* kill frees ports whatever the rules say: a bad rules file must not stand in its way. */
	if (opts.mode != CLI_MODE_KILL && (rules = main_load_rules()) == NULL) {
		cli_fini(&opts);
		return 2;
	}
	if (opts.mode == CLI_MODE_EXPECTED) {
		status = main_print_rules(rules);
		rules_free(rules);
		cli_fini(&opts);
		return status;
	}

	sampler_config_default(&scfg);
	scfg.interval_ms = opts.delay_tenths * 100;
	scfg.source = opts.source;
	if ((s = sampler_new(&scfg, &cause)) == NULL) {
		fprintf(stderr, "porttop: %s\n", cause);
		free(cause);
		rules_free(rules);
		cli_fini(&opts);
		return 2;
	}
	/* The sampler owns the rules now; they stay valid, for events_diff, until sampler_free. */
	if (rules != NULL)
		sampler_set_rules(s, rules);

	if (opts.mode == CLI_MODE_SCREEN && !isatty(STDOUT_FILENO))
		opts.mode = CLI_MODE_BATCH;
	/* Loops that run until stopped finish their sample and output on SIGINT/SIGTERM/SIGHUP. */
	if (opts.mode == CLI_MODE_BATCH || opts.mode == CLI_MODE_CHECK ||
		opts.mode == CLI_MODE_EVENTS)
		(void)stop_init();
	switch (opts.mode) {
	case CLI_MODE_SCREEN: {
		struct ui_config ucfg = {
			.proc_root = "/proc",
			.config_path = opts.config,
			.delay_tenths = opts.delay_set ? opts.delay_tenths : 0,
			.iterations = opts.iterations,
			.no_color = opts.no_color,
			.readonly = opts.readonly,
		};

		status = ui_run(s, &ucfg);
		break;
	}
	case CLI_MODE_KILL:
		status = killcmd_run(s, &opts.kill);
		break;
	case CLI_MODE_EVENTS:
		status = eventscmd_run(s, rules, opts.iterations, opts.delay_tenths * 100);
		break;
	default:
		status = main_batch(s, &opts);
		break;
	}
	sampler_free(s);
	cli_fini(&opts);
	return status;
}
