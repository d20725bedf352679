#include "strmap.h"
#include "alloc.h"

#include <stdlib.h>
#include <string.h>

uint64_t hash_bytes_from(uint64_t h, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

uint64_t hash_bytes(const void *data, size_t len)
{
    return hash_bytes_from(HASH_SEED, data, len);
}

static strmap_entry *slot_for(const strmap *map, const char *key, size_t key_len, uint64_t h)
{
    size_t mask = map->cap - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        strmap_entry *e = &map->slots[i];
        if (!e->key || (e->hash == h && e->key_len == key_len && memcmp(e->key, key, key_len) == 0))
            return e;
    }
}

size_t *strmap_find(const strmap *map, const char *key, size_t key_len)
{
    if (map->count == 0)
        return NULL;
    return strmap_find_hashed(map, key, key_len, hash_bytes(key, key_len));
}

size_t *strmap_find_hashed(const strmap *map, const char *key, size_t key_len, uint64_t hash)
{
    if (map->count == 0)
        return NULL;
    strmap_entry *e = slot_for(map, key, key_len, hash);
    return e->key ? &e->value : NULL;
}

size_t *strmap_find_pair(const strmap *map, const char *a, size_t a_len, const char *b,
                         size_t b_len, uint64_t hash)
{
    if (map->count == 0)
        return NULL;
    size_t len = a_len + 1 + b_len, mask = map->cap - 1;
    for (size_t i = (size_t)hash & mask;; i = (i + 1) & mask) {
        const strmap_entry *e = &map->slots[i];
        if (!e->key)
            return NULL;
        if (e->hash == hash && e->key_len == len && memcmp(e->key, a, a_len) == 0 &&
            e->key[a_len] == ' ' && memcmp(e->key + a_len + 1, b, b_len) == 0)
            return (size_t *)&e->value;
    }
}

static void rehash(strmap *map, size_t cap)
{
    strmap_entry *old = map->slots;
    size_t old_cap = map->cap;
    map->slots = xcalloc(cap, sizeof *map->slots);
    map->cap = cap;
    for (size_t i = 0; i < old_cap; i++)
        if (old[i].key)
            *slot_for(map, old[i].key, old[i].key_len, old[i].hash) = old[i];
    free(old);
}

size_t *strmap_insert(strmap *map, const char *key, size_t key_len, size_t value, int *added)
{
    return strmap_insert_hashed(map, key, key_len, hash_bytes(key, key_len), value, added);
}

size_t *strmap_insert_hashed(strmap *map, const char *key, size_t key_len, uint64_t h,
                             size_t value, int *added)
{
    if ((map->count + 1) * 2 > map->cap) /* at most half full: short probes */
        rehash(map, map->cap ? map->cap * 2 : 64);
    strmap_entry *e = slot_for(map, key, key_len, h);
    if (added)
        *added = e->key == NULL;
    if (!e->key) {
        e->key = xstrndup(key, key_len);
        e->key_len = key_len;
        e->hash = h;
        e->value = value;
        map->count++;
    }
    return &e->value;
}

void strmap_clear(strmap *map)
{
    for (size_t i = 0; i < map->cap; i++) {
        free(map->slots[i].key);
        map->slots[i].key = NULL;
    }
    map->count = 0;
}

void strmap_free(strmap *map)
{
    strmap_clear(map);
    free(map->slots);
    map->slots = NULL;
    map->cap = 0;
}
