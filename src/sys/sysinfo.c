/* sysinfo.c — the kernel's port settings: ephemeral range and reserved ports. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>

#include "porttop/fileio.h"
#include "porttop/ports.h"
#include "porttop/strbuf.h"
#include "porttop/sysinfo.h"

/* The kernel's defaults (net/ipv4/af_inet.c), used when the sysctls cannot be read. */
#define SYSINFO_DEFAULT_LO 32768
#define SYSINFO_DEFAULT_HI 60999

/* A reserved list names at most 65536 ports; even written out one by one that is < 400 KiB. */
#define SYSINFO_RESERVED_MAX (1024u * 1024)

static int
sysinfo_path(char *buf, size_t size, const char *proc_root, const char *name)
{
	int n = snprintf(buf, size, "%s/sys/net/ipv4/%s", proc_root, name);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

static int
sysinfo_read_range(const char *proc_root, struct pt_port_range *range)
{
	char path[4096], text[64];
	ssize_t n;
	int err;

	if ((err = sysinfo_path(path, sizeof path, proc_root, "ip_local_port_range")) != 0)
		return err;
	if ((n = fileio_read_small(AT_FDCWD, path, text, sizeof text)) < 0)
		return (int)n;
	return ports_parse_range(text, range);
}

static int
sysinfo_read_reserved(const char *proc_root, struct pt_port_set *reserved)
{
	struct strbuf sb = STRBUF_INIT;
	char path[4096];
	int err;

	if ((err = sysinfo_path(path, sizeof path, proc_root, "ip_local_reserved_ports")) != 0)
		goto out;
	if ((err = fileio_read_all(path, SYSINFO_RESERVED_MAX, &sb)) != 0)
		goto out;
	err = ports_parse_set(strbuf_str(&sb), reserved);
out:
	strbuf_fini(&sb);
	return err;
}

/* Each file is read on its own: a bad reserved list does not cost the range, nor the reverse. */
int
sysinfo_read_ports(const char *proc_root, struct pt_port_range *range, struct pt_port_set *reserved)
{
	int err, err2;

	if ((err = sysinfo_read_range(proc_root, range)) != 0) {
		range->lo = SYSINFO_DEFAULT_LO;
		range->hi = SYSINFO_DEFAULT_HI;
	}
	if ((err2 = sysinfo_read_reserved(proc_root, reserved)) != 0)
		ports_set_clear(reserved);
	return err != 0 ? err : err2;
}
