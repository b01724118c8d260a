/**
 * feeds/feeds_internal.h — what the files of src/feeds share and nobody else needs.
 */
#ifndef PL_FEEDS_INTERNAL_H
#define PL_FEEDS_INTERNAL_H

/** Makes an error line (NUL-terminated) fit for a source's row, in place: control characters
 *  become spaces, bytes that are not UTF-8 (from a document, a URL, or a cut made by
 *  snprintf) become '?'. */
void feeds_clean_line(char *s);

#endif
