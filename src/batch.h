/* batch.h — the front end for scripts: samples as a table, JSON or Prometheus text, and --check. */
#ifndef PORTTOP_BATCH_H
#define PORTTOP_BATCH_H

#include <stdbool.h>
#include <stddef.h>

struct sampler;
struct strbuf;
struct pt_snapshot;

enum batch_format {
	BATCH_FORMAT_TABLE,
	BATCH_FORMAT_JSON,
	BATCH_FORMAT_PROMETHEUS
};

/* A file each sample replaces atomically (what node_exporter's textfile collector wants). */
struct batch_output {
	const char *path; /* borrowed */
	enum batch_format format;
};

struct batch_opts {
	enum batch_format format;           /* standard output's, when there are no outputs */
	const struct batch_output *outputs; /* borrowed; with noutputs > 0 nothing goes to stdout */
	size_t noutputs;
	int iterations; /* samples to take; 0: until SIGINT/SIGTERM/SIGHUP (stop.h) */
	int delay_ms;   /* between samples */
	bool check;     /* only unexpected exposed listeners; exit 1 when there are some */
	bool quiet;     /* with check: print nothing */
};

/*
 * Take samples synchronously (no sampler thread) and print or write them. Returns the process
 * exit status: 0; 1 for --check with unexpected exposure; 2 when the socket tables cannot be
 * read, standard output fails, or an output file could not be written (the loop goes on
 * after a failed write: the old file stays in place). Main thread.
 */
int batch_run(struct sampler *s, const struct batch_opts *opts);

/*
 * Append snap to out in format: a table (column titles, one line per row, then the status as
 * a "# " line), one JSON object on one line, or Prometheus text (metrics_format). With check,
 * only EXPOSED rows (table and JSON). Every string from another process is escaped.
 */
void batch_render(struct strbuf *out, const struct pt_snapshot *snap, enum batch_format format,
	bool check);

#endif
