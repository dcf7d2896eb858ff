/* Primes below 200 by trial division, and a few greatest common divisors. */
#include "rt.h"

static int is_prime(int n)
{
    if (n < 2)
        return 0;
    for (int d = 2; d * d <= n; d++)
        if (n % d == 0)
            return 0;
    return 1;
}

static int gcd(int a, int b)
{
    while (b != 0) {
        int t = a % b;
        a = b;
        b = t;
    }
    return a;
}

int main(void)
{
    int count = 0;
    for (int n = 0; n < 200; n++) {
        if (is_prime(n)) {
            put_int(n);
            put_char(++count % 10 == 0 ? '\n' : ' ');
        }
    }
    put_char('\n');
    put_str("primes: ");
    put_int(count);
    put_char('\n');
    static const int pairs[][2] = {{1071, 462}, {270, 192}, {17, 5}, {-48, 18}, {0, 9}};
    for (unsigned i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        put_str("gcd(");
        put_int(pairs[i][0]);
        put_char(',');
        put_int(pairs[i][1]);
        put_str(") = ");
        put_int(gcd(pairs[i][0], pairs[i][1]));
        put_char('\n');
    }
    return 0;
}
