/* clock.h — the clocks porttop measures with. */
#ifndef PORTTOP_CLOCK_H
#define PORTTOP_CLOCK_H

#include <stdint.h>

/* Milliseconds on CLOCK_MONOTONIC: for intervals, ages and timeouts. */
int64_t clock_mono_ms(void);
/* Microseconds on CLOCK_MONOTONIC. */
int64_t clock_mono_us(void);
/* Milliseconds since the epoch on CLOCK_REALTIME: for times shown to people. */
int64_t clock_real_ms(void);
/* CPU time the calling thread has used, in microseconds. */
int64_t clock_thread_cpu_us(void);

#endif
