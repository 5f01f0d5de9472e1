/* test_docstrings.c — every public built-in has a docstring in the house
 * format (Julia's and Lux's): an indented signature line, a one-line
 * summary, an "Arguments" section when it takes any, a "Keyword Arguments"
 * section when it takes keywords, a "Returns" section (functions, types and
 * macros), and a "# Examples" section with `lx> ` lines.  One TAP line per
 * name; the examples themselves run in test_doctest.c.
 */
#include "docwalk.h"
#include "tap.h"

#include <stdio.h>
#include <string.h>

/* What is wrong with a docstring, or NULL.  Each method's own docstring (the
 * sections `doc` joins with "---") needs a signature and a summary, and a
 * Returns section when a docstring is required (functions, types with
 * constructors, macros); the whole needs examples. */
static const char *problem(const char *doc, bool required)
{
    static const char sep[] = "\n\n---\n\n";
    bool examples = false;
    for (const char *s = doc; s;) {
        const char *next = strstr(s, sep);
        size_t n = next ? (size_t)(next - s) : strlen(s);
        docw_parts p = docw_parse(s, n);
        if (!p.nsig) return "no indented signature line at the top";
        if (!p.summary) return "no summary line after the signature and a blank line";
        if (p.takes_args && !p.arguments) return "no \"# Arguments\" section (the signature takes arguments)";
        if (p.takes_kwargs && !p.kwarguments)
            return "no \"# Keyword Arguments\" section (the signature takes keywords)";
        if (required && !p.returns) return "no \"# Returns\" section";
        examples |= p.examples;
        s = next ? next + sizeof sep - 1 : NULL;
    }
    return examples ? NULL : "no \"# Examples\" section with an `lx> ` line";
}

int main(void)
{
    docw_list l;
    char err[512];
    if (!tap_ok(docw_collect(&l, err, sizeof err), "the documented names are listed")) {
        tap_diag("%s", err);
        return tap_done();
    }
    for (int i = 0; i < l.n; i++) {
        const docw_entry *e = &l.e[i];
        if (e->alias_of || (!e->required && !e->doc)) continue;
        const char *why = e->doc ? problem(e->doc, e->required) : "no docstring";
        if (!tap_ok(!why, "docstring: %s (%s, %s)", e->name, docw_kindname(e->kind), e->lib))
            tap_diag("%s", why);
    }
    docw_free(&l);
    return tap_done();
}
