/* fuzz_fdlink.c — the fd-link ("socket:[N]") and /proc/PID/stat start-time parsers. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fuzz.h"
#include "porttop/procfd.h"

/*
 * Both parsers get the whole input. Properties: each returns 0 or -EINVAL and leaves its
 * output alone on -EINVAL; a link accepted as a socket is exactly the kernel's canonical
 * "socket:[N]" with 0 < N <= UINT32_MAX (a link that lies cannot alias another inode); a start
 * time is only accepted from text with a '(' before the last ')'.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	uint32_t inode = 0xdeadbeef;
	uint64_t start = 0xfeedfacecafef00dull;
	char canon[32];
	const char *open, *close;
	int r, n;

	r = procfd_parse_link(text, size, &inode);
	FUZZ_ASSERT(r == 0 || r == -EINVAL);
	if (r == 0) {
		FUZZ_ASSERT(inode != 0);
		n = snprintf(canon, sizeof canon, "socket:[%u]", (unsigned)inode);
		FUZZ_ASSERT(n > 0 && (size_t)n == size && memcmp(canon, text, size) == 0);
	} else
		FUZZ_ASSERT(inode == 0xdeadbeef);

	r = procfd_parse_stat_start(text, size, &start);
	FUZZ_ASSERT(r == 0 || r == -EINVAL);
	if (r == 0) {
		open = memchr(text, '(', size);
		close = memrchr(text, ')', size);
		FUZZ_ASSERT(open != NULL && close != NULL && open < close);
	} else
		FUZZ_ASSERT(start == 0xfeedfacecafef00dull);
	return 0;
}
