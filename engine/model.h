/* model.h - the model directory, and prediction with it.
 *
 * The only module that sees libsvm. A model directory holds model.svm
 * (libsvm's format), features.tsv (the feature dictionary) and model.conf
 * (key = value settings with the checksums of the other files and of the
 * lexicons). Loading verifies every checksum before libsvm parses anything.
 *
 * For a linear kernel the support vectors are collapsed at load time into
 * one weight vector per class pair, so prediction costs one sparse dot
 * product per pair instead of a loop over support vectors; pairwise Platt
 * probabilities are then coupled as libsvm does (Wu, Lin and Weng 2004,
 * method 2) so the result equals svm_predict_probability.
 */
#ifndef STANCE_MODEL_H
#define STANCE_MODEL_H

#include <stddef.h>

#include "features.h"
#include "lexicon.h"
#include "stance.h"

/* Settings kept in model.conf besides the feature configuration. */
typedef struct {
    double c;
    int balanced;
    int folds;
    unsigned seed;
    size_t examples;
    double cv_macro_f1, cv_accuracy;
} model_training_info;

/* Training examples in libsvm's form. The problem must outlive every model
 * trained from it (libsvm's models point into it). */
typedef struct model_problem model_problem;

/* Copies count vectors (rows[i] of lengths[i] values) with class values y[i]
 * in 0..label_count-1, and computes their kernel matrix with the given
 * threads when it fits in memory. */
model_problem *model_problem_new(const feature_value *const *rows, const size_t *lengths,
                                 const int *y, size_t count, size_t label_count, int threads);
void model_problem_free(model_problem *problem);

/* One fold of a cross-validation: trains a linear C-SVC with cost c and
 * per-class cost factors class_weights (NULL for none) on the examples whose
 * folds[i] differs from fold, and writes the class value it predicts for
 * each example of fold into predicted[i]. Safe to run in several threads at
 * once: libsvm draws no random numbers when it trains without probability
 * estimates, so results do not depend on scheduling. */
int model_fold_predict(const model_problem *problem, const int *folds, int fold, double c,
                       const double *class_weights, int *predicted, stance_error *err);

/* Trains with probability estimates on the whole problem and writes the model
 * directory; labels[i] is the label of class value i. Each file is written to
 * a temporary name and renamed; model.conf goes last, so a directory with a
 * valid model.conf is complete. */
struct attribute_resources;

int model_train_write(const model_problem *problem, const double *class_weights,
                      char *const *labels, const feature_config *config,
                      const feature_dict *dict, const cue_lexicon *lex,
                      const struct attribute_resources *attr, const model_training_info *info,
                      const char *dir, stance_error *err);

/* The parts scoring needs. Borrowed from the model. */
const feature_config *model_feature_config(const stance_model *model);
const feature_dict *model_dict(const stance_model *model);
const cue_lexicon *model_lexicon(const stance_model *model);
/* The word lists of quote and holder attribution, read from the same
 * lexicon directory (they do not feed the classifier). */
const struct attribute_resources *model_attribution(const stance_model *model);

/* Class probabilities (one per model label, in model label order) of a
 * feature vector; returns the index of the most probable label. work must
 * hold model_work_size(model) doubles. */
size_t model_predict(const stance_model *model, const feature_value *x, size_t n, double *probs,
                     double *work);
size_t model_work_size(const stance_model *model);

/* Writes into contrib[i] how much feature x[i] pushes the vector toward
 * label: its weight times its value, summed over the class pairs that
 * involve label, with the sign that favours label. */
void model_contributions(const stance_model *model, const feature_value *x, size_t n,
                         size_t label, double *contrib);

#endif
