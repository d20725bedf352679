/* strmap.h - a hash map from byte strings to size_t values.
 *
 * Open addressing with linear probing; keys are copied into the map. Used for
 * the feature dictionary, document frequencies, lexicon phrases and the stem
 * memo. Not thread-safe for writes; concurrent finds on a map nobody writes
 * are safe.
 */
#ifndef STANCE_STRMAP_H
#define STANCE_STRMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    char *key; /* NULL for an empty slot */
    size_t key_len;
    uint64_t hash;
    size_t value;
} strmap_entry;

typedef struct {
    strmap_entry *slots;
    size_t cap;   /* a power of two, or 0 */
    size_t count;
} strmap;

#define HASH_SEED 0xcbf29ce484222325ULL

/* FNV-1a, 64 bits: the map's hash and the checksum of model and lexicon files. */
uint64_t hash_bytes(const void *data, size_t len);
/* Continues a hash over more bytes: hash_bytes_from(hash_bytes(a), b) is the
 * hash of a followed by b. */
uint64_t hash_bytes_from(uint64_t hash, const void *data, size_t len);

/* The value stored under key, or NULL. */
size_t *strmap_find(const strmap *map, const char *key, size_t key_len);

/* As strmap_find, with the key's hash already known. */
size_t *strmap_find_hashed(const strmap *map, const char *key, size_t key_len, uint64_t hash);

/* The value stored under the key "a b" (a, one space, b), whose hash is
 * given, without building the key. */
size_t *strmap_find_pair(const strmap *map, const char *a, size_t a_len, const char *b,
                         size_t b_len, uint64_t hash);

/* The value stored under key, inserting value first when key is absent;
 * *added (if not NULL) says which happened. The pointer is valid until the
 * next insert. */
size_t *strmap_insert(strmap *map, const char *key, size_t key_len, size_t value, int *added);

/* As strmap_insert, with the key's hash already known. */
size_t *strmap_insert_hashed(strmap *map, const char *key, size_t key_len, uint64_t hash,
                             size_t value, int *added);

/* Removes every entry, keeping the table allocated. */
void strmap_clear(strmap *map);
void strmap_free(strmap *map);

#endif
