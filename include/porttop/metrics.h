/* metrics.h — a snapshot as Prometheus text, as node_exporter's textfile collector reads it. */
#ifndef PORTTOP_METRICS_H
#define PORTTOP_METRICS_H

#include <stddef.h>
#include <stdint.h>

struct strbuf;
struct pt_snapshot;

/*
 * Append snap to out in the Prometheus text exposition format (version 0.0.4), which
 * promtool, Prometheus and node_exporter's textfile collector read. Every metric is named
 * porttop_..., has one "# HELP" and one "# TYPE" line, and its samples follow together.
 * No sample has a timestamp: the textfile collector refuses them; porttop_sample_timestamp_seconds
 * says when the sample was taken.
 *
 * Per listener (every row, GONE ones included, as in the JSON), labelled with its identity
 * proto, address and port: porttop_listener_info (1, with scope, dual_stack, process, user and
 * unit labels), porttop_listener_connections by state, porttop_listener_accept_queue and
 * porttop_listener_accept_backlog (TCP; the backlog only when known), porttop_listener_sockets,
 * and one 0/1 series per flag (porttop_listener_exposed, _ephemeral, _stuck, _new, _gone).
 * Then the totals, the ephemeral range and the sample's own cost in seconds.
 *
 * Text that came from other processes (command names, user names, units) goes through
 * metrics_label_value, so a label value never holds a control byte or invalid UTF-8.
 * Pure: no I/O. Any thread.
 */
void metrics_format(struct strbuf *out, const struct pt_snapshot *snap);

/*
 * Append s (len bytes, may contain NULs) as the inside of a quoted label value: first made
 * printable and valid UTF-8 by escape_text (a control byte becomes "\e", "\x01", ...), then
 * backslash, double quote and newline escaped as the exposition format requires. A parser
 * reading the result gets back the escape_text form of s. Any thread.
 */
void metrics_label_value(struct strbuf *out, const char *s, size_t len);

/*
 * The connection states reported per listener, in order (enum pt_state values): every TCP
 * state a connection can be in. The JSON output reports the same list, so the two agree.
 */
extern const uint8_t metrics_conn_states[];
extern const size_t metrics_nconn_states;

#endif
