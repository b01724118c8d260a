/*
 * demo.c — `partyline demo`: a small, lively company for a first look (about 50 people in
 * a few teams, follows inside and across teams, a channel per team, an interest channel and a
 * private leadership channel, posts with mentions and hashtags, replies, likes and boosts). Runs
 * once: a database that already has people is left alone. Everything goes through the app layer, so
 * the demo is made exactly as users would make it.
 */
#include <stdio.h>
#include <string.h>

#include "app/accounts.h"
#include "app/auth.h"
#include "app/channels.h"
#include "app/engage.h"
#include "app/feeds.h"
#include "app/graph.h"
#include "app/posts.h"
#include "cli/cli.h"
#include "store/channels.h"

static const char *const first[] = {
    "Amara",  "Bruno",  "Chen",  "Dana",   "Elif",  "Farid", "Greta", "Hiro", "Ines",  "Jonas",
    "Kwame",  "Lena",   "Mateo", "Nadia",  "Oskar", "Priya", "Quinn", "Rosa", "Sven",  "Tariq",
    "Uma",    "Viktor", "Wen",   "Ximena", "Yusuf", "Zoe",   "Aisha", "Ben",  "Carla", "Dmitri",
    "Esther", "Felix",  "Gita",  "Hugo",   "Ivy",   "Jamal", "Kaia",  "Luca", "Mei",   "Nils",
    "Olga",   "Pablo",  "Rania", "Sami",   "Tessa", "Ugo",   "Vera",  "Will", "Yara",  "Zain"};
static const char *const last[] = {
    "Okafor", "Silva",   "Wang",    "Levi",    "Kaya",   "Haddad", "Nilsson", "Tanaka", "Moreau",
    "Becker", "Mensah",  "Fischer", "Rossi",   "Karimi", "Lund",   "Sharma",  "Byrne",  "Garcia",
    "Berg",   "Aziz",    "Patel",   "Novak",   "Liu",    "Torres", "Demir",   "Martin", "Bello",
    "Cohen",  "Ruiz",    "Ivanov",  "Adler",   "Weber",  "Rao",    "Lambert", "Walsh",  "Khan",
    "Holm",   "Bianchi", "Zhou",    "Eriksen", "Popova", "Ortega", "Saleh",   "Nassar", "Vos",
    "Conti",  "Marsh",   "Turner",  "Farah",   "Malik"};
static const char *const teams[] = {"marketing", "engineering", "servicedesk", "sales", "people"};

static const char *const posts[] = {
    "Kick-off for the spring campaign is Thursday at 10. Bring your wildest ideas! #marketing",
    "Shipped the new search today. Feedback very welcome, especially from the service desk.",
    "Reminder: the VPN certificate rotates tonight. If you can't connect tomorrow, restart the "
    "client first. #itsm",
    "Anyone up for a lunchtime ride on Friday? 30 km, easy pace. #cycling",
    "We closed 40% more tickets this sprint than last. Great work, team! #servicedesk",
    "Draft of the onboarding guide is up for review. What did you wish you'd known on day one? "
    "#onboarding",
    "Customer call went really well: they want the integration by Q3. #sales",
    "Idea: a shared FAQ for the top ten printer problems. Who's in? #knowledge",
    "The coffee machine on floor 3 is fixed. Productivity restored. ☕",
    "Q3 numbers are in. Thanks to everyone who helped pull the report together. #finance",
    "Looking for someone who knows our billing API inside out. Questions about webhooks.",
    "New hire orientation is moving to Tuesdays starting next month. #people",
};
static const char *const replies[] = {
    "Count me in!",
    "Great news, thanks for sharing.",
    "Can we get a demo at the all-hands?",
    "Thanks, that saved me an hour this morning.",
    "+1, this would help a lot.",
    "I can help with that — ping me.",
    "Love this. 👏",
};

int cli_demo(const pl_config *cfg, id_gen *ids)
{
    db *d;
    app_ctx c;
    arena a = ARENA_INIT;
    if (cli_open(cfg, ids, &d, &c, &a)) return 1;
    int64_t existing = 0;
    accounts_count(&c, &existing);
    if (existing > 0) {
        printf("demo: the database already has %lld accounts; leaving it as it is\n",
               (long long)existing);
        db_close(d);
        arena_free(&a);
        return 0;
    }
    enum { N = 50 };
    int64_t id[N];
    /* everyone's password is the same: hashed once (argon2id costs ~0.25 s a hash) */
    const char *password_hash = auth_password_hash(&c, "partyline-demo");
    c.now -= 3 * 24 * 3600 * 1000LL; /* the demo happened over the last few days */
    int rc = password_hash ? db_begin(d) : PL_ENOMEM;
    c.own_txn = false; /* one transaction for the whole demo */
    for (int i = 0; i < N && !rc; i++) {
        char user[64], email[96], name[96];
        snprintf(user, sizeof user, "%s", first[i]);
        for (char *p = user; *p; p++) *p = (char)(*p | 0x20);
        snprintf(email, sizeof email, "%s.%s@example.com", user, last[i]);
        for (char *p = email; *p; p++) *p = (char)(*p >= 'A' && *p <= 'Z' ? *p | 0x20 : *p);
        snprintf(name, sizeof name, "%s %s", first[i], last[i]);
        accounts_new n = {.username = user,
                          .email = email,
                          .password = "partyline-demo",
                          .password_hash = password_hash,
                          .display_name = name,
                          .is_admin = i == 0,
                          .skip_rules = true};
        pl_account acc;
        c.now += 1;
        rc = accounts_register(&c, &n, &acc);
        id[i] = acc.id;
        if (!rc) {
            char note[160];
            snprintf(note, sizeof note, "Works in %s. Ask me about #%s.", teams[i % 5],
                     teams[i % 5]);
            accounts_change ch = {.note = note,
                                  .locked = -1,
                                  .bot = -1,
                                  .discoverable = -1,
                                  .sensitive = -1,
                                  .privacy = -1,
                                  .hide_collections = -1,
                                  .hide_boosts = -1};
            rc = accounts_update(&c, acc.id, &ch);
        }
    }
    /* everyone follows their team, the CEO (amara), and a few others */
    for (int i = 0; i < N && !rc; i++)
        for (int j = 0; j < N && !rc; j++)
            if (i != j && (j % 5 == i % 5 || j == 0 || (i * 7 + j * 3) % 11 == 0))
                rc = graph_follow(&c, id[i], id[j], -1, -1);
    /* channels: one per team (its people join), an interest channel, a private one for the
     * leadership, and a welcome pinned in the everyone channel */
    int64_t team_ch[5] = {0}, cycling = 0, leadership = 0;
    for (int t = 0; t < 5 && !rc; t++) {
        char display[64];
        snprintf(display, sizeof display, "Team %s", teams[t]);
        channels_new n = {.name = teams[t],
                          .display_name = display,
                          .note = "Our team's news.",
                          .is_private = 0,
                          .posting = -1};
        rc = channels_create(&c, id[t], &n, &team_ch[t]);
        for (int i = 5 + t; i < N && !rc; i += 5) rc = channels_join(&c, id[i], team_ch[t]);
    }
    if (!rc) {
        channels_new n = {.name = "cycling",
                          .display_name = "Cycling",
                          .is_private = 0,
                          .note = "Rides, routes and repairs. #cycling",
                          .posting = -1};
        rc = channels_create(&c, id[3], &n, &cycling);
        for (int i = 0; i < N && !rc; i += 4)
            if (i != 3) rc = channels_join(&c, id[i], cycling);
    }
    if (!rc) {
        channels_new n = {.name = "leadership",
                          .display_name = "Leadership",
                          .is_private = 1,
                          .note = "The leadership team. Private.",
                          .posting = -1};
        rc = channels_create(&c, id[0], &n, &leadership);
        for (int i = 1; i < 5 && !rc; i++) {
            rc = channels_join(&c, id[i], leadership);
            if (!rc) rc = channels_decide(&c, id[0], leadership, id[i], true);
        }
    }
    int64_t made[64];
    int nm = 0;
    for (int k = 0; k < 36 && !rc; k++) {
        int author = k % 12 == 3 ? 3 : (k * 13) % N; /* dana runs the rides */
        char text[600];
        snprintf(text, sizeof text, "%s", posts[k % 12]);
        if (k % 4 == 1) {
            size_t len = strlen(text);
            snprintf(text + len, sizeof text - len, " cc @%s", first[(author + 5) % N]);
            for (char *p = text + len + 4; *p; p++) *p = (char)(*p | 0x20);
        }
        posts_new p = {
            .text = text, .visibility = k % 9 == 8 ? VIS_PRIVATE : VIS_PUBLIC, .sensitive = -1};
        /* a team's news goes to its channel when its author is on the team */
        if (k % 12 == 0 && author % 5 == 0) p.channel_id = team_ch[0];
        if (k % 12 == 4 && author % 5 == 2) p.channel_id = team_ch[2];
        if (k % 12 == 3) p.channel_id = cycling;
        c.now += 90 * 60000;
        rc = posts_create(&c, id[author], &p, &made[nm]);
        if (!rc) nm++;
    }
    for (int k = 0; k < 40 && !rc; k++) {
        int who = (k * 17 + 3) % N;
        int64_t on = made[(k * 5) % nm];
        posts_new p = {.text = replies[k % 7],
                       .visibility = VIS_PUBLIC,
                       .sensitive = -1,
                       .in_reply_to_id = on};
        int64_t rid;
        c.now += 20 * 60000;
        if (posts_create(&c, id[who], &p, &rid) == PL_ENOTFOUND) continue; /* not visible */
        c.errmsg = NULL;
    }
    for (int k = 0; k < 150 && !rc; k++) {
        int who = (k * 7 + 1) % N;
        int64_t on = made[(k * 11) % nm];
        c.now += 60000;
        rc = engage_favourite(&c, id[who], on);
        if (rc == PL_ENOTFOUND) rc = PL_OK; /* a private post this person can't see */
        if (!rc && k % 6 == 0) {
            int64_t rb;
            rc = engage_reblog(&c, id[who], on, VIS_PUBLIC, &rb);
            if (rc == PL_EFORBIDDEN || rc == PL_ENOTFOUND) rc = PL_OK;
        }
    }
    pl_channel everyone;
    if (!rc && (rc = store_channel_everyone(d, &everyone)) == PL_OK) {
        int64_t welcome, plans;
        posts_new w = {.text = "Welcome to partyline, everyone! Join the channels of your team "
                               "and your interests, and say hello here.",
                       .visibility = VIS_PUBLIC,
                       .sensitive = -1,
                       .channel_id = everyone.id};
        c.now += 60000;
        rc = posts_create(&c, id[0], &w, &welcome);
        if (!rc) rc = channels_pin(&c, id[0], everyone.id, welcome, true);
        posts_new l = {.text = "Draft budget for next year is in the shared folder. Please keep "
                               "it within this group until Friday.",
                       .visibility = VIS_PRIVATE,
                       .sensitive = -1,
                       .channel_id = leadership};
        c.now += 60000;
        if (!rc) rc = posts_create(&c, id[0], &l, &plans);
    }
    /* deliver everything to home feeds now, rather than when a server first starts */
    for (bool more = !rc; more && !rc;) rc = feeds_fanout_step(&c, 1000, &more);
    if (rc) {
        db_rollback(d);
        fprintf(stderr, "demo: failed: %s\n", c.errmsg ? c.errmsg : pl_strerror(rc));
    } else if ((rc = db_commit(d))) {
        fprintf(stderr, "demo: could not commit\n");
    } else {
        printf("demo: made %d people, 8 channels, %d posts, replies, likes and boosts\n", N, nm);
        printf("demo: sign in as amara (or any first name, lower case) with password "
               "partyline-demo\n");
    }
    db_close(d);
    arena_free(&a);
    return rc ? 1 : 0;
}
