/* Recursive Fibonacci numbers and a checksum over them. */
#include "rt.h"

static int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

int main(void)
{
    unsigned checksum = 0;
    for (int i = 0; i <= 20; i++) {
        int f = fib(i);
        checksum = checksum * 31u + (unsigned)f;
        put_int(f);
        put_char(i == 20 ? '\n' : ' ');
    }
    put_str("checksum ");
    put_int((int)checksum);
    put_char('\n');
    return 0;
}
