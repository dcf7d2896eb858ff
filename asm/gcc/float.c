/* Floating point as GCC -O2 compiles it for the default FP mode (-mfpxx):
 * lwc1/ldc1 with %lo, .rdata constants, mfhc1/mthc1, conversions. Results
 * print as integers and raw bits, checked against qemu-mipsel. */
#include "rt.h"

float scale = 1.5f;
double bias = 0.1;
static const double table[4] = {1.0, 2.5, -3.25, 1e-300};

static void put_hex(unsigned v)
{
    char buf[8];
    for (int i = 7; i >= 0; i--, v >>= 4)
        buf[i] = "0123456789abcdef"[v & 15];
    put_bytes(buf, 8);
}

__attribute__((noinline)) float fmul_add(float a, float b) { return a * b + scale; }
__attribute__((noinline)) double fdiv(double a, int i) { return a / table[i & 3] + bias; }

int main(void)
{
    double acc = 0;
    float f = 0;
    for (int i = 0; i < 10; i++) {
        acc += fdiv(i * 0.5, i);
        f += fmul_add((float)i, 2.0f);
    }
    /* Static, not on the stack: MARS's initial $sp (0x7fffeffc) is not
     * 8-byte aligned, and ldc1/sdc1 fault on unaligned addresses. */
    static union { double d; unsigned u[2]; } v;
    static union { float f; unsigned u; } w;
    v.d = acc;
    w.f = f;
    put_int((int)acc);
    put_char(' ');
    put_hex(v.u[1]);
    put_hex(v.u[0]);
    put_char(' ');
    put_int((int)f);
    put_char(' ');
    put_hex(w.u);
    put_char('\n');
    double s = 0;
    for (int i = 1; i <= 1000; i++)
        s += 1.0 / ((double)i * i);
    put_int((int)(s * 1e6));
    put_char('\n');
    return 0;
}
