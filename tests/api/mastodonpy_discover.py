#!/usr/bin/python3
"""The profile directory, follow suggestions, familiar followers and featured tags read by
another client: Mastodon.py (Debian's python3-mastodon), driven by mastodonpy.test.mjs.

Usage: mastodonpy_discover.py URL VIEWER_TOKEN FRIEND_TOKEN TARGET_ID — the viewer follows
the friend, who follows TARGET_ID. Exits 0 when every check holds, else 1 naming the first
that did not."""
import sys

from mastodon import Mastodon


def client(url, token):
    # the version probe is not what is tested here: every call names its route
    return Mastodon(api_base_url=url, access_token=token, version_check_mode="none")


def check(what, got, want):
    if got != want:
        print(f"{what}: expected {want!r}, got {got!r}", file=sys.stderr)
        sys.exit(1)


def main():
    url, viewer_token, friend_token, target_id = sys.argv[1:5]
    viewer, friend = client(url, viewer_token), client(url, friend_token)
    me = viewer.account_verify_credentials()
    friend_id = friend.account_verify_credentials()["id"]

    listed = viewer.directory(order="new", local=True, limit=80)
    check("directory lists the viewer", me["id"] in [a["id"] for a in listed], True)
    check("directory offset", len(viewer.directory(order="new", offset=len(listed))), 0)

    # Mastodon.py sends the ids as a JSON body on a GET
    familiar = viewer.account_familiar_followers([target_id])
    check("familiar followers", [(f["id"], [a["id"] for a in f["accounts"]]) for f in familiar],
          [(int(target_id), [friend_id])])

    check("v1 suggestions is a list of accounts", isinstance(viewer.suggestions(), list), True)

    made = viewer.featured_tag_create("python")
    check("featured tag name", made["name"], "python")
    check("featured tags", [t["id"] for t in viewer.featured_tags()], [made["id"]])
    check("a profile's featured tags",
          [t["name"] for t in friend.account_featured_tags(me["id"])], ["python"])
    viewer.featured_tag_delete(made["id"])
    check("removed", viewer.featured_tags(), [])
    print("ok")


if __name__ == "__main__":
    main()
