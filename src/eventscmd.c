/* eventscmd.c — porttop --events: listener events as JSON lines until stopped. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "eventscmd.h"
#include "porttop/clock.h"
#include "porttop/events.h"
#include "porttop/sampler.h"
#include "porttop/snapshot.h"
#include "porttop/strbuf.h"
#include "stop.h"

/* Print events and flush: a reader of the stream sees each sample's events at once. */
static int
eventscmd_print(const struct pt_eventvec *ev, int64_t time_ms, struct strbuf *sb)
{
	size_t i;

	strbuf_reset(sb);
	for (i = 0; i < ev->len; i++)
		events_format(sb, &ev->v[i], time_ms);
	if (sb->len > 0)
		fwrite(sb->buf, 1, sb->len, stdout);
	return fflush(stdout) != 0 || ferror(stdout) ? -1 : 0;
}

int
eventscmd_run(struct sampler *s, const struct pt_rules *rules, int iterations, int delay_ms)
{
	struct pt_snapshot *prev = NULL, *cur;
	struct strbuf sb = STRBUF_INIT;
	struct pt_eventvec ev;
	int i, status = 0;

	eventvec_init(&ev);
	for (i = 0; iterations == 0 || i < iterations; i++) {
		if (i > 0 && stop_wait(delay_ms))
			break;
		cur = sampler_sample(s);
		if (cur->read_error != 0) {
			fprintf(stderr, "porttop: cannot read socket tables: %s\n",
				strerror(-cur->read_error));
			sampler_release(s, cur);
			status = 2;
			break;
		}
		ev.len = 0;
		events_diff(prev, cur, rules, &ev);
		/* Events borrow rows of both snapshots: print before letting prev go. */
		if (eventscmd_print(&ev, cur->time_ms, &sb) != 0)
			status = 2;
		if (prev != NULL)
			sampler_release(s, prev);
		prev = cur;
		if (status != 0)
			break;
	}
	if (prev != NULL) {
		if (status == 0) {
			ev.len = 0;
			events_flush(prev, &ev);
			if (eventscmd_print(&ev, clock_real_ms(), &sb) != 0)
				status = 2;
		}
		sampler_release(s, prev);
	}
	eventvec_fini(&ev);
	strbuf_fini(&sb);
	return status;
}
