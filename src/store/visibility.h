/**
 * visibility.h — the store's audience rules as SQL: one named predicate per rule.
 *
 * The store narrows what it reads by visibility before app/audience.c decides about each post
 * (a query that would otherwise read every post of a timeline asks only for the visibilities
 * that can belong there). Those narrowings were once bare numbers in a dozen SQL texts, and
 * when `company` arrived the follow backfill, written as `IN (0, 1, 2)`, silently left it out.
 * So every SQL text names its rule here, and each rule is spelled from the PL_VIS_* numbers
 * that also define enum pl_visibility (store/model.h): the two cannot drift apart, and a new
 * visibility fails the assertion below until someone decides which rules it joins.
 *
 * Each macro is a string literal that starts with the column's name, so a table alias goes
 * in front: `"WHERE " VIS_SQL_PUBLIC`, `"AND s." VIS_SQL_PUBLIC`. None has parameters to bind.
 *
 * A ticket's audiences (PL_VIS_TICKET: its requester and the service team; PL_VIS_INTERNAL: the
 * service team's work notes) join none of the rules: such a post is in no feed anybody
 * subscribes to, found by no open search, counted in no trend, and given to no follower; it is
 * read only where app/audience.c is asked about it (its thread, notifications, the feeds of
 * those it was delivered to).
 */
#ifndef PL_STORE_VISIBILITY_H
#define PL_STORE_VISIBILITY_H

#include "store/model.h"

#define VIS_SQL_NUM_(n) #n
#define VIS_SQL_NUM(n) VIS_SQL_NUM_(n)

/* A new visibility must be placed in (or deliberately kept out of) every rule below. */
_Static_assert(PL_VIS_LAST == 7, "a new visibility: decide which rules of store/visibility.h "
                                 "take it, then update this count");
_Static_assert(VIS_PUBLIC == PL_VIS_PUBLIC && VIS_UNLISTED == PL_VIS_UNLISTED &&
                   VIS_PRIVATE == PL_VIS_PRIVATE && VIS_DIRECT == PL_VIS_DIRECT &&
                   VIS_COMPANY == PL_VIS_COMPANY && VIS_LIST == PL_VIS_LIST &&
                   VIS_TICKET == PL_VIS_TICKET && VIS_INTERNAL == PL_VIS_INTERNAL,
               "enum pl_visibility and the PL_VIS_* numbers must agree");

/** Public only: the company-wide timeline and hashtag timelines. Spelled `= 0` because the
 *  partial index statuses_public (migration 001) is written that way and SQLite uses a partial
 *  index only when the query's terms match its own. */
#define VIS_SQL_PUBLIC "visibility = " VIS_SQL_NUM(PL_VIS_PUBLIC)

/** Public or unlisted: open to anyone who may read at all. Whether a hashtag exists and its
 *  history (tag pages, search) count these only: a tag used only in followers-only, company or
 *  addressed posts says something about them and stays hidden. */
#define VIS_SQL_OPEN                                                                               \
    "visibility IN (" VIS_SQL_NUM(PL_VIS_PUBLIC) ", " VIS_SQL_NUM(PL_VIS_UNLISTED) ")"

/** Seen by every signed-in member and addressed to no one: public, unlisted, company. What
 *  trending hashtags count. */
#define VIS_SQL_ANY_MEMBER                                                                         \
    "visibility IN (" VIS_SQL_NUM(PL_VIS_PUBLIC) ", " VIS_SQL_NUM(                                 \
        PL_VIS_UNLISTED) ", " VIS_SQL_NUM(PL_VIS_COMPANY) ")"

/** Seen by every signed-in member and meant to be found: public and company (unlisted opts
 *  out of discovery). What trending posts are picked from. */
#define VIS_SQL_DISCOVERABLE                                                                       \
    "visibility IN (" VIS_SQL_NUM(PL_VIS_PUBLIC) ", " VIS_SQL_NUM(PL_VIS_COMPANY) ")"

/** What a post's fan-out writes into its author's followers' home feeds (app/posts.c deliver:
 *  everything but list and direct posts, which go to their own people): public, unlisted,
 *  followers-only and company. The follow backfill gives a new follower these. */
#define VIS_SQL_TO_FOLLOWERS                                                                       \
    "visibility IN (" VIS_SQL_NUM(PL_VIS_PUBLIC) ", " VIS_SQL_NUM(                                 \
        PL_VIS_UNLISTED) ", " VIS_SQL_NUM(PL_VIS_PRIVATE) ", " VIS_SQL_NUM(PL_VIS_COMPANY) ")"

/** Everything but direct messages and a ticket's thread (ticket and internal): what influence
 *  counts a mention in (a direct message is private correspondence; a ticket's thread is its
 *  requester's and the service team's, and a work note must show in nobody's breakdown). */
#define VIS_SQL_NOT_DIRECT_NOR_TICKET                                                              \
    "visibility NOT IN (" VIS_SQL_NUM(PL_VIS_DIRECT) ", " VIS_SQL_NUM(                             \
        PL_VIS_TICKET) ", " VIS_SQL_NUM(PL_VIS_INTERNAL) ")"

#endif
