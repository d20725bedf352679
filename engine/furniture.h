/* furniture.h - the page furniture of news: bylines, photo captions,
 * "Read more" teasers and reporting credits. They hold no stance
 * (ANNOTATION.md), whatever officials or countries they name.
 */
#ifndef STANCE_FURNITURE_H
#define STANCE_FURNITURE_H

#include <stddef.h>

/* Whether the paragraph s[start..end) is furniture: it opens with a label
 * such as "Photo:", "Read more:" or "(Reporting by", is a short "By NAME"
 * line, or ends with a picture credit such as "(File photo)". */
int furniture_paragraph(const char *s, size_t start, size_t end);

#endif
