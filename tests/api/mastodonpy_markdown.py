#!/usr/bin/python3
"""Markdown posts written by another client: Mastodon.py (Debian's python3-mastodon) sends
status_post's content_type only in its "pleroma" feature set, as Pleroma, Akkoma and GoToSocial
take it; driven by mastodonpy.test.mjs.

Usage: mastodonpy_markdown.py URL TOKEN. Exits 0 when every check holds, else 1 naming the
first that did not."""
import sys

from mastodon import Mastodon
from mastodon.errors import MastodonAPIError


def check(what, got, want):
    if got != want:
        print(f"{what}: expected {want!r}, got {got!r}", file=sys.stderr)
        sys.exit(1)


def main():
    url, token = sys.argv[1:3]
    # the version probe is not what is tested here
    me = Mastodon(api_base_url=url, access_token=token, version_check_mode="none",
                  feature_set="pleroma")

    s = me.status_post("**bold** and `code`", content_type="text/markdown")
    check("a Markdown post", s["content"], "<p><strong>bold</strong> and <code>code</code></p>")
    p = me.status_post("**bold**", content_type="text/plain")
    check("a plain post", p["content"], "<p>**bold**</p>")
    # status_update sends no content_type: the post stays Markdown
    e = me.status_update(s["id"], status="_edited_")
    check("an edit keeps Markdown", e["content"], "<p><em>edited</em></p>")
    # Mastodon.py refuses text/rtf itself; text/html it sends, and we refuse it
    try:
        me.status_post("<b>x</b>", content_type="text/html")
        check("text/html", "accepted", "refused with 422")
    except MastodonAPIError as err:
        check("text/html is refused", err.args[1], 422)
    print("ok")


if __name__ == "__main__":
    main()
