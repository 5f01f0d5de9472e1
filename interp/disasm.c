/* disasm.c — prints a proto's bytecode (for debugging the compiler: set
 * LX_DISASM=1 in the environment and every compiled chunk is listed on
 * stderr). */
#include "runtime.h"

#include <stdio.h>

void lxK_disasm(lx_State *L, const lxO_proto *p, int depth)
{
    char line[256];
    int n = snprintf(line, sizeof line, "%*s%s (%d regs, %d consts)\n", depth * 2, "",
                     p->name ? p->name->data : "?", p->maxstack, p->nk);
    lxE_write(L, 2, line, (size_t)n);
    for (int i = 0; i < p->ncode; i++) {
        uint32_t ins = p->code[i];
        lxK_opcode op = LXK_OP(ins);
        if (op >= LXK_NUM_OPCODES) op = 0;
        n = snprintf(line, sizeof line, "%*s  %4d [%3d] %-10s A=%u B=%u C=%u sBx=%d sJ=%d\n", depth * 2, "",
                     i, p->lines[i], lxK_opnames[op], LXK_A(ins), LXK_B(ins), LXK_C(ins), LXK_SBX(ins),
                     LXK_SJ(ins));
        lxE_write(L, 2, line, (size_t)n);
        if (op == BC_CALL || op == BC_GETFIELD || op == BC_SETFIELD || op == BC_NTUPLE || op == BC_GETBOX ||
            op == BC_GETUP || op == BC_METHOD || op == BC_STRUCT)
            i++; /* the extra word */
    }
    for (int i = 0; i < p->nprotos; i++)
        lxK_disasm(L, p->protos[i], depth + 1);
}
