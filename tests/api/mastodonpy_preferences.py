#!/usr/bin/python3
"""Preferences, replies to company posts and muted conversations read by another client:
Mastodon.py (Debian's python3-mastodon), driven by mastodonpy.test.mjs.

Usage: mastodonpy_preferences.py URL AUTHOR_TOKEN COLLEAGUE_TOKEN — on a server whose
default_visibility is company. Exits 0 when every check holds, else 1 naming the first that
did not."""
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
    url, author_token, colleague_token = sys.argv[1:4]
    author, colleague = client(url, author_token), client(url, colleague_token)

    prefs = author.preferences()
    check("posting:default:visibility", prefs["posting:default:visibility"], "private")
    check("posting:default:sensitive", prefs["posting:default:sensitive"], False)
    check("posting:default:language", prefs["posting:default:language"], None)
    check("reading:expand:media", prefs["reading:expand:media"], "default")
    check("reading:expand:spoilers", prefs["reading:expand:spoilers"], False)
    check("our audience key", prefs["partyline:posting:default:audience"], "company")
    me = author.account_verify_credentials()
    check("source.privacy", me["source"]["privacy"], "private")
    check("source.partyline.privacy", me["source"]["partyline"]["privacy"], "company")

    # status_post sends no visibility: the author's default, company
    question = author.status_post("who knows the wifi password?")
    check("a post without visibility", question["partyline"]["audience"], "company")
    check("as apps see it", question["visibility"], "private")

    # status_reply copies the post's "private": a followers-only reply, never wider
    answer = colleague.status_reply(question, "it is on the fridge")
    check("status_reply's visibility", answer["visibility"], "private")
    check("status_reply's audience", answer["partyline"]["audience"], "private")
    check("the reply mentions the author", [m["id"] for m in answer["mentions"]], [me["id"]])
    # a client that answers "public" stays in the company
    loud = colleague.status_post("and on the wiki", in_reply_to_id=question, visibility="public")
    check("a public reply to a company post", loud["partyline"]["audience"], "company")

    # muting the conversation, as Mastodon.py's status_mute and status_unmute call it
    check("status_mute", author.status_mute(question)["muted"], True)
    check("muted on a reply of it", author.status(answer)["muted"], True)
    check("status_unmute", author.status_unmute(answer)["muted"], False)
    print("ok")


if __name__ == "__main__":
    main()
