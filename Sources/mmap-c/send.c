#define _GNU_SOURCE
#include "send.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <time.h>

#include "fail.h"

enum {
  RECEIVE_SIZE = 1 << 20, /* the receiver's buffer */
  SEND_PIECE = 1 << 20,   /* the most one send(2) from the mapping asks for */
  COPY_SIZE = 128 << 10,  /* the read/write loop's buffer */
};

static uint64_t clock_ns(void) {
  struct timespec time;
  clock_gettime(CLOCK_MONOTONIC, &time);
  return (uint64_t)time.tv_sec * 1000000000u + (uint64_t)time.tv_nsec;
}

struct receiver {
  int fd;
  uint64_t sum, count, end;
};

/* Sums the stream's words; a read that stops inside a word leaves its bytes at the front of
 * the buffer for the next read to complete. */
static void *receive_stream(void *argument) {
  struct receiver *receiver = argument;
  unsigned char *buffer = malloc(RECEIVE_SIZE);
  if (buffer == NULL) fail_run("out of memory for the receiver");
  size_t partial = 0;
  for (;;) {
    ssize_t got = read(receiver->fd, buffer + partial, RECEIVE_SIZE - partial);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) fail_errno("read", "the receiving socket");
    if (got == 0) break;
    receiver->count += (uint64_t)got;
    size_t filled = partial + (size_t)got, whole = filled & ~(size_t)7;
    for (size_t i = 0; i < whole; i += 8) {
      uint64_t word;
      memcpy(&word, buffer + i, 8); /* little-endian on every platform this runs on */
      receiver->sum += word;
    }
    partial = filled - whole;
    memmove(buffer, buffer + whole, partial);
  }
  receiver->end = clock_ns();
  free(buffer);
  return NULL;
}

/* Connects a socket to a listener on 127.0.0.1 port 0 (the kernel picks a free one). */
static void connect_loopback(int *sending, int *receiving) {
  struct sockaddr_in address = {.sin_family = AF_INET};
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  int listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listener < 0) fail_errno("socket", "127.0.0.1");
  if (bind(listener, (struct sockaddr *)&address, length) != 0) fail_errno("bind", "127.0.0.1");
  if (listen(listener, 1) != 0) fail_errno("listen", "127.0.0.1");
  if (getsockname(listener, (struct sockaddr *)&address, &length) != 0) {
    fail_errno("getsockname", "127.0.0.1");
  }
  *sending = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (*sending < 0) fail_errno("socket", "127.0.0.1");
  if (connect(*sending, (struct sockaddr *)&address, length) != 0) {
    fail_errno("connect", "127.0.0.1");
  }
  *receiving = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
  if (*receiving < 0) fail_errno("accept", "127.0.0.1");
  close(listener);
}

static void send_mapping(const struct reader *reader, int to) {
  uint64_t offset = 0;
  while (offset < reader->count) {
    uint64_t left = reader->count - offset;
    ssize_t sent = send(to, reader->map + offset, left < SEND_PIECE ? left : SEND_PIECE,
                        MSG_NOSIGNAL);
    if (sent < 0 && errno == EINTR) continue;
    if (sent < 0) fail_errno("send", reader->path);
    offset += (uint64_t)sent;
  }
}

static void copy_through_buffer(const struct reader *reader, int to) {
  unsigned char *buffer = malloc(COPY_SIZE);
  if (buffer == NULL) fail_run("out of memory for a %d byte buffer", COPY_SIZE);
  uint64_t offset = 0;
  while (offset < reader->count) {
    ssize_t got = pread(reader->fd, buffer, COPY_SIZE, (off_t)offset);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) reader_read_failed(reader, got);
    for (ssize_t done = 0; done < got;) {
      ssize_t put = write(to, buffer + done, (size_t)(got - done));
      if (put < 0 && errno == EINTR) continue;
      if (put < 0) fail_errno("write", "the sending socket");
      done += put;
    }
    offset += (uint64_t)got;
  }
  free(buffer);
}

static void send_with_sendfile(const struct reader *reader, int to) {
  off_t offset = 0;
  while ((uint64_t)offset < reader->count) {
    ssize_t sent = sendfile(to, reader->fd, &offset, (size_t)(reader->count - (uint64_t)offset));
    if (sent < 0 && errno == EINTR) continue;
    if (sent < 0) fail_errno("sendfile", reader->path);
    if (sent == 0) fail_run("%s: the file ended early (did it shrink?)", reader->path);
  }
}

struct result run_send(struct reader *reader, int uses_sendfile) {
  if (reader->count % 8 != 0) {
    fail_run("%s: send needs a length that is a multiple of 8", reader->path);
  }
  int sending, receiving;
  connect_loopback(&sending, &receiving);
  struct receiver receiver = {.fd = receiving};
  pthread_t thread;
  if (pthread_create(&thread, NULL, receive_stream, &receiver) != 0) {
    fail_run("cannot start the receiving thread");
  }
  uint64_t start = clock_ns();
  if (uses_sendfile) {
    send_with_sendfile(reader, sending);
  } else if (reader->kind == READER_MMAP) {
    send_mapping(reader, sending);
  } else {
    copy_through_buffer(reader, sending);
  }
  if (shutdown(sending, SHUT_WR) != 0) fail_errno("shutdown", "the sending socket");
  pthread_join(thread, NULL);
  close(sending);
  close(receiving);
  if (receiver.count != reader->count) {
    fail_run("send: the receiver got %llu bytes, the file has %llu",
             (unsigned long long)receiver.count, (unsigned long long)reader->count);
  }
  return (struct result){.ops = 1, .bytes = reader->count, .nanoseconds = receiver.end - start,
                         .checksum = receiver.sum};
}
