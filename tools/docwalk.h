/* docwalk.h — the documented names of lx: every public function, type,
 * macro, module and documented global of a state with the standard
 * libraries open, with its docstring as `doc`/`help` give it and the library
 * that defined it.  tools/docgen (the API reference) and the docstring and
 * doctest checks in tests/stdlib share it, so all three see the same names.
 */
#ifndef LX_DOCWALK_H
#define LX_DOCWALK_H

#include <stdbool.h>
#include <stddef.h>

typedef enum { DOCW_FUNCTION, DOCW_TYPE, DOCW_MACRO, DOCW_MODULE, DOCW_VALUE } docw_kind;

typedef struct {
    char *name;      /* "sum", "Dict", "@test" */
    char *alias_of;  /* another name bound to the same object ("Int" of "Int64"), or NULL */
    const char *lib; /* the library that defined it (docw_libs), "core" or "other" */
    docw_kind kind;
    bool required; /* a function, a type with a constructor, or a macro: must be documented */
    char *doc;     /* the docstring, NULL when there is none */
} docw_entry;

typedef struct {
    docw_entry *e; /* sorted by name (bytewise) */
    int n;
} docw_list;

/* Collects the names (names starting with "__" are internal and left out).
 * False with a message in err when a state cannot be opened. */
bool docw_collect(docw_list *out, char *err, size_t errsize);
void docw_free(docw_list *l);

/* The libraries in the order lx_openlibs opens them, then "core" (the
 * interpreter's own types) and "other"; NULL-terminated. */
const char *const *docw_libs(void);
const char *docw_kindname(docw_kind k);

/* The parts of a docstring: the signature lines (indented by 4 spaces at the
 * top), the summary (the first paragraph line after them), whether it
 * has a "# Examples" section with an `lx> ` line, and which of the sections
 * "Arguments", "Keyword Arguments" and "Returns" it has (as `#` or `##`
 * headings, any case).  n bytes of a docstring (one method's section, or
 * the whole). */
typedef struct {
    int nsig;
    const char *summary; /* NULL when missing */
    size_t summary_len;
    bool examples;
    bool takes_args;   /* a signature line names an argument (not just `f()`) */
    bool takes_kwargs; /* a signature line has keyword arguments (after `;`) */
    bool arguments, kwarguments, returns;
} docw_parts;
docw_parts docw_parse(const char *doc, size_t n);

#endif
