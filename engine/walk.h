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
    size_t broken;     /* symbolic links to nothing, unreadable directories */
    size_t other;      /* devices, fifos, sockets */
} walk_skips;

/* Starts a walk at root, which must be a readable directory. */
walker *walker_new(const char *root, stance_error *err);

/* The next regular file: its path (root joined with the relative path) and,
 * in *relative, the path below root. Both borrowed until the next call.
 * NULL at the end. */
const char *walker_next(walker *w, const char **relative);

const walk_skips *walker_skips(const walker *w);
void walker_free(walker *w);

#endif
