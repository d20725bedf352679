#include "strmap.h"
#include "alloc.h"

#include <stdlib.h>
#include <string.h>

uint64_t hash_bytes(const void *data, size_t len)
{
    const unsigned char *p = data;
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
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
    strmap_entry *e = slot_for(map, key, key_len, hash_bytes(key, key_len));
    return e->key ? &e->value : NULL;
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
    if ((map->count + 1) * 4 > map->cap * 3)
        rehash(map, map->cap ? map->cap * 2 : 64);
    uint64_t h = hash_bytes(key, key_len);
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
