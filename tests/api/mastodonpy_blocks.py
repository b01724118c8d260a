#!/usr/bin/python3
"""Account search and blocks read by another client: Mastodon.py (Debian's python3-mastodon),
driven by mastodonpy.test.mjs. Mastodon's account search finds the people one blocks, so an app
can unblock them by name.

Usage: mastodonpy_blocks.py URL TOKEN OTHER_USERNAME OTHER_ID — TOKEN's owner blocks the other
person, finds them by name (v1 account search and v2 search) and unblocks them. Exits 0 when
every check holds, else 1 naming the first that did not."""
import sys

from mastodon import Mastodon


def check(what, got, want):
    if got != want:
        print(f"{what}: expected {want!r}, got {got!r}", file=sys.stderr)
        sys.exit(1)


def main():
    url, token, other_name, other_id = sys.argv[1:5]
    me = Mastodon(api_base_url=url, access_token=token, version_check_mode="none")
    me.account_block(other_id)
    found = me.account_search(other_name)
    check("account_search finds a blocked person", [str(a["id"]) for a in found], [other_id])
    result = me.search_v2(other_name, result_type="accounts")
    check("search_v2 finds a blocked person", [str(a["id"]) for a in result["accounts"]], [other_id])
    rel = me.account_unblock(found[0]["id"])
    check("unblocked", rel["blocking"], False)
    check("no blocks left", me.blocks(), [])
    print("ok")


main()
