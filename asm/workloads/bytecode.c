/* Workload: indirect jumps. A small stack-machine interpreter (its switch
 * compiles to a jump table) running a counting loop program. */
#include "../gcc/rt.h"

enum { PUSH, LOAD, STORE, ADD, SUB, MUL, XOR, DUP, JNZ, JMP, HALT, AND };

static const int program[] = {
    PUSH, 3000000, STORE, 0,  /* n = 3000000 */
    PUSH, 1, STORE, 1,        /* acc = 1 */
    /* loop (pc 8): acc = (acc * 33 ^ n) & 0xffffff; n = n - 1; if n jump loop */
    LOAD, 1, PUSH, 33, MUL, LOAD, 0, XOR, PUSH, 0xffffff, AND, STORE, 1,
    LOAD, 0, PUSH, 1, SUB, DUP, STORE, 0, JNZ, 8,
    HALT,
};

static int run(const int *code)
{
    int stack[64], vars[4] = {0};
    int sp = 0, pc = 0;
    for (;;) {
        switch (code[pc++]) {
        case PUSH: stack[sp++] = code[pc++]; break;
        case LOAD: stack[sp++] = vars[code[pc++]]; break;
        case STORE: vars[code[pc++]] = stack[--sp]; break;
        case ADD: sp--; stack[sp - 1] += stack[sp]; break;
        case SUB: sp--; stack[sp - 1] -= stack[sp]; break;
        case MUL: sp--; stack[sp - 1] *= stack[sp]; break;
        case XOR: sp--; stack[sp - 1] ^= stack[sp]; break;
        case AND: sp--; stack[sp - 1] &= stack[sp]; break;
        case DUP: stack[sp] = stack[sp - 1]; sp++; break;
        case JNZ: if (stack[--sp]) pc = code[pc]; else pc++; break;
        case JMP: pc = code[pc]; break;
        case HALT: return vars[1];
        default: return -1;
        }
    }
}

int main(void)
{
    put_str("bytecode result: ");
    put_int(run(program));
    put_char('\n');
    return 0;
}
