/* code.h — the bytecode (register machine, Lua's design): the opcode list,
 * the instruction layout, and the compiled function (lxO_proto) the compiler
 * (lxK_) writes and the VM (lxV_) runs.
 *
 * An instruction is 32 bits: op (8) | A (8) | B (8) | C (8), or op | A | Bx
 * (16, sBx signed), or op | sJ (24 signed).  Some instructions are followed
 * by one extra word (a constant or cache index), marked "+W" below.
 */
#ifndef LX_CODE_H
#define LX_CODE_H

#include "object.h"

#define LXK_OPCODES(X)                                                                                       \
    X(MOVE)      /* A B     R[A] = R[B] */                                                                   \
    X(LOADK)     /* A Bx    R[A] = K[Bx] */                                                                  \
    X(LOADI)     /* A sBx   R[A] = Int(sBx) */                                                               \
    X(LOADNIL)   /* A       R[A] = nothing */                                                                \
    X(LOADBOOL)  /* A B     R[A] = Bool(B) */                                                                \
    X(LOADUNDEF) /* A       R[A] = undefined (a hoisted local) */                                            \
    X(CHECKDEF)  /* A Bx    UndefVarError(K[Bx]) if R[A] is undefined */                                     \
    X(GETG)      /* A Bx    R[A] = global Bx */                                                              \
    X(SETG)      /* A Bx    global Bx = R[A] */                                                              \
    X(SETCONST)  /* A Bx    const global Bx = R[A] */                                                        \
    X(BOXNEW)    /* A       R[A] = a new box (an undefined captured local) */                                \
    X(GETBOX)    /* A B +W  R[A] = box R[B]'s value (W: name constant for UndefVarError) */                  \
    X(SETBOX)    /* A B     box R[A] = R[B] */                                                               \
    X(GETUP)     /* A B +W  R[A] = upvalue B's value */                                                      \
    X(SETUP)     /* A B     upvalue A = R[B] */                                                              \
    X(CLOSURE)   /* A Bx    R[A] = closure of child proto Bx */                                              \
    X(ADD)       /* A B C   R[A] = R[B] + R[C] (and so on) */                                                \
    X(SUB)                                                                                                   \
    X(MUL)                                                                                                   \
    X(DIV)                                                                                                   \
    X(POW)                                                                                                   \
    X(REM)                                                                                                   \
    X(IDIV)                                                                                                  \
    X(ADDI) /* A B sC  R[A] = R[B] + sC */                                                                   \
    X(ADDK) /* A B C   R[A] = R[B] + K[C] (and so on) */                                                     \
    X(SUBK)                                                                                                  \
    X(MULK)                                                                                                  \
    X(DIVK)                                                                                                  \
    X(RADDK) /* A B C   R[A] = K[C] + R[B] */                                                                \
    X(RMULK) /* A B C   R[A] = K[C] * R[B] */                                                                \
    X(EQ)    /* A B C   R[A] = R[B] == R[C] */                                                               \
    X(NE)                                                                                                    \
    X(LT)                                                                                                    \
    X(LE)                                                                                                    \
    X(JLT)      /* A B     if !(R[A] < R[B]) take the JMP that follows, else skip it */                      \
    X(JLE)      /* A B     the same with <= */                                                               \
    X(JLTI)     /* A sB    the same with R[A] < sB */                                                        \
    X(JGTI)     /* A sB    the same with R[A] > sB */                                                        \
    X(JEQ)      /* A B     the same with == */                                                               \
    X(NOT)      /* A B     R[A] = !R[B] */                                                                   \
    X(NEG)      /* A B     R[A] = -R[B] */                                                                   \
    X(JMP)      /* sJ */                                                                                     \
    X(JMPF)     /* A sBx   if R[A] is false, pc += sBx (TypeError unless Bool) */                            \
    X(JMPT)     /* A sBx   if R[A] is true, pc += sBx */                                                     \
    X(CALL)     /* A B C +W call R[A] with R[A+1..A+B], keywords in R[A+B+1] if C; result in R[A] */         \
    X(CALLS)    /* A C     call R[A] with the tuple R[A+1] as arguments, keywords R[A+2] if C */             \
    X(RETURN)   /* A       return R[A] */                                                                    \
    X(TUPLE)    /* A B C   R[A] = (R[B], ..., R[B+C-1]) */                                                   \
    X(NTUPLE)   /* A B C +W R[A] = named tuple of R[B..B+C-1] with names K[W] (a tuple of symbols) */        \
    X(GETFIELD) /* A B +W R[A] = R[B].K[W] */                                                                \
    X(SETFIELD) /* A B C +W R[A].K[W] = R[B] */                                                              \
    X(INDEX)    /* A B C  R[A] = R[B][R[B+1], ..., R[B+C]] */                                                \
    X(SETINDEX) /* A B C  R[A][R[A+1], ..., R[A+C]] = R[B] */                                                \
    X(UNPACK)   /* A B C  R[A..A+C-1] = the first C elements of R[B] */                                      \
    X(ITERPREP) /* A      R[A] iterable: R[A+1] = its first state */                                         \
    X(ITERNEXT) /* A sBx  next element into R[A+2], advance R[A+1], pc += sBx; when done, fall through */    \
    X(TRY)      /* A sBx  push a handler: an exception goes to pc + sBx with it in R[A] */                   \
    X(POPTRY)   /*        drop the innermost handler */                                                      \
    X(THROW)    /* A      throw R[A] (a rethrow keeps the stack trace) */                                    \
    X(METHOD)   /* A B C +W add the method closure R[A] with B types R[A+1..A+B] to the function W */        \
    X(STRUCT)   /* A B C +W define a type: K[W] describes it, supertype R[A], C field types R[A+1..] */      \
    X(GETKW)    /* A Bx   R[A] = keyword K[Bx] if given (skip the JMP that follows), else take the JMP */    \
    X(JARGC)    /* A sBx  if the call gave more than A positional arguments, pc += sBx */                    \
    X(KWREST)   /* A      R[A] = the keywords not named by the method */                                     \
    X(APPEND)   /* A B    push R[B] onto the list R[A] */

typedef enum {
#define LXK_OP_ENUM(name) BC_##name,
    LXK_OPCODES(LXK_OP_ENUM)
#undef LXK_OP_ENUM
        LXK_NUM_OPCODES
} lxK_opcode;

extern const char *const lxK_opnames[LXK_NUM_OPCODES];

#define LXK_OP(i) ((lxK_opcode)((i)&0xff))
#define LXK_A(i) (((i) >> 8) & 0xff)
#define LXK_B(i) (((i) >> 16) & 0xff)
#define LXK_C(i) ((i) >> 24)
#define LXK_SC(i) ((int)LXK_C(i) - 128)
#define LXK_SB(i) ((int)LXK_B(i) - 128)
#define LXK_BX(i) ((i) >> 16)
#define LXK_SBX(i) ((int)LXK_BX(i) - 32768)
#define LXK_SJ(i) ((int)((i) >> 8) - (1 << 23))

#define LXK_ABC(op, a, b, c)                                                                                 \
    ((uint32_t)(op) | ((uint32_t)(a) << 8) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 24))
#define LXK_ABX(op, a, bx) ((uint32_t)(op) | ((uint32_t)(a) << 8) | ((uint32_t)(bx) << 16))
#define LXK_SJX(op, j) ((uint32_t)(op) | ((uint32_t)((j) + (1 << 23)) << 8))
#define LXK_MAXREG 250
#define LXK_MAXBX 65535

/* A call site's cache (Lua-style inline cache, one entry): the generic
 * function, its method-table version and the argument types it saw. */
typedef struct {
    lxO_generic *gf;
    uint32_t version;
    int nargs;
    lxO_type *types[4];
    lxO_method *m;
} lxK_cache;

/* How a closure finds each captured variable when it is made. */
typedef struct {
    uint8_t instack; /* 1: the enclosing function's register holding the box; 0: its upvalue */
    uint8_t idx;
    lxO_string *name;
} lxK_updesc;

struct lxO_proto {
    lxO_header hdr;
    uint32_t *code;
    int32_t *lines; /* source line per instruction */
    int ncode;
    int capcode, capk, capprotos, capup; /* allocated sizes (equal to the counts once compiled) */
    lx_Value *k;
    int nk;
    lxO_proto **protos; /* nested functions */
    int nprotos;
    lxK_updesc *ups;
    int nup;
    lxK_cache *caches;
    int ncaches;
    int nreq, nopt; /* positional parameters: required, then with defaults */
    bool vararg;    /* last positional collects the rest as a tuple */
    bool kwrest;    /* kw... */
    int nkw;
    lxO_string **kwnames;
    int maxstack;
    lxO_string *name; /* for stack traces */
    lxO_string *sig;  /* the signature as written, for MethodError and help */
    lxO_string *file;
    int line;
    size_t gcslot; /* its index in L->protos */
};

#endif
