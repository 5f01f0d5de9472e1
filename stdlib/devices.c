/* devices.c — Lux's devices (MLDataDevices): cpu_device() and gpu_device()
 * give device objects that move a value when called on it (`x |> dev`,
 * `(ps, st) .|> dev`), recursing through tuples, named tuples and Lists;
 * the seed-era cpu(x) and gpu(x); get_device; and the thread count shared by
 * lx's kernels and OpenBLAS (set_num_threads, also as BLAS.set_num_threads).
 * Only the CPU backend exists yet: gpu_device() warns once per state and
 * gives the CPU device, and moving to the CPU returns the same tensors.
 */
#include "tensor.h"

#include <string.h>

static const char device_src[] = "abstract type AbstractDevice end\n"
                                 "struct CPUDevice <: AbstractDevice end\n"
                                 "struct CUDADevice <: AbstractDevice end\n";

static lx_Value device_value(lx_State *L, const char *type)
{
    lx_Value t = lxG_get(L, type), none = lxO_nothing(); /* no fields (a pointer all the same: memcpy) */
    return lxV_new_struct(L, lxO_as(lxO_type, t), &none, 0);
}

/* ---- moving values ------------------------------------------------------------------------------ */

#define MAX_DEPTH 200

/* The values inside a tuple, named tuple or List (their leaves for Functors), and how many; NULL and 0
 * for anything else. */
static lx_Value *container_items(lx_Value v, int64_t *n)
{
    if (lxO_is(v, LXO_TUPLE)) {
        *n = lxO_as(lxO_tuple, v)->n;
        return lxO_as(lxO_tuple, v)->items;
    }
    if (lxO_is(v, LXO_NTUPLE)) {
        *n = lxO_as(lxO_ntuple, v)->n;
        return lxO_as(lxO_ntuple, v)->vals;
    }
    if (lxO_is(v, LXO_LIST)) {
        *n = (int64_t)lxO_as(lxO_list, v)->n;
        return lxO_as(lxO_list, v)->items;
    }
    *n = 0;
    return NULL;
}

/* v with every tensor on the CPU, rebuilding a container only when
 * something in it changed (so moving CPU values gives them back as they are). */
static lx_Value to_cpu(lx_State *L, lx_Value v, int depth)
{
    if (depth > MAX_DEPTH)
        lxE_error(L, LXT_ArgumentError, "cpu_device: values nested more than %d deep (a cycle?)", MAX_DEPTH);
    if (lxL_istensor(v)) {
        if (nn_tensor_device(lxL_tval(v)) == NN_CPU) return v;
        lxE_error(L, LXT_ArgumentError, "cpu_device: this build has no other device to move a tensor from");
    }
    int64_t n = 0;
    lx_Value *items = container_items(v, &n);
    for (int64_t i = 0; i < n; i++) {
        lx_Value m = to_cpu(L, items[i], depth + 1);
        if (!lxO_egal(m, items[i])) /* a CUDA build copies the container here */
            lxE_error(L, LXT_ErrorException, "cpu_device: internal error: a moved value inside a container");
    }
    return v; /* numbers, strings, structs, functions, ...: unchanged, as Functors' leaves */
}

/* The device a value's tensors live on: the first tensor's, nothing when it holds none. */
static lx_Value device_of(lx_State *L, lx_Value v, int depth)
{
    if (depth > MAX_DEPTH)
        lxE_error(L, LXT_ArgumentError, "get_device: values nested more than %d deep (a cycle?)", MAX_DEPTH);
    if (lxL_istensor(v))
        return device_value(L, nn_tensor_device(lxL_tval(v)) == NN_CPU ? "CPUDevice" : "CUDADevice");
    int64_t n = 0;
    lx_Value *items = container_items(v, &n);
    for (int64_t i = 0; i < n; i++) {
        lx_Value d = device_of(L, items[i], depth + 1);
        if (d.tag != LX_TNOTHING) return d;
    }
    return lxO_nothing();
}

static lx_Value d_apply_cpu(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return to_cpu(L, a[1], 0);
}

static lx_Value d_apply_cuda(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lxE_error(L, LXT_ArgumentError,
              "CUDADevice: lx was built without its CUDA backend; use gpu_device(), which falls back to "
              "the CPU");
}

static lx_Value d_cpu_device(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return device_value(L, "CPUDevice");
}

/* The method's data is a box holding whether this state has warned. */
static lx_Value d_gpu_device(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lx_Value force = lxL_kw(L, kw, "force", lxO_bool(false));
    if (force.tag != LX_TBOOL) lxE_typeerror(L, "gpu_device: keyword force", "Bool", force);
    if (force.v.b)
        lxE_error(
            L, LXT_ErrorException,
            "gpu_device: no functional GPU backend found, and force = true (lx was built without CUDA)");
    if (lxO_is(L->cself, LXO_BOX) && !lxO_as(lxO_box, L->cself)->v.v.b) {
        lxO_as(lxO_box, L->cself)->v = lxO_bool(true);
        static const char warning[] =
            "┌ Warning: No functional GPU backend found! Defaulting to CPU.\n"
            "└ lx was built without a GPU backend; gpu_device() gives the CPU device.\n";
        lxE_write(L, 2, warning, sizeof warning - 1);
    }
    return device_value(L, "CPUDevice");
}

static lx_Value d_cpu(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return to_cpu(L, a[0], 0);
}

static lx_Value d_gpu(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    lx_Value dev = lxL_callg(L, "gpu_device", NULL, 0);
    (void)dev; /* the CPU device: no CUDA backend yet */
    return to_cpu(L, a[0], 0);
}

static lx_Value d_get_device(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return device_of(L, a[0], 0);
}

/* ---- threads ---------------------------------------------------------------------------------------- */

static lx_Value d_set_num_threads(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    int64_t k = lxL_int(L, a, 0, "set_num_threads");
    if (k < 1)
        lxE_error(L, LXT_ArgumentError, "set_num_threads: the count must be at least 1, got %lld",
                  (long long)k);
    nn_set_num_threads(k > 256 ? 256 : (int)k);
    return lxO_nothing();
}

static lx_Value d_get_num_threads(lx_State *L, lx_Value *a, int n, lx_Value kw)
{
    return lxO_int(nn_get_num_threads());
}

#define EX(body) "\n\n# Examples\n```\n" body "```"

static const lxL_Reg devices_lib[] = {
    {"cpu_device", "()", d_cpu_device,
     "    cpu_device()\n\nThe CPU device, `CPUDevice()`. Calling it on a value moves the value's tensors to "
     "the "
     "CPU, recursing through tuples, named tuples and Lists (other values come back unchanged), so `ps, st "
     "= (ps, st) |> cpu_device()` and `(ps, st) .|> cpu_device()` both work. Tensors already on the CPU are "
     "given back as they are, not copied."
     "\n\n# Returns\n`CPUDevice()`." EX("lx> dev = cpu_device()\nCPUDevice()\n\nlx> x = [1.0, "
                                        "2.0];\n\nlx> (x |> dev) === x\ntrue\n\nlx> ps, "
                                        "st = ((w = x,), (;)) .|> dev;\n\nlx> ps.w === x\ntrue\n")},
    {"gpu_device", "(; force = false)", d_gpu_device,
     "    gpu_device(; force = false)\n\nThe GPU device when lx has a functional GPU backend. Without one "
     "(this build: the CUDA backend has not arrived yet) it warns once per session, as Lux does, and gives "
     "the CPU device, so scripts written for a GPU run on the CPU; with `force = true` that is an error "
     "instead."
     "\n\n# Arguments\nNone positional.\n\n# Keyword Arguments\n- `force = false`: raise an error, rather "
     "than warn and fall back to the CPU, when there is no functional GPU backend.\n\n# Returns\nThe GPU "
     "device (a `CUDADevice`) when there is a backend; otherwise `CPUDevice()`." EX(
         "lx> dev = gpu_device()\n┌ Warning: No functional GPU backend found! Defaulting to CPU.\n└ "
         "lx was built without a GPU backend; gpu_device() gives the CPU device.\nCPUDevice()\n\nlx> "
         "gpu_device()\nCPUDevice()\n")},
    {"apply", "(d::CPUDevice, x)", d_apply_cpu,
     "    (dev::CPUDevice)(x)\n\nMoves x to the CPU: `x |> dev`, see `cpu_device`."
     "\n\n# Arguments\n- `dev`: the `CPUDevice`.\n- `x`: any value: a tensor, or tuples, named tuples and "
     "Lists holding tensors.\n\n# Returns\n`x` with its tensors on the CPU; here, where every tensor is, `x` "
     "itself." EX("lx> (1, [2, 3]) |> cpu_device()\n(1, [2, 3])\n")},
    {"apply", "(d::CUDADevice, x)", d_apply_cuda,
     "    (dev::CUDADevice)(x)\n\nMoves x to the GPU; an error in a build without the CUDA backend."
     "\n\n# Arguments\n- `dev`: the `CUDADevice`.\n- `x`: any value holding tensors.\n\n# Returns\n`x` with "
     "its tensors on the GPU; in this build, an `ArgumentError` instead." EX(
         "lx> try [1.0] |> CUDADevice() catch e; e isa ArgumentError end\ntrue\n")},
    {"cpu", "(x)", d_cpu,
     "    cpu(x)\n\nThe seed-era spelling of `x |> cpu_device()`."
     "\n\n# Arguments\n- `x`: any value: a tensor, or tuples, named tuples and Lists holding tensors.\n\n# "
     "Returns\n`x |> cpu_device()`: `x` with its tensors on the CPU." EX("lx> cpu((a = 1,))\n(a = 1,)\n")},
    {"gpu", "(x)", d_gpu,
     "    gpu(x)\n\nThe seed-era spelling of `x |> gpu_device()` (so it warns once without a GPU)."
     "\n\n# Arguments\n- `x`: any value: a tensor, or tuples, named tuples and Lists holding tensors.\n\n# "
     "Returns\n`x |> gpu_device()`: without a GPU backend, `x` unchanged." EX(
         "lx> gpu(2.5)\n┌ Warning: No functional GPU backend found! Defaulting to CPU.\n└ lx was built "
         "without a GPU backend; gpu_device() gives the CPU device.\n2.5\n")},
    {"get_device", "(x)", d_get_device,
     "    get_device(x)\n\nThe device x's tensors live on (`CPUDevice()`), looking through tuples, named "
     "tuples "
     "and Lists; `nothing` when x holds no tensor."
     "\n\n# Arguments\n- `x`: any value: a tensor, or tuples, named tuples and Lists holding tensors.\n\n# "
     "Returns\nThe device of the first tensor found (`CPUDevice()` in this build), or `nothing`." EX(
         "lx> get_device([1.0, 2.0])\nCPUDevice()\n\nlx> get_device((1, (w = [1, 2],)))\nCPUDevice()\n\nlx> "
         "get_device(3) === nothing\ntrue\n")},
    {"set_num_threads", "(n::Integer)", d_set_num_threads,
     "    set_num_threads(n)\n    BLAS.set_num_threads(n)\n\nSets the number of threads lx's kernels and "
     "OpenBLAS use (one pool for the whole process, at most 256; at start it is `LX_NUM_THREADS` or the "
     "number of cores)."
     "\n\n# Arguments\n- `n`: the number of threads, an integer of at least 1 (an `ArgumentError` "
     "otherwise); counts over 256 are taken as 256.\n\n# Returns\n`nothing`." EX(
         "lx> set_num_threads(2)\n\nlx> get_num_threads()\n2\n")},
    {"get_num_threads", "()", d_get_num_threads,
     "    get_num_threads()\n    BLAS.get_num_threads()\n\nThe number of threads lx's kernels and OpenBLAS "
     "use."
     "\n\n# Returns\nAn `Int`, at least 1." EX("lx> get_num_threads() >= 1\ntrue\n")},
    {NULL, NULL, NULL, NULL}};

void lxL_open_devices(lx_State *L)
{
    lxK_dosource(L, device_src, sizeof device_src - 1, "devices.c");
    lxL_register(L, devices_lib);
    /* gpu_device's once-per-state warning flag */
    lx_Value g = lxG_get(L, "gpu_device");
    if (lxO_is(g, LXO_GENERIC)) {
        lxO_generic *gf = lxO_as(lxO_generic, g);
        for (int i = 0; i < gf->n; i++)
            if (gf->methods[i].cfn == d_gpu_device) {
                lxO_box *box = lxO_box_new(L);
                box->v = lxO_bool(false);
                gf->methods[i].data = lxO_obj(box);
            }
    }
    lxL_setdoc(
        L, "AbstractDevice",
        "    AbstractDevice\n\nThe supertype of the device objects `cpu_device()` and `gpu_device()` give "
        "(`CPUDevice`, `CUDADevice`), as in Lux (MLDataDevices).\n\n# Arguments\nNone: an abstract type is "
        "not called.\n\n# Returns\nNothing is built from `AbstractDevice` itself; `cpu_device()` and "
        "`gpu_device()` return devices.\n\n# Examples\n```\nlx> cpu_device() isa "
        "AbstractDevice\ntrue\n```");
    lxL_setdoc(
        L, "CPUDevice",
        "    CPUDevice()\n\nThe CPU as a device: call it on a value to move the value's tensors to the CPU. "
        "`cpu_device()` gives it.\n\n# Returns\nThe CPU device, a `CPUDevice` (the value `cpu_device()` "
        "returns).\n\n# Examples\n```\nlx> CPUDevice() == cpu_device()\ntrue\n```");
    lxL_setdoc(
        L, "CUDADevice",
        "    CUDADevice()\n\nAn NVIDIA GPU as a device. This build has no CUDA backend: `gpu_device()` "
        "gives the CPU device instead, and moving a value with `CUDADevice()` is an error.\n\n# Returns\nA "
        "`CUDADevice`; in this build using it to move a value is an `ArgumentError`.\n\n# "
        "Examples\n```\nlx> gpu_device() isa CUDADevice\n┌ Warning: No functional GPU backend found! "
        "Defaulting to CPU.\n└ lx was built without a GPU backend; gpu_device() gives the CPU "
        "device.\nfalse\n```");
    lxL_module(L, "BLAS",
               "    LinearAlgebra.BLAS\n\nThe BLAS module of LinearAlgebra: `BLAS.set_num_threads(n)` and "
               "`BLAS.get_num_threads()` are lx's `set_num_threads` and `get_num_threads` (one thread count "
               "for lx's kernels and OpenBLAS).\n\n# Arguments\nNone: a module, not called; use its "
               "functions `BLAS.set_num_threads(n)` and `BLAS.get_num_threads()`.\n\n# Examples\n```\nlx> "
               "LinearAlgebra.BLAS.get_num_threads() "
               "== get_num_threads()\ntrue\n```");
}
