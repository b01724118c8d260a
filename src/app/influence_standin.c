/*
 * influence_standin.c — TEMPORARY: the method's constant tables that app/influence.h declares
 * and the computation (app/influence.c, the merger's) defines, with docs/influence.md's values,
 * so the branch builds before it lands. Deleted when main's app/influence.c is merged in.
 */
#include "app/influence.h"

const char *const influence_signal_names[SIG_TYPES] = {"reply",   "boost",  "favourite",
                                                       "mention", "follow", "pin"};
const double influence_type_weight[SIG_TYPES] = {3, 2, 1, 2, 3, 4};
const double influence_allowance[SIG_TYPES] = {60, 20, 60, 30, 30, 0};
