/*
 * err.c — names for the status codes in err.h, for logs and tests.
 */
#include "err.h"

const char *pl_strerror(int status)
{
    switch (status) {
    case PL_OK: return "ok";
    case PL_ENOTFOUND: return "not found";
    case PL_EFORBIDDEN: return "forbidden";
    case PL_EINVAL: return "invalid";
    case PL_EAUTH: return "unauthorized";
    case PL_ECONFLICT: return "conflict";
    case PL_ELIMIT: return "limit exceeded";
    case PL_ERATE: return "rate limited";
    case PL_EDB: return "database error";
    case PL_ENOMEM: return "out of memory";
    case PL_EBADREQ: return "bad request";
    case PL_EINTERNAL: return "internal error";
    case PL_ESLOW: return "needs a worker";
    case PL_ENOSPACE: return "no space left";
    }
    return "unknown error";
}
