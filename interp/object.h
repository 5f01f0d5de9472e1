/* object.h — values and heap objects.  A value is a tag and an 8-byte
 * payload (Lua's TValue): nothing, Bool, Int64, Float64 and Float32 unboxed,
 * everything else a pointer to a GC object.  Every GC object starts with
 * lxO_header and is on its state's `allgc` list.
 */
#ifndef LX_OBJECT_H
#define LX_OBJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
    LX_TNOTHING,
    LX_TBOOL,
    LX_TINT,
    LX_TFLOAT64,
    LX_TFLOAT32,
    LX_TOBJECT /* the object's own type is in its header */
} lxO_tag;

typedef enum { LXO_STRING, LXO_NUM_TYPES } lxO_type;

typedef struct lxO_header {
    struct lxO_header *next; /* allgc */
    uint8_t type;            /* lxO_type */
    uint8_t marked;
} lxO_header;

typedef struct {
    uint8_t tag; /* lxO_tag */
    union {
        bool b;
        int64_t i;
        double d;
        float f;
        lxO_header *o;
    } v;
} lx_Value;

/* An immutable string, interned (one object per content per state), so that
 * equality of names and symbols is a pointer compare. */
typedef struct lxO_string {
    lxO_header hdr;
    struct lxO_string *hnext; /* the intern table's chain */
    uint32_t hash;
    size_t len;
    char data[]; /* len bytes, then a NUL */
} lxO_string;

#endif
