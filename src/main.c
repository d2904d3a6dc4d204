/* main.c — porttop: top for local ports. Parses the command line and runs a front end. */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

int
main(int argc, char **argv)
{
	struct cli_opts opts;

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
		fputs("porttop: this mode is not built yet\n", stderr);
		return 2;
	}
}
