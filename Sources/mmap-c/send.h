#ifndef MMAP_C_SEND_H
#define MMAP_C_SEND_H

#include "reader.h"
#include "workloads.h"

/*
 * send: the whole file through a loopback TCP connection to a second thread, which reads
 * it into a 1 MiB buffer until end of stream and adds its little-endian u64 words. The
 * mmap reader send(2)s from the mapping, 1 MiB per call; pread is a read(2)/write(2) loop
 * with a 128 KiB buffer, as cat(1) does; with `sendfile`, the kernel moves the file from its
 * descriptor. Timed from just before the first byte is written to the receiver's end of
 * stream; setting up the connection and the thread is not.
 */
struct result run_send(struct reader *reader, int uses_sendfile);

#endif
