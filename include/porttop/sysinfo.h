/* sysinfo.h — the kernel's port settings: ephemeral range and reserved ports. */
#ifndef PORTTOP_SYSINFO_H
#define PORTTOP_SYSINFO_H

#include "porttop/ports.h"

/*
 * Read net.ipv4.ip_local_port_range and ip_local_reserved_ports under proc_root ("/proc").
 * When a file is missing or unreadable the kernel default 32768-60999 and an empty set are
 * used and -errno is returned; 0 on success.
 */
int sysinfo_read_ports(const char *proc_root, struct pt_port_range *range,
	struct pt_port_set *reserved);

#endif
