/**
 * err.h — the one error enum of partyline.
 *
 * Every function that can fail returns an int: PL_OK (0) or a negative PL_E* code.
 * Only src/api knows how these map onto HTTP statuses.
 */
#ifndef PL_ERR_H
#define PL_ERR_H

enum pl_err {
    PL_OK = 0,
    PL_ENOTFOUND = -1,  /**< the thing does not exist, or the caller may not know it does */
    PL_EFORBIDDEN = -2, /**< the caller is known but not allowed */
    PL_EINVAL = -3,     /**< the input is malformed or breaks a rule (422) */
    PL_EAUTH = -4,      /**< no or bad credentials (401) */
    PL_ECONFLICT = -5,  /**< already exists (e.g. username taken) */
    PL_ELIMIT = -6,     /**< a size or count limit was exceeded */
    PL_ERATE = -7,      /**< rate limited (429) */
    PL_EDB = -8,        /**< the database failed */
    PL_ENOMEM = -9,     /**< out of memory */
    PL_EBADREQ = -10,   /**< the request itself is malformed (400) */
    PL_EINTERNAL = -11, /**< a bug or an unexpected failure */
    PL_ESLOW = -12,     /**< the answer needs slow work this thread must not do (an event
                             loop): ask again on a worker */
    PL_ENOSPACE = -13,  /**< the disk (or the database) is full: nothing was written (507) */
};

/** A short English name for a status code, for logs. Never NULL. */
const char *pl_strerror(int status);

#endif
