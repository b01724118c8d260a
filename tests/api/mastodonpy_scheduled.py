#!/usr/bin/python3
"""Scheduled posts read by another client: Mastodon.py (Debian's python3-mastodon), driven by
mastodonpy.test.mjs — status_post(scheduled_at=…), scheduled_statuses(), scheduled_status(),
scheduled_status_update(), scheduled_status_delete().

Usage: mastodonpy_scheduled.py URL TOKEN OTHER_TOKEN. Exits 0 when every check holds, else 1
naming the first that did not."""
import sys
from datetime import datetime, timedelta, timezone

from mastodon import Mastodon
from mastodon.errors import MastodonNotFoundError


def client(url, token):
    # the version probe is not what is tested here: every call names its route
    return Mastodon(api_base_url=url, access_token=token, version_check_mode="none")


def check(what, got, want):
    if got != want:
        print(f"{what}: expected {want!r}, got {got!r}", file=sys.stderr)
        sys.exit(1)


def main():
    url, token, other_token = sys.argv[1:4]
    me, other = client(url, token), client(url, other_token)
    when = (datetime.now(timezone.utc) + timedelta(days=2)).replace(microsecond=0)

    sch = me.status_post("the minutes, tomorrow", scheduled_at=when, spoiler_text="minutes")
    check("scheduled_at", sch["scheduled_at"], when)
    check("params.text", sch["params"]["text"], "the minutes, tomorrow")
    check("params.spoiler_text", sch["params"]["spoiler_text"], "minutes")
    check("no status yet", len(me.account_statuses(me.me()["id"])), 0)

    check("listed", [s["id"] for s in me.scheduled_statuses()], [sch["id"]])
    check("fetched", me.scheduled_status(sch["id"])["params"]["text"], "the minutes, tomorrow")
    later = when + timedelta(hours=3)
    check("moved", me.scheduled_status_update(sch["id"], later)["scheduled_at"], later)

    try:
        other.scheduled_status(sch["id"])
        check("another person's", "found", "404")
    except MastodonNotFoundError:
        pass

    me.scheduled_status_delete(sch["id"])
    check("cancelled", me.scheduled_statuses(), [])
    print("ok")


main()
