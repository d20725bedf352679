/* context.h - what attribution found for each unit, as the classifier sees it.
 *
 * Scoring reads a unit's context off the article's attribution. Training and
 * evaluation read labeled rows, not articles: the rows of one `doc` are put
 * back together (its paragraph rows in order, blank lines between), that
 * article is segmented and attributed as scoring would, and every row takes
 * the context of its paragraph, or of the quote with the same words. A row
 * with no doc, or a quote not found in its article, is an article of its own.
 */
#ifndef STANCE_CONTEXT_H
#define STANCE_CONTEXT_H

#include <stddef.h>

#include "attribute.h"
#include "features.h"
#include "stance.h"

/* The context of a paragraph with holders h. */
unit_context context_of_paragraph(const holder_list *h);

/* The context of a quote attributed as qa; afghanistan is the gazetteer's. */
unit_context context_of_quote(const quote_attribution *qa, size_t afghanistan);

/* Fills out[i] (data->count entries) for every row of data. */
void context_of_rows(const attribute_resources *res, const stance_dataset *data,
                     unit_context *out);

#endif
