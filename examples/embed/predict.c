/* predict.c — runs, from C, the digit classifier that examples/quickstart.lx
 * trains and saves.  A model file holds weights, never code, so the host
 * states the architecture in lx, loads the weights into it, hands lx ten 8×8
 * images from a C array (borrowed: no copy) and reads the predicted digits
 * back (no copy either).
 *
 *   build/lx examples/quickstart.lx build/quickstart.safetensors
 *   build/examples/embed/embed_predict build/quickstart.safetensors
 */
#include <lx.h>

#include <stdio.h>
#include <string.h>

/* The first ten images of the UCI digits (examples/data/digits.csv.gz), one
 * of each digit 0 … 9, row by row, grey levels 0 … 16. */
/* clang-format off */
static const unsigned char images[10][64] = {
    {   /* 0 */
         0,  0,  5, 13,  9,  1,  0,  0,
         0,  0, 13, 15, 10, 15,  5,  0,
         0,  3, 15,  2,  0, 11,  8,  0,
         0,  4, 12,  0,  0,  8,  8,  0,
         0,  5,  8,  0,  0,  9,  8,  0,
         0,  4, 11,  0,  1, 12,  7,  0,
         0,  2, 14,  5, 10, 12,  0,  0,
         0,  0,  6, 13, 10,  0,  0,  0
    },
    {   /* 1 */
         0,  0,  0, 12, 13,  5,  0,  0,
         0,  0,  0, 11, 16,  9,  0,  0,
         0,  0,  3, 15, 16,  6,  0,  0,
         0,  7, 15, 16, 16,  2,  0,  0,
         0,  0,  1, 16, 16,  3,  0,  0,
         0,  0,  1, 16, 16,  6,  0,  0,
         0,  0,  1, 16, 16,  6,  0,  0,
         0,  0,  0, 11, 16, 10,  0,  0
    },
    {   /* 2 */
         0,  0,  0,  4, 15, 12,  0,  0,
         0,  0,  3, 16, 15, 14,  0,  0,
         0,  0,  8, 13,  8, 16,  0,  0,
         0,  0,  1,  6, 15, 11,  0,  0,
         0,  1,  8, 13, 15,  1,  0,  0,
         0,  9, 16, 16,  5,  0,  0,  0,
         0,  3, 13, 16, 16, 11,  5,  0,
         0,  0,  0,  3, 11, 16,  9,  0
    },
    {   /* 3 */
         0,  0,  7, 15, 13,  1,  0,  0,
         0,  8, 13,  6, 15,  4,  0,  0,
         0,  2,  1, 13, 13,  0,  0,  0,
         0,  0,  2, 15, 11,  1,  0,  0,
         0,  0,  0,  1, 12, 12,  1,  0,
         0,  0,  0,  0,  1, 10,  8,  0,
         0,  0,  8,  4,  5, 14,  9,  0,
         0,  0,  7, 13, 13,  9,  0,  0
    },
    {   /* 4 */
         0,  0,  0,  1, 11,  0,  0,  0,
         0,  0,  0,  7,  8,  0,  0,  0,
         0,  0,  1, 13,  6,  2,  2,  0,
         0,  0,  7, 15,  0,  9,  8,  0,
         0,  5, 16, 10,  0, 16,  6,  0,
         0,  4, 15, 16, 13, 16,  1,  0,
         0,  0,  0,  3, 15, 10,  0,  0,
         0,  0,  0,  2, 16,  4,  0,  0
    },
    {   /* 5 */
         0,  0, 12, 10,  0,  0,  0,  0,
         0,  0, 14, 16, 16, 14,  0,  0,
         0,  0, 13, 16, 15, 10,  1,  0,
         0,  0, 11, 16, 16,  7,  0,  0,
         0,  0,  0,  4,  7, 16,  7,  0,
         0,  0,  0,  0,  4, 16,  9,  0,
         0,  0,  5,  4, 12, 16,  4,  0,
         0,  0,  9, 16, 16, 10,  0,  0
    },
    {   /* 6 */
         0,  0,  0, 12, 13,  0,  0,  0,
         0,  0,  5, 16,  8,  0,  0,  0,
         0,  0, 13, 16,  3,  0,  0,  0,
         0,  0, 14, 13,  0,  0,  0,  0,
         0,  0, 15, 12,  7,  2,  0,  0,
         0,  0, 13, 16, 13, 16,  3,  0,
         0,  0,  7, 16, 11, 15,  8,  0,
         0,  0,  1,  9, 15, 11,  3,  0
    },
    {   /* 7 */
         0,  0,  7,  8, 13, 16, 15,  1,
         0,  0,  7,  7,  4, 11, 12,  0,
         0,  0,  0,  0,  8, 13,  1,  0,
         0,  4,  8,  8, 15, 15,  6,  0,
         0,  2, 11, 15, 15,  4,  0,  0,
         0,  0,  0, 16,  5,  0,  0,  0,
         0,  0,  9, 15,  1,  0,  0,  0,
         0,  0, 13,  5,  0,  0,  0,  0
    },
    {   /* 8 */
         0,  0,  9, 14,  8,  1,  0,  0,
         0,  0, 12, 14, 14, 12,  0,  0,
         0,  0,  9, 10,  0, 15,  4,  0,
         0,  0,  3, 16, 12, 14,  2,  0,
         0,  0,  4, 16, 16,  2,  0,  0,
         0,  3, 16,  8, 10, 13,  2,  0,
         0,  1, 15,  1,  3, 16,  8,  0,
         0,  0, 11, 16, 15, 11,  1,  0
    },
    {   /* 9 */
         0,  0, 11, 12,  0,  0,  0,  0,
         0,  2, 16, 16, 16, 13,  0,  0,
         0,  3, 16, 12, 10, 14,  0,  0,
         0,  1, 16,  1, 12, 15,  0,  0,
         0,  0, 13, 16,  9, 15,  2,  0,
         0,  0,  0,  3,  0,  9, 11,  0,
         0,  0,  0,  0,  9, 15,  4,  0,
         0,  0,  9, 12, 13,  3,  0,  0
    },
};
/* clang-format on */

static const char setup[] = "using Lux\n"
                            "model = Chain(Dense(64 => 64, relu), Dense(64 => 10))  # as quickstart.lx\n"
                            "saved = load(MODEL_FILE)\n"
                            "classify(x) = onecold(first(model(x, saved.ps, saved.st)), 0:9)\n";

static int fail(lx_State *L, const char *what)
{
    fprintf(stderr, "embed_predict: %s: %s\n%s", what, lx_errmsg(L), lx_traceback(L));
    lx_close(L);
    return 1;
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "quickstart.safetensors";
    lx_State *L = lx_open(NULL);
    if (!L) return 1;
    if (lx_openlibs(L) != LX_OK) return fail(L, "opening the libraries");

    lx_pushstring(L, path, strlen(path));
    lx_setglobal(L, "MODEL_FILE");
    if (lx_dostring(L, setup, sizeof setup - 1, "predict.c") != LX_OK) return fail(L, "loading the model");

    /* one image per column, scaled to [0, 1] as load_digits does */
    float x[10][64];
    for (int i = 0; i < 10; i++)
        for (int p = 0; p < 64; p++)
            x[i][p] = images[i][p] / 16.0f;
    int64_t shape[2] = {64, 10};

    lx_getglobal(L, "classify");
    lx_pushtensor_borrow(L, LX_FLOAT32, 2, shape, x, NULL, NULL);
    if (lx_call(L, 1) != LX_OK) return fail(L, "classify");

    lx_Tensor digits;
    if (!lx_totensor(L, -1, &digits) || digits.dtype != LX_INT64 || digits.numel != 10) {
        fprintf(stderr, "embed_predict: classify returned a %s, not 10 digits\n", lx_typename(L, -1));
        lx_close(L);
        return 1;
    }
    const int64_t *predicted = digits.data;
    int right = 0;
    for (int i = 0; i < 10; i++) {
        printf("image %d (a %d): predicted %lld\n", i + 1, i, (long long)predicted[i]);
        right += predicted[i] == i;
    }
    printf("%d of 10 right\n", right);
    lx_close(L);
    return 0;
}
