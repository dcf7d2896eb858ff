/* Workload: byte-array memory. The sieve of Eratosthenes over 2,000,000
 * numbers, run several times. */
#include "../gcc/rt.h"

#define LIMIT 2000000
static unsigned char composite[LIMIT + 1];

static int sieve(void)
{
    for (int i = 0; i <= LIMIT; i++)
        composite[i] = 0;
    int count = 0;
    for (int i = 2; i <= LIMIT; i++) {
        if (!composite[i]) {
            count++;
            for (int j = i + i; j <= LIMIT; j += i)
                composite[j] = 1;
        }
    }
    return count;
}

int main(void)
{
    int count = 0;
    for (int round = 0; round < 24; round++)
        count = sieve();
    put_str("primes below 2000001: ");
    put_int(count);
    put_char('\n');
    return 0;
}
