/* Workload: recursive calls. fib(37..38) the naive way. */
#include "../gcc/rt.h"

static int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

int main(void)
{
    for (int n = 37; n <= 38; n++) {
        put_str("fib(");
        put_int(n);
        put_str(") = ");
        put_int(fib(n));
        put_char('\n');
    }
    return 0;
}
