/* metrics.c - confusion matrices and the scores derived from them. */
#include "stance.h"
#include "alloc.h"

#include <stdlib.h>
#include <string.h>

stance_metrics *stance_metrics_new(size_t label_count, char *const *labels)
{
    stance_metrics *m = xcalloc(1, sizeof *m);
    m->label_count = label_count;
    m->labels = xcalloc(label_count, sizeof *m->labels);
    for (size_t i = 0; i < label_count; i++)
        m->labels[i] = xstrdup(labels[i]);
    m->confusion = xcalloc(label_count * label_count, sizeof *m->confusion);
    m->precision = xcalloc(label_count, sizeof(double));
    m->recall = xcalloc(label_count, sizeof(double));
    m->f1 = xcalloc(label_count, sizeof(double));
    return m;
}

void stance_metrics_add(stance_metrics *m, size_t gold, size_t predicted)
{
    m->confusion[gold * m->label_count + predicted]++;
    m->total++;
}

void stance_metrics_finish(stance_metrics *m)
{
    size_t k = m->label_count, correct = 0;
    double f1_sum = 0;
    for (size_t c = 0; c < k; c++) {
        size_t tp = m->confusion[c * k + c], predicted = 0, gold = 0;
        for (size_t o = 0; o < k; o++) {
            predicted += m->confusion[o * k + c];
            gold += m->confusion[c * k + o];
        }
        correct += tp;
        m->precision[c] = predicted ? (double)tp / (double)predicted : 0;
        m->recall[c] = gold ? (double)tp / (double)gold : 0;
        double pr = m->precision[c] + m->recall[c];
        m->f1[c] = pr > 0 ? 2 * m->precision[c] * m->recall[c] / pr : 0;
        f1_sum += m->f1[c];
    }
    m->macro_f1 = k ? f1_sum / (double)k : 0;
    m->accuracy = m->total ? (double)correct / (double)m->total : 0;
}

int stance_metrics_write(FILE *out, const stance_metrics *m)
{
    size_t k = m->label_count, width = 10;
    for (size_t c = 0; c < k; c++)
        if (strlen(m->labels[c]) + 2 > width)
            width = strlen(m->labels[c]) + 2;
    fprintf(out, "%-*s %9s %9s %9s %9s\n", (int)width, "label", "precision", "recall", "f1",
            "support");
    for (size_t c = 0; c < k; c++) {
        size_t support = 0;
        for (size_t o = 0; o < k; o++)
            support += m->confusion[c * k + o];
        fprintf(out, "%-*s %9.4f %9.4f %9.4f %9zu\n", (int)width, m->labels[c], m->precision[c],
                m->recall[c], m->f1[c], support);
    }
    fprintf(out, "\nmacro-F1 %.4f   accuracy %.4f   examples %zu\n", m->macro_f1, m->accuracy,
            m->total);
    fprintf(out, "\nconfusion matrix (rows: gold, columns: predicted)\n%-*s", (int)width, "");
    for (size_t c = 0; c < k; c++)
        fprintf(out, " %*.*s", (int)width, (int)width, m->labels[c]);
    fputc('\n', out);
    for (size_t g = 0; g < k; g++) {
        fprintf(out, "%-*s", (int)width, m->labels[g]);
        for (size_t p = 0; p < k; p++)
            fprintf(out, " %*zu", (int)width, m->confusion[g * k + p]);
        fputc('\n', out);
    }
    return ferror(out) ? STANCE_E_IO : STANCE_OK;
}

void stance_metrics_free(stance_metrics *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->label_count; i++)
        free(m->labels[i]);
    free(m->labels);
    free(m->confusion);
    free(m->precision);
    free(m->recall);
    free(m->f1);
    free(m);
}
