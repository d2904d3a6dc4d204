/* fuzz_filter.c — the filter expression parser of the \ and / keys, and matching rows with it. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "porttop/columns.h"
#include "porttop/filter.h"
#include "porttop/model.h"
#include "porttop/snapshot.h"

/* A few rows with hostile owners for the filters to match against. */
static char fuzz_comm0[] = "nginx", fuzz_user0[] = "www-data",
            fuzz_cmd0[] = "nginx: master process /usr/sbin/nginx", fuzz_unit0[] = "nginx.service",
            fuzz_comm1[] = "\x1b]0;x\a", fuzz_cmd1[] = "\xff\xfe \xe2\x80\xae ev\x1bil";
static struct pt_proc fuzz_procs[] = {
	{ .pid = 812,
	        .uid = 33,
	        .comm = fuzz_comm0,
	        .user = fuzz_user0,
	        .cmdline = fuzz_cmd0,
	        .unit = fuzz_unit0 },
	{ .pid = 4242, .uid = 1000, .comm = fuzz_comm1, .cmdline = fuzz_cmd1 },
};
static struct pt_proc *fuzz_p0[] = { &fuzz_procs[0] };
static struct pt_proc *fuzz_p1[] = { &fuzz_procs[0], &fuzz_procs[1] };

static void
fuzz_rows(struct pt_listener rows[3])
{
	memset(rows, 0, 3 * sizeof *rows);
	rows[0].key.proto = PT_PROTO_TCP;
	rows[0].key.family = PT_FAMILY_IPV4;
	rows[0].key.port = 443;
	rows[0].procs = fuzz_p0;
	rows[0].nprocs = 1;
	rows[0].flags = PT_FLAG_EXPOSED;
	rows[1].key.proto = PT_PROTO_UDP;
	rows[1].key.family = PT_FAMILY_IPV6;
	rows[1].key.port = 53;
	rows[1].key.addr[15] = 1;
	rows[1].uid = 101;
	rows[2].key.proto = PT_PROTO_TCP;
	rows[2].key.family = PT_FAMILY_IPV4;
	rows[2].key.port = 45000;
	rows[2].key.addr[0] = 127;
	rows[2].key.addr[3] = 1;
	rows[2].procs = fuzz_p1;
	rows[2].nprocs = 2;
	rows[2].flags = PT_FLAG_EPHEMERAL | PT_FLAG_STUCK | PT_FLAG_GONE;
}

/*
 * The input, cut at its first NUL, is the expression. Properties: a filter comes back, or
 * NULL with EINVAL and a reason; never both a filter and a reason; the filter keeps the text
 * as given, is empty exactly when the text holds no term, parses again from its own text, and
 * matches rows (with hostile owners) without harm, the same way twice.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pt_listener rows[3];
	struct col_ctx ctx = { 0 };
	struct filter *f, *g;
	char *expr, *cause = NULL, *cause2 = NULL;
	size_t i, blanks = 0;

	expr = malloc(size + 1);
	FUZZ_ASSERT(expr != NULL);
	memcpy(expr, data, size);
	expr[size] = '\0';
	errno = 0;
	f = filter_new(expr, &cause);
	if (f == NULL) {
		FUZZ_ASSERT(errno == EINVAL && cause != NULL && *cause != '\0');
		free(cause);
		free(expr);
		return 0;
	}
	FUZZ_ASSERT(cause == NULL);
	FUZZ_ASSERT(strcmp(filter_text(f), expr) == 0);
	while (expr[blanks] == ' ' || expr[blanks] == '\t')
		blanks++;
	FUZZ_ASSERT(filter_empty(f) == (expr[blanks] == '\0'));
	g = filter_new(filter_text(f), &cause2);
	FUZZ_ASSERT(g != NULL && cause2 == NULL);
	fuzz_rows(rows);
	for (i = 0; i < 3; i++) {
		bool m = filter_match(f, &rows[i], &ctx);

		FUZZ_ASSERT(filter_match(g, &rows[i], &ctx) == m);
		if (filter_empty(f))
			FUZZ_ASSERT(m);
	}
	filter_free(g);
	filter_free(f);
	free(expr);
	return 0;
}
