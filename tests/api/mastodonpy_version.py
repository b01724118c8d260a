#!/usr/bin/python3
"""Mastodon.py's version probe, driven by mastodonpy.test.mjs: the library asks
/api/v1/instance/ (with the slash) when a client is made, and treats a server whose answer
fails as Mastodon 1.0, refusing every call newer than that.

Usage: mastodonpy_version.py URL TOKEN. Exits 0 when every check holds, else 1 naming the
first that did not."""
import sys

from mastodon import Mastodon


def check(what, got, want):
    if got != want:
        print(f"{what}: expected {want!r}, got {got!r}", file=sys.stderr)
        sys.exit(1)


def main():
    url, token = sys.argv[1:3]
    # the default version_check_mode ("created") probes the version at once
    m = Mastodon(api_base_url=url, access_token=token)
    check("version_check_worked", m.version_check_worked, True)
    check("major version at least 4", m.mastodon_major >= 4, True)
    # calls the probe would refuse on a "1.0.0" server (added in 2.x and 3.x)
    me = m.me()
    check("me() is the token's account", bool(me["id"]), True)
    posted = m.status_post("probed", visibility="unlisted")
    check("status_post", posted["content"], "<p>probed</p>")
    check("instance_health", m.instance_health(), True)
    print("ok")


main()
