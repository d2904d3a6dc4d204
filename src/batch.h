/* batch.h — the front end for scripts: samples printed as a table or JSON, and --check. */
#ifndef PORTTOP_BATCH_H
#define PORTTOP_BATCH_H

#include <stdbool.h>
#include <stdio.h>

struct sampler;
struct pt_snapshot;

enum batch_format {
	BATCH_FORMAT_TABLE,
	BATCH_FORMAT_JSON
};

struct batch_opts {
	enum batch_format format;
	int iterations; /* samples to print; at least 1 */
	int delay_ms;   /* between samples */
	bool check;     /* only unexpected exposed listeners; exit 1 when there are some */
	bool quiet;     /* with check: print nothing */
};

/*
 * Take samples synchronously (no sampler thread) and print them to stdout. Returns the
 * process exit status: 0, 1 for --check with unexpected exposure, 2 on error.
 */
int batch_run(struct sampler *s, const struct batch_opts *opts);

/* Print one snapshot as a table or one JSON object (one line); only exposed rows if check. */
void batch_print_table(FILE *fp, const struct pt_snapshot *snap, bool check);
void batch_print_json(FILE *fp, const struct pt_snapshot *snap, bool check);

#endif
