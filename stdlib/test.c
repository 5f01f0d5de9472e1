/* test.c — the Test library: @test, @test_throws, @testset and @test_broken,
 * printing TAP (`ok 3 - name: expr`), so .lx test files run under `prove`
 * like the C tests.  Counts live in the state's globals; `lx` prints the
 * plan (`1..N`) when a script that ran tests ends.
 */
#include "lib.h"

#include <string.h>

/* @test a op b [atol = …]: the two sides are evaluated apart so a failure
 * can show their values; anything else is checked for `true`. */
static lxA_node *m_test(lx_State *L, void *arena, lxA_node *m)
{
    if (m->n < 1) lxE_error(L, LXT_ParseError, "@test needs an expression (line %d)", m->line);
    lxA_node *e = m->kids[0];
    lxA_node *kws = lxL_node(L, arena, AST_NAMEDTUPLE, m);
    for (int i = 1; i < m->n; i++) {
        lxA_node *a = m->kids[i];
        if (a->kind == AST_ASSIGN && a->kids[0]->kind == AST_IDENT) {
            lxA_node *kw = lxL_node(L, arena, AST_KW, a);
            kw->name = a->kids[0]->name;
            lxL_push(L, arena, kw, a->kids[1]);
            lxL_push(L, arena, kws, kw);
        } else if (a->kind == AST_KW) {
            lxL_push(L, arena, kws, a);
        } else {
            lxE_error(L, LXT_ParseError, "@test: unexpected argument after the expression (line %d)",
                      m->line);
        }
    }
    lxA_node *text = lxL_text(L, arena, e), *where = lxL_where(L, arena, m);
    /* a dotted comparison (a .== b) is a value to check as a whole, as Julia's Test does */
    if (e->kind == AST_COMPARE && e->n == 3 && !e->kids[1]->name &&
        lxX_op_name((lxX_op)e->kids[1]->v.i)[0] != '.') {
        /* __test_cmp(op, () -> (a, b), kws, text, where) */
        lxX_op op = (lxX_op)e->kids[1]->v.i;
        const char *fname = op == OP_APPROX ? "isapprox" : lxX_op_name(op);
        if (op == OP_ELEM) fname = "in";
        if (op == OP_NE_U) fname = "!=";
        if (op == OP_LE_U) fname = "<=";
        if (op == OP_GE_U) fname = ">=";
        lxA_node *pair = lxL_node(L, arena, AST_TUPLE, m);
        lxL_push(L, arena, pair, e->kids[0]);
        lxL_push(L, arena, pair, e->kids[2]);
        lxA_node *args[5] = {lxL_ident(L, arena, fname, m), lxL_thunk(L, arena, pair, m), kws, text, where};
        return lxL_call(L, arena, "__test_cmp", m, 5, args);
    }
    if (kws->n)
        lxE_error(L, LXT_ParseError, "@test: keywords need a comparison like a ≈ b (line %d)", m->line);
    lxA_node *args[3] = {lxL_thunk(L, arena, e, m), text, where};
    return lxL_call(L, arena, "__test_true", m, 3, args);
}

static lxA_node *m_test_throws(lx_State *L, void *arena, lxA_node *m)
{
    if (m->n != 2)
        lxE_error(L, LXT_ParseError, "@test_throws takes an exception type and an expression (line %d)",
                  m->line);
    lxA_node *args[4] = {m->kids[0], lxL_thunk(L, arena, m->kids[1], m), lxL_text(L, arena, m->kids[1]),
                         lxL_where(L, arena, m)};
    return lxL_call(L, arena, "__test_throws", m, 4, args);
}

static lxA_node *m_test_broken(lx_State *L, void *arena, lxA_node *m)
{
    if (m->n < 1) lxE_error(L, LXT_ParseError, "@test_broken needs an expression (line %d)", m->line);
    lxA_node *args[3] = {lxL_thunk(L, arena, m->kids[0], m), lxL_text(L, arena, m->kids[0]),
                         lxL_where(L, arena, m)};
    return lxL_call(L, arena, "__test_broken", m, 3, args);
}

/* @testset "name" begin ... end  →  __testset("name", () -> begin ... end, where) */
static lxA_node *m_testset(lx_State *L, void *arena, lxA_node *m)
{
    lxA_node *name = NULL, *body = NULL;
    for (int i = 0; i < m->n; i++) {
        if (m->kids[i]->kind == AST_STRING && !name)
            name = m->kids[i];
        else
            body = m->kids[i];
    }
    if (!body) lxE_error(L, LXT_ParseError, "@testset needs a begin ... end block (line %d)", m->line);
    if (!name) name = lxL_strlit(L, arena, "test set", m);
    if (body->kind == AST_FOR) { /* @testset for x in xs ... end: one set per iteration */
        lxA_node *inner = lxL_node(L, arena, AST_CALL, m);
        lxL_push(L, arena, inner, lxL_ident(L, arena, "__testset", m));
        lxL_push(L, arena, inner, name);
        lxL_push(L, arena, inner, lxL_thunk(L, arena, body->kids[1], m));
        lxL_push(L, arena, inner, lxL_where(L, arena, m));
        lxA_node *blk = lxL_node(L, arena, AST_BLOCK, m);
        lxL_push(L, arena, blk, inner);
        body->kids[1] = blk;
        return body;
    }
    lxA_node *args[3] = {name, lxL_thunk(L, arena, body, m), lxL_where(L, arena, m)};
    return lxL_call(L, arena, "__testset", m, 3, args);
}

/* ---- recording -------------------------------------------------------------------------------------- */

static int64_t counter(lx_State *L, const char *name, int64_t add)
{
    lx_Value v = lxG_get(L, name);
    int64_t n = (v.tag == LX_TINT ? v.v.i : 0) + add;
    lxG_set(L, name, lxO_int(n));
    return n;
}

static void out(lx_State *L, lxW_buf *b)
{
    lxE_write(L, 1, b->s, b->len);
    lxW_free(b);
}

/* The "set/inner: " prefix of the current test sets. */
static void prefix(lx_State *L, lxW_buf *b)
{
    lx_Value sets = lxG_get(L, "__testsets");
    if (!lxO_is(sets, LXO_LIST)) return;
    lxO_list *l = lxO_as(lxO_list, sets);
    for (size_t i = 0; i < l->n; i++) {
        lxW_print(b, l->items[i]);
        lxW_puts(b, i + 1 < l->n ? "/" : ": ");
    }
}

static void result(lx_State *L, bool ok, lx_Value text, lx_Value where, const char *detail)
{
    int64_t n = counter(L, "__tests_run", 1);
    if (!ok) counter(L, "__tests_failed", 1);
    lxW_buf b;
    lxW_init(L, &b);
    lxW_printf(&b, "%sok %lld - ", ok ? "" : "not ", (long long)n);
    prefix(L, &b);
    /* one line: newlines in the expression's text would break TAP */
    lxO_string *t = lxO_as(lxO_string, text);
    for (size_t i = 0; i < t->len; i++)
        lxW_add(&b, t->data[i] == '\n' ? " " : &t->data[i], 1);
    lxW_puts(&b, "\n");
    if (!ok) {
        lxW_puts(&b, "# Test Failed at ");
        lxW_print(&b, where);
        lxW_puts(&b, "\n#   Expression: ");
        lxW_print(&b, text);
        lxW_puts(&b, "\n");
        if (detail) {
            lxW_puts(&b, "#   ");
            for (const char *c = detail; *c; c++) {
                lxW_add(&b, c, 1);
                if (*c == '\n') lxW_puts(&b, "#   ");
            }
            lxW_puts(&b, "\n");
        }
    }
    out(L, &b);
}

static void error_detail(lx_State *L, lx_Value exc, lxW_buf *d)
{
    lxW_puts(d, "Threw: ");
    lxW_showerror(d, exc);
}

static lx_Value t_true(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lx_Value r;
    if (lxV_pcall(L, a[0], NULL, 0, lxO_nothing(), &r) != LX_OK) {
        int mark = lxV_root(L, r);
        lxW_buf d;
        lxW_init(L, &d);
        error_detail(L, r, &d);
        result(L, false, a[1], a[2], d.s);
        lxW_free(&d);
        lxV_unroot(L, mark);
        return lxO_nothing();
    }
    if (r.tag != LX_TBOOL) {
        lxW_buf d;
        lxW_init(L, &d);
        lxW_puts(&d, "Evaluated to a non-Bool: ");
        lxL_printvalue(L, &d, r, true);
        result(L, false, a[1], a[2], d.s);
        lxW_free(&d);
        return lxO_nothing();
    }
    result(L, r.v.b, a[1], a[2], r.v.b ? NULL : "Evaluated: false");
    return lxO_nothing();
}

static lx_Value t_cmp(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lx_Value pair;
    if (lxV_pcall(L, a[1], NULL, 0, lxO_nothing(), &pair) != LX_OK) {
        int mark = lxV_root(L, pair);
        lxW_buf d;
        lxW_init(L, &d);
        error_detail(L, pair, &d);
        result(L, false, a[3], a[4], d.s);
        lxW_free(&d);
        lxV_unroot(L, mark);
        return lxO_nothing();
    }
    int mark = lxV_root(L, pair);
    lxO_tuple *t = lxO_as(lxO_tuple, pair);
    lx_Value kws = lxO_as(lxO_ntuple, a[2])->n ? a[2] : lxO_nothing();
    lx_Value r;
    lx_Status st = lxV_pcall(L, a[0], t->items, 2, kws, &r);
    lxW_buf d;
    lxW_init(L, &d);
    bool ok = st == LX_OK && r.tag == LX_TBOOL && r.v.b;
    if (st != LX_OK) {
        error_detail(L, r, &d);
    } else if (!ok) {
        lxW_puts(&d, "Evaluated: ");
        lxL_printvalue(L, &d, t->items[0], true);
        lxW_printf(&d, " %s ", lxO_as(lxO_generic, a[0])->name->data);
        lxL_printvalue(L, &d, t->items[1], true);
        if (lxO_as(lxO_ntuple, a[2])->n) {
            lxW_puts(&d, " ");
            lxW_repr(&d, a[2]);
        }
    }
    result(L, ok, a[3], a[4], ok ? NULL : d.s);
    lxW_free(&d);
    lxV_unroot(L, mark);
    return lxO_nothing();
}

static lx_Value t_throws(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lx_Value r;
    lx_Status st = lxV_pcall(L, a[1], NULL, 0, lxO_nothing(), &r);
    lxW_buf d;
    lxW_init(L, &d);
    bool ok = false;
    int mark = lxV_root(L, r);
    if (st == LX_OK) {
        lxW_puts(&d, "Expected: ");
        lxW_print(&d, a[0]);
        lxW_puts(&d, "\n  No exception thrown");
    } else if (lxO_is(a[0], LXO_TYPE)) {
        ok = lxT_isa(L, r, lxO_as(lxO_type, a[0]));
        if (!ok) {
            lxW_puts(&d, "Expected: ");
            lxW_print(&d, a[0]);
            lxW_puts(&d, "\n  Thrown: ");
            lxW_showerror(&d, r);
        }
    } else {
        ok = lxO_equal(L, r, a[0]);
        if (!ok) {
            lxW_puts(&d, "Thrown: ");
            lxW_showerror(&d, r);
        }
    }
    result(L, ok, a[2], a[3], ok ? NULL : d.s);
    lxW_free(&d);
    lxV_unroot(L, mark);
    return lxO_nothing();
}

/* @test_broken, as Julia's: expr still runs; false or an error is the expected
 * failure (a TAP TODO, which does not fail the file); true is an Unexpected Pass,
 * a failure, so a fixed bug gets its test promoted. */
static lx_Value t_broken(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lx_Value r;
    bool passed = lxV_pcall(L, a[0], NULL, 0, lxO_nothing(), &r) == LX_OK && r.tag == LX_TBOOL && r.v.b;
    if (passed) {
        result(L, false, a[1], a[2], "Unexpected Pass: the test is marked broken but now passes; use @test");
        return lxO_nothing();
    }
    int64_t k = counter(L, "__tests_run", 1);
    lxW_buf b;
    lxW_init(L, &b);
    lxW_printf(&b, "not ok %lld - ", (long long)k);
    prefix(L, &b);
    lxO_string *t = lxO_as(lxO_string, a[1]);
    for (size_t i = 0; i < t->len; i++)
        lxW_add(&b, t->data[i] == '\n' ? " " : &t->data[i], 1);
    lxW_puts(&b, " # TODO broken\n");
    out(L, &b);
    return lxO_nothing();
}

static lx_Value t_testset(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lx_Value sets = lxG_get(L, "__testsets");
    if (!lxO_is(sets, LXO_LIST)) {
        sets = lxO_obj(lxO_list_new(L, 4));
        lxG_set(L, "__testsets", sets);
    }
    lxO_list *l = lxO_as(lxO_list, sets);
    size_t depth = l->n;
    lxO_list_push(L, l, a[0]);
    lx_Value r;
    if (lxV_pcall(L, a[1], NULL, 0, lxO_nothing(), &r) != LX_OK) {
        /* an error outside any @test fails the set and the file goes on */
        int mark = lxV_root(L, r);
        lxW_buf d;
        lxW_init(L, &d);
        error_detail(L, r, &d);
        for (int i = 0; i < L->ntrace && i < 8; i++)
            if (L->trace[i].file) lxW_printf(&d, "\n  at %s:%d", L->trace[i].file->data, L->trace[i].line);
        result(L, false, lxO_cstr(L, "(error outside @test)"), a[2], d.s);
        lxW_free(&d);
        lxV_unroot(L, mark);
    }
    l->n = depth;
    return lxO_nothing();
}

static lx_Value t_finish(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    int64_t run = counter(L, "__tests_run", 0), failed = counter(L, "__tests_failed", 0);
    if (run == 0) return lxO_int(0);
    lxW_buf b;
    lxW_init(L, &b);
    lxW_printf(&b, "1..%lld\n", (long long)run);
    if (failed) lxW_printf(&b, "# %lld of %lld tests failed\n", (long long)failed, (long long)run);
    out(L, &b);
    return lxO_int(failed);
}

static const lxL_Reg test_lib[] = {{"__test_true", "(f, text, where)", t_true, ""},
                                   {"__test_cmp", "(op, f, kws, text, where)", t_cmp, ""},
                                   {"__test_throws", "(T, f, text, where)", t_throws, ""},
                                   {"__test_broken", "(f, text, where)", t_broken, ""},
                                   {"__testset", "(name, f, where)", t_testset, ""},
                                   {"__test_finish", "()", t_finish, ""},
                                   {NULL, NULL, NULL, NULL}};

void lxL_open_test(lx_State *L)
{
    lxL_register(L, test_lib);
    lxK_macro_register(
        L, "test", m_test,
        "    @test expr\n    @test a ≈ b atol = …\n\nRecords a test: passes when expr is `true`. A "
        "comparison shows both sides' values when it fails; keywords go to the comparison (`isapprox`'s atol "
        "and rtol). Prints a TAP line.\n\n# Arguments\n- `expr`: an expression that should be `true`; a "
        "comparison `a op b` is checked with both sides kept.\n- `key = value`: keywords after a comparison, "
        "passed to it (`atol`, `rtol` for `≈`).\n\n# Returns\n`nothing` (the result is the TAP line and the "
        "test counts).\n\n# Examples\n```\nlx> @test 1 + 1 == 2\nok 1 - 1 + 1 == 2\n```");
    lxK_macro_register(L, "test_throws", m_test_throws,
                       "    @test_throws ExceptionType expr\n\nPasses when expr throws an exception of that "
                       "type (or equal to the given value).\n\n# Arguments\n- `ExceptionType`: an exception "
                       "type, or an exception value the thrown one must equal.\n- `expr`: the expression to "
                       "run.\n\n# Returns\n`nothing` (the result is the TAP line and the test counts).\n\n# "
                       "Examples\n```\nlx> @test_throws DivideError 1 ÷ 0\nok 1 - 1 ÷ 0\n```");
    lxK_macro_register(
        L, "test_broken", m_test_broken,
        "    @test_broken expr\n\nA known failure: expr runs, and false (or an error) is recorded as a TAP "
        "TODO, which does not fail the file; true is an Unexpected Pass, which does.\n\n# Arguments\n- "
        "`expr`: an expression known to be false or to throw.\n\n# Returns\n`nothing` (the result is the TAP "
        "line and the test counts).\n\n# Examples\n```\nlx> @test_broken 1 == 2\nnot ok 1 - 1 == 2 # TODO "
        "broken\n```");
    lxK_macro_register(
        L, "testset", m_testset,
        "    @testset \"name\" begin ... end\n    @testset \"name\" for x in xs ... end\n\nGroups tests: "
        "their TAP lines are prefixed with the set's name, and an error outside any @test fails the set "
        "without stopping the file.\n\n# Arguments\n- `\"name\"`: the set's name, a string literal (\"test "
        "set\" when left out).\n- `begin ... end`: the tests to run; or a `for` loop, which makes one set "
        "per iteration.\n\n# Returns\n`nothing`.\n\n# Examples\n```\nlx> @testset \"arith\" begin @test 2 * "
        "2 == 4 end\nok 1 - arith: 2 * 2 == 4\n```");
}
