/**
 * emoji.h — is a string one Unicode emoji? For reactions to announcements, which take a
 * Unicode emoji or (later, with pictures) a custom emoji's shortcode.
 *
 * Mastodon checks a name against the list of emoji its web client knows. We check the shape
 * instead (Unicode Technical Standard #51, section 1.4): one emoji — a pictographic code point
 * with an optional presentation selector (U+FE0F/FE0E), skin tone (U+1F3FB..1F3FF) and tag
 * sequence (subdivision flags), a keycap (0-9 # * with U+20E3), or a pair of regional
 * indicators (a flag) — or several joined by ZERO WIDTH JOINER (U+200D). The pictographic
 * ranges are the blocks that hold emoji, so a new emoji of a coming Unicode version passes
 * without a table to update; letters, digits, punctuation and text do not. Dependency-free.
 */
#ifndef PL_EMOJI_H
#define PL_EMOJI_H

#include <stdbool.h>
#include <stddef.h>

/** Bytes of the longest name emoji_is_unicode accepts (the longest emoji ZWJ sequences, such
 *  as a family of four with skin tones, take 35 bytes). */
enum { EMOJI_MAX_BYTES = 64 };

/** True if s[0..len) is exactly one Unicode emoji (see above) in valid UTF-8. */
bool emoji_is_unicode(const char *s, size_t len);

#endif
