/*
 * demo.c — `partyline demo`: a small, lively company for a first look (about 50 people in
 * a few teams, follows inside and across teams, a channel per team with its purpose, an
 * interest channel and a private leadership channel, and a working week of posts: each text
 * written once, real @mentions and hashtags, threads whose replies answer, a few polls, likes
 * and boosts; a service desk with its tickets, and two watches). Runs once: a database that
 * already has people is left alone. Everything goes through the app layer, so the demo is made
 * exactly as users would make it.
 */
#include <stdio.h>
#include <string.h>

#include "app/accounts.h"
#include "app/auth.h"
#include "app/channels.h"
#include "app/engage.h"
#include "app/feeds.h"
#include "app/graph.h"
#include "app/influence.h"
#include "app/listening.h"
#include "app/polls.h"
#include "app/posts.h"
#include "app/tickets.h"
#include "cli/cli.h"
#include "store/channels.h"
#include "util/timeutil.h"

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

/* What each team's channel is for, in teams[] order. */
static const char *const team_purpose[] = {
    "Campaigns, launches and the brand: plans, drafts and results.",
    "Releases, incidents and how we build: reviews, pairing and post-mortems.",
    "Tickets, tips and the knowledge base: what the service desk learns each week.",
    "Deals, customers and events: the pipeline and how we win.",
    "Onboarding, payroll and growing here: news from the people team.",
};

/* Where a post goes: nowhere in particular (the author's followers and the company), a
 * team's channel (its index in teams[]), the cycling channel, or the private leadership one. */
enum { IN_FEED = -1, IN_CYCLING = 5, IN_LEADERSHIP = 6 };

/* A reply, by people[by]: the first answers the post, each next one the reply before it. */
typedef struct demo_reply {
    int by;
    const char *text;
} demo_reply;

/* One post of the week, in the order it was written. Mentions are written as people type
 * them (@username, lower case), so the post carries real mentions. */
typedef struct demo_post {
    int author, where;
    const char *text;
    const char *poll[4]; /* options, NULL-ended; none when poll[0] is NULL */
    demo_reply replies[3];
} demo_post;

static const demo_post week[] = {
    {0,
     IN_FEED,
     "Good morning, everyone. This week: the spring campaign kicks off, the new "
     "search ships, and we welcome three new colleagues. Say hello when you see them!",
     {NULL},
     {{4, "Welcome packs are ready at reception. 🎒"}, {0, "Thanks, @elif!"}}},
    {5,
     0,
     "Kick-off for the spring campaign is Thursday at 10 in the Atrium. Bring one wild idea "
     "each. #marketing",
     {NULL},
     {{10, "Can remote folks join by video?"}, {5, "Yes, the link is in the invite."}}},
    {1,
     1,
     "Shipped the new search this morning: has:poll, from:me and in:#channel all work now. "
     "@chen, could the service desk try it on real tickets? #release",
     {NULL},
     {{2, "On it. First impression: much faster than the old one."},
      {1, "Good to hear. Tell me what it misses."}}},
    {3,
     IN_CYCLING,
     "Lunchtime ride on Friday: 30 km along the river, easy pace, back by 13:30. "
     "#cycling",
     {NULL},
     {{8, "Count me in. Is there a spare helmet?"}, {3, "@ines, two of them in the bike room."}}},
    {2,
     2,
     "We closed 40% more tickets this sprint than last. The printer FAQ alone saved us "
     "60 calls. #servicedesk",
     {NULL},
     {{7, "The FAQ was Rosa's idea, credit where it's due."}, {17, "Team effort! 🙌"}}},
    {4,
     4,
     "Draft of the onboarding guide is up for review. What did you wish you'd known on "
     "your first day? #onboarding",
     {NULL},
     {{9, "Where the good coffee is. Floor 3, by the windows."}, {4, "Added, with a map."}}},
    {8,
     3,
     "Customer call with Northwind went well: they want the integration by Q3. @dana, "
     "can we go over pricing tomorrow? #sales",
     {NULL},
     {{3, "Tomorrow at 9 works for me."}}},
    {6,
     1,
     "Reminder: the VPN certificate rotates tonight at 22:00. If you can't connect "
     "tomorrow, restart the client first. #itsm",
     {NULL},
     {{11, "Does this affect the build servers?"}, {6, "No, they use the other gateway."}}},
    {20,
     IN_FEED,
     "Where should the summer party be this year?",
     {"Rooftop terrace", "Boat on the lake", "Picnic in the park", NULL},
     {{25, "Boat, please. Last year's rooftop was windy."}}},
    {7,
     2,
     "Looking for someone who knows the billing API inside out: a customer's webhooks "
     "fire twice. @lena, is that a known one? #billing",
     {NULL},
     {{11, "Known, fixed in 4.2. They need to upgrade their plugin."},
      {7, "Perfect, I'll send them the notes."}}},
    {10,
     0,
     "New brand colours are in the shared drive. Please use them from Monday on, "
     "including slides. #brand",
     {NULL},
     {{15, "Is there a slide template yet?"}, {10, "Tomorrow, promise."}}},
    {9,
     IN_FEED,
     "The coffee machine on floor 3 is fixed. Productivity restored. ☕",
     {NULL},
     {{14, "Best news of the week."}}},
    {11,
     1,
     "Code freeze for the 4.3 release starts Wednesday at noon. Anything not merged by "
     "then waits for 4.4. #release",
     {NULL},
     {{16, "The export fix is in review, @greta can you take a look?"}, {6, "Reviewing now."}}},
    {13,
     3,
     "Quarter so far: 112% of target, and the pipeline for next quarter looks healthy. "
     "Thanks to everyone who helped with the demos. #sales",
     {NULL},
     {{0, "Great work, team. Drinks on Friday are on me."}}},
    {14,
     4,
     "Payroll is a day early this month because of the public holiday. #people",
     {NULL},
     {{19, "Thanks for the heads-up!"}}},
    {12,
     2,
     "The new ticket form asks for the device name first. Calls are shorter already. "
     "#servicedesk",
     {NULL},
     {{22, "Can we add a screenshot field too?"}, {12, "Next sprint, it's on the board."}}},
    {15,
     0,
     "Our case study with Contoso is live on the website. Share it with your customers! "
     "#marketing",
     {NULL},
     {{18, "Sending it to two prospects today."}}},
    {16,
     1,
     "Post-mortem for Tuesday's outage: a full disk on the log server. Alerting now "
     "fires at 80%, not 95%. #incident",
     {NULL},
     {{2, "Thanks for the quick write-up, it helps when customers ask."}}},
    {19,
     IN_FEED,
     "Which day works best for the quarterly all-hands?",
     {"Tuesday", "Wednesday", "Thursday", NULL},
     {{24, "Anything but Monday mornings!"}}},
    {17,
     2,
     "Tip: Ctrl+Shift+Esc opens the task manager straight away. Saves a click on every "
     "frozen laptop. #tips",
     {NULL},
     {{28, "Didn't know that one, thanks."}}},
    {18,
     3,
     "Trade fair in Hamburg next month: we have a booth. Who wants to staff it? "
     "@ines @nadia #events",
     {NULL},
     {{8, "I'll take Thursday."}, {13, "Friday for me."}}},
    {21,
     1,
     "Pairing session on the new API client at 15:00, all welcome, no preparation "
     "needed. #engineering",
     {NULL},
     {{27, "I'll bring questions about the retries."}}},
    {3,
     IN_CYCLING,
     "Found a lovely gravel route through the forest north of town, 45 km. Map "
     "in the thread. #cycling",
     {NULL},
     {{12, "Looks great. Saturday morning?"}, {3, "Saturday at 8, meet at the bakery."}}},
    {24,
     4,
     "Reminder: the feedback round closes on the 15th. It takes ten minutes and it does "
     "change things. #people",
     {NULL},
     {{29, "Done! The new questions are much better."}}},
    {25,
     0,
     "The newsletter goes out Thursday. Last call for stories from your team! "
     "#newsletter",
     {NULL},
     {{30, "The engineering hackathon would make a nice story."}, {25, "Yes! Adding it."}}},
    {22,
     2,
     "Knowledge base update: 12 new articles this week, all linked from the ticket "
     "form. #knowledge",
     {NULL},
     {{37, "The one on the docking stations is gold."}}},
    {27,
     1,
     "Heads-up: the staging database gets a fresh copy of production data tonight, "
     "anonymised. #engineering",
     {NULL},
     {{31, "Will the test accounts survive?"}, {27, "Yes, they're re-created after."}}},
    {23,
     3,
     "Signed Fabrikam for three years! 🎉 Thanks @carla for the demo that won them "
     "over. #sales",
     {NULL},
     {{28, "It was a team effort, thank you!"}, {0, "Congratulations to all of you."}}},
    {4,
     IN_FEED,
     "Three new colleagues start on Monday: Lucia in sales, Tom in engineering "
     "and Ana on the service desk. Make them feel at home!",
     {NULL},
     {{1, "Tom sits with us, we'll show him around."}}},
    {29,
     4,
     "The mentoring programme is open for sign-ups: one hour a month, for six months. "
     "#mentoring",
     {NULL},
     {{34, "Signed up as a mentee. Excited!"}}},
    {30,
     0,
     "Which slogan for the autumn campaign?",
     {"Work together, anywhere", "Your team, one place", "Less email, more done", NULL},
     {{35, "The third one, everybody wants less email."}}},
    {28,
     2,
     "Phones: the new handsets arrive on Wednesday. We swap them desk by desk; it takes "
     "five minutes. #servicedesk",
     {NULL},
     {{42, "I'll do floor 2 with you."}}},
    {31,
     1,
     "Wrote up how we review pull requests: small, one reviewer, answered within a day. "
     "Comments welcome. #engineering",
     {NULL},
     {{36, "Can we add 'tests included' to the list?"}, {31, "Added, good one."}}},
    {26,
     IN_FEED,
     "Book club: this month it's 'The Mythical Man-Month'. Thursday lunch in the "
     "library corner. 📚",
     {NULL},
     {{39, "I'll be there, halfway through it."}}},
    {33,
     3,
     "Updated price list for next year is in the sales folder. @mei, can you check the "
     "discounts table? #sales",
     {NULL},
     {{38, "Checked, two typos fixed."}}},
    {0,
     IN_LEADERSHIP,
     "Draft budget for next year is in the shared folder. Please keep it "
     "within this group until Friday.",
     {NULL},
     {{1, "Engineering numbers added."}, {0, "Thank you, Bruno."}}},
};

/* The service desk at work: its team (the servicedesk channel's owner and two of its people;
 * amara, an administrator, is on it as well), its channel a help desk, three tickets — one from
 * a post in that channel, one from the form, one worked on with a note only the team sees — and
 * two watches of amara's, which the server's matcher fills when it first starts. */
static int demo_service_desk(app_ctx *c, const int64_t *id, int64_t desk, int64_t marketing)
{
    static const int team[] = {2, 7, 12};
    int rc = PL_OK;
    for (int i = 0; i < 3 && !rc; i++)
        rc = tickets_set_service(c, 0, id[team[i]], true, "servicedesk");
    if (!rc) rc = tickets_help_desk_set(c, id[2], desk, true);
    int64_t asked = 0;
    if (!rc) {
        posts_new p = {.text = "My laptop has not found the office Wi-Fi since this morning's "
                               "update. Anyone else?",
                       .visibility = VIS_PUBLIC,
                       .sensitive = -1,
                       .channel_id = desk};
        c->now += 40 * 60000;
        rc = channels_join(c, id[13], desk);               /* someone of another team asks there */
        if (!rc) rc = posts_create(c, id[13], &p, &asked); /* the help desk opens its ticket */
    }
    pl_ticket vpn, wifi;
    if (!rc) {
        c->now += 25 * 60000;
        rc = tickets_open_form(c, id[21], "VPN drops every hour",
                               "Since Monday the VPN drops on the hour, every hour, and takes a "
                               "minute to come back.",
                               0, &vpn);
    }
    if (!rc) {
        c->now += 30 * 60000;
        tickets_change ch = {.state = tickets_state_parse("in_progress"),
                             .priority = tickets_priority_parse("high"),
                             .assignee_id = id[7],
                             .team = NULL};
        rc = tickets_change_apply(c, id[2], vpn.id, &ch, &vpn);
    }
    int64_t note = 0, answer = 0;
    if (!rc) {
        posts_new p = {.text = "Looks like the concentrator in rack 4 again; its firmware is "
                               "two versions behind.",
                       .visibility = VIS_INTERNAL,
                       .sensitive = -1,
                       .in_reply_to_id = vpn.root_status_id};
        c->now += 10 * 60000;
        rc = posts_create(c, id[7], &p, &note);
    }
    if (!rc) {
        posts_new p = {.text = "Thanks for the report! We found the cause and will update the "
                               "VPN gateway tonight.",
                       .visibility = VIS_TICKET,
                       .sensitive = -1,
                       .in_reply_to_id = vpn.root_status_id};
        c->now += 5 * 60000;
        rc = posts_create(c, id[7], &p, &answer);
    }
    if (!rc) {
        c->now += 15 * 60000;
        rc = tickets_open_form(c, id[34], "A second screen for the new starter",
                               "Tessa starts on Monday and needs a second screen at desk 4B.", 0,
                               &wifi);
    }
    pl_watch w;
    watchq_error e;
    if (!rc)
        rc = watches_create(c, id[0], "Printer trouble", "printer OR printers OR \"print queue\"",
                            marketing, &w, &e);
    if (!rc) rc = watches_create(c, id[0], "The release", "#release OR release", 0, &w, &e);
    return rc;
}

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
        /* the demo's people have all signed in: influence scores them */
        if (!rc) rc = store_influence_signed_in(d, acc.id, c.now);
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
                          .note = team_purpose[t],
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
    /* the week: each post, then its thread (a reply in a public channel by someone outside
     * the team joins it first, as people do when a colleague asks them there) */
    enum { N_WEEK = sizeof week / sizeof week[0] };
    int64_t made[N_WEEK];
    int nm = 0;
    c.now -= 2 * 24 * 3600 * 1000LL; /* a working week, not three days */
    for (int k = 0; k < N_WEEK && !rc; k++) {
        const demo_post *w = &week[k];
        int64_t where = w->where == IN_FEED         ? 0
                        : w->where == IN_CYCLING    ? cycling
                        : w->where == IN_LEADERSHIP ? leadership
                                                    : team_ch[w->where];
        int n_options = 0;
        while (n_options < 4 && w->poll[n_options]) n_options++;
        polls_new poll = {.options = w->poll, .n_options = n_options, .expires_in = 3 * 24 * 3600};
        posts_new p = {.text = w->text,
                       .visibility = w->where == IN_LEADERSHIP ? VIS_PRIVATE : VIS_PUBLIC,
                       .sensitive = -1,
                       .channel_id = where,
                       .poll = n_options ? &poll : NULL};
        c.now += 150 * 60000;
        rc = posts_create(&c, id[w->author], &p, &made[nm]);
        if (rc) break;
        int64_t on = made[nm++];
        for (int r = 0; r < 3 && w->replies[r].text && !rc; r++) {
            int by = w->replies[r].by;
            if (where && w->where != IN_LEADERSHIP) rc = channels_join(&c, id[by], where);
            posts_new rp = {.text = w->replies[r].text,
                            .visibility = p.visibility,
                            .sensitive = -1,
                            .in_reply_to_id = on};
            c.now += (12 + 9 * r) * 60000;
            if (!rc) rc = posts_create(&c, id[by], &rp, &on);
        }
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
        int64_t welcome;
        posts_new w = {.text = "Welcome to partyline, everyone! Join the channels of your team "
                               "and your interests, and say hello here.",
                       .visibility = VIS_PUBLIC,
                       .sensitive = -1,
                       .channel_id = everyone.id};
        c.now += 60000;
        rc = posts_create(&c, id[0], &w, &welcome);
        if (!rc) rc = channels_pin(&c, id[0], everyone.id, welcome, true);
    }
    if (!rc) rc = demo_service_desk(&c, id, team_ch[2], team_ch[0]);
    /* deliver everything to home feeds now, rather than when a server first starts */
    for (bool more = !rc; more && !rc;) rc = feeds_fanout_step(&c, 1000, &more);
    if (rc) {
        db_rollback(d);
        fprintf(stderr, "demo: failed: %s\n", c.errmsg ? c.errmsg : pl_strerror(rc));
    } else if ((rc = db_commit(d))) {
        fprintf(stderr, "demo: could not commit\n");
    } else {
        /* the day's influence, as a server computes it each night (app/influence.h) */
        influence_summary is;
        if (c.now < time_now_ms()) c.now = time_now_ms(); /* its clock ran ahead */
        if ((rc = influence_compute(&c, &(influence_opts){.who = "demo"}, &is)))
            fprintf(stderr, "demo: influence: %s\n", c.errmsg ? c.errmsg : pl_strerror(rc));
        printf("demo: made %d people, 8 channels, %d posts, replies, likes and boosts, "
               "3 tickets and 2 watches\n",
               N, nm);
        printf("demo: sign in as amara (or any first name, lower case) with password "
               "partyline-demo\n");
    }
    db_close(d);
    arena_free(&a);
    return rc ? 1 : 0;
}
