/* outfile.h - an output file in the making.
 *
 * Written to a hidden temporary beside the final name (.NAME.tmp.PID, so a
 * batch over the same directory never scores it) and renamed into place only
 * when complete, so no reader ever sees half a file. An output that exists
 * and is not a regular file (/dev/null, /dev/stdout, a fifo) is written
 * directly. Temporaries are removed on failure, on SIGINT, SIGTERM, SIGHUP
 * and SIGQUIT, and, when their process is dead, by the next run writing the
 * same name.
 */
#ifndef STANCE_OUTFILE_H
#define STANCE_OUTFILE_H

#include <stdio.h>

#include "alloc.h"
#include "stance.h"

typedef struct {
    strbuf tmp;   /* the name written to */
    strbuf final; /* the name renamed to; empty when written directly */
    FILE *f;
    int slot;     /* its place among the temporaries a signal removes, or -1 */
} outfile;

/* Installs the signal handlers that remove open temporaries. */
void outfile_catch_signals(void);

/* Opens path for writing; NULL (with err set) when it cannot be written. */
FILE *outfile_open(outfile *o, const char *path, stance_error *err);

/* Flushes the file to disk and closes it; ok = 0 (the writer failed) or a
 * write error discards the temporary. STANCE_OK when complete. */
int outfile_finish(outfile *o, const char *path, int ok, stance_error *err);

/* Renames a finished file into place. */
int outfile_publish(outfile *o, const char *path, stance_error *err);

/* Removes the temporary (closing it first if open) and frees o. */
void outfile_free(outfile *o);

/* Whether two names are one file: equal, or the same inode once they exist. */
int outfile_same(const char *a, const char *b);

#endif
