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
#include "porttop/rules.h"
#include "porttop/sampler.h"
#include "porttop/strbuf.h"
#include "porttop/ui.h"

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

int
main(int argc, char **argv)
{
	struct sampler_config scfg;
	struct batch_opts bopts;
	struct cli_opts opts;
	struct pt_rules *rules;
	struct sampler *s;
	char *cause = NULL;
	int status;

	setlocale(LC_CTYPE, "");
	if (cli_parse(argc, argv, &opts) != 0)
		return 2;
	switch (opts.mode) {
	case CLI_MODE_HELP:
		cli_usage(stdout);
		return 0;
	case CLI_MODE_VERSION:
		printf("porttop %s\n", PACKAGE_VERSION);
		return 0;
	default:
		break;
	}

	if ((rules = main_load_rules()) == NULL)
		return 2;
	if (opts.mode == CLI_MODE_EXPECTED) {
		status = main_print_rules(rules);
		rules_free(rules);
		return status;
	}

	sampler_config_default(&scfg);
	scfg.interval_ms = opts.delay_tenths * 100;
	scfg.source = opts.source;
	if ((s = sampler_new(&scfg, &cause)) == NULL) {
		fprintf(stderr, "porttop: %s\n", cause);
		free(cause);
		rules_free(rules);
		return 2;
	}
	sampler_set_rules(s, rules);

	if (opts.mode == CLI_MODE_SCREEN && !isatty(STDOUT_FILENO))
		opts.mode = CLI_MODE_BATCH;
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
	default:
		memset(&bopts, 0, sizeof bopts);
		bopts.format = opts.format == CLI_FORMAT_JSON ? BATCH_FORMAT_JSON
							      : BATCH_FORMAT_TABLE;
		bopts.iterations = opts.iterations > 0 ? opts.iterations : 1;
		bopts.delay_ms = opts.delay_tenths * 100;
		bopts.check = opts.mode == CLI_MODE_CHECK;
		bopts.quiet = opts.quiet;
		status = batch_run(s, &bopts);
		break;
	}
	sampler_free(s);
	return status;
}
