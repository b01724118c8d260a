/**
 * server.h — the HTTP server: event loops, the writer thread, worker threads.
 *
 * server_run() opens the database, starts one event loop per thread (each with its own
 * listening socket, SO_REUSEPORT, and a read-only database connection), one writer thread
 * that owns the write connection and group-commits write jobs, and a few workers for slow
 * work. It returns when SIGTERM or SIGINT arrives and everything in flight is answered.
 */
#ifndef PL_SERVER_H
#define PL_SERVER_H

#include "config.h"
#include "util/ids.h"

/** Runs until SIGTERM/SIGINT. Returns 0 on a clean shutdown, 1 on a start-up failure. */
int server_run(const pl_config *cfg, id_gen *ids);

#endif
