/* walk.h - the regular files under a directory, one at a time, in path order.
 *
 * Depth first, each directory's entries sorted so that the files come out in
 * the byte order of their full paths (a directory sorts as its name followed
 * by '/'). Hidden entries (names starting with '.') are skipped, symbolic
 * links are followed unless they lead back into a directory being walked (a
 * loop) or nowhere, and anything that is not a regular file or a directory
 * is skipped; each kind of skip is counted. Memory holds only the listings of
 * the directories on the current path, not the whole tree.
 */
#ifndef STANCE_WALK_H
#define STANCE_WALK_H

#include <stddef.h>

#include "stance.h"

typedef struct walker walker;

typedef struct {
    size_t hidden;     /* hidden files and directories */
    size_t loops;      /* symbolic links back into the walk */
    size_t broken;     /* symbolic links to nothing */
    size_t other;      /* devices, fifos, sockets */
    size_t excluded;   /* files the walk was told to leave out */
    size_t unreadable; /* directories that could not be listed: a failure, not a skip */
} walk_skips;

/* Starts a walk at root, which must be a readable directory. */
walker *walker_new(const char *root, stance_error *err);

/* The next regular file: its path (root joined with the relative path) and,
 * in *relative, the path below root. Both borrowed until the next call.
 * NULL at the end. */
const char *walker_next(walker *w, const char **relative);

/* Leaves out the file at path (by device and inode, so any name of it),
 * if it exists now. */
void walker_exclude(walker *w, const char *path);

/* Called with each directory below the root that cannot be listed. */
void walker_on_unreadable(walker *w, void (*fn)(void *ctx, const char *path, int errnum),
                          void *ctx);

const walk_skips *walker_skips(const walker *w);
void walker_free(walker *w);

#endif
