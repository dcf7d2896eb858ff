/* Workload: word loads and multiplies. Integer matrix products. */
#include "../gcc/rt.h"

#define N 200
static int a[N][N], b[N][N], c[N][N];

int main(void)
{
    unsigned seed = 7;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            seed = seed * 1664525u + 1013904223u;
            a[i][j] = (int)(seed >> 24) - 128;
            seed = seed * 1664525u + 1013904223u;
            b[i][j] = (int)(seed >> 24) - 128;
        }
    unsigned checksum = 0;
    for (int round = 0; round < 24; round++) {
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++) {
                int sum = 0;
                for (int k = 0; k < N; k++)
                    sum += a[i][k] * b[k][j];
                c[i][j] = sum;
            }
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++)
                checksum = checksum * 31u + (unsigned)c[i][j];
        a[round][round] += 1;
    }
    put_str("matmul checksum: ");
    put_int((int)checksum);
    put_char('\n');
    return 0;
}
