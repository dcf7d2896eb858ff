/* Quicksort of pseudo-random numbers from a linear congruential generator. */
#include "rt.h"

#define N 64
static int values[N];

static void quicksort(int *a, int lo, int hi)
{
    while (lo < hi) {
        int pivot = a[(lo + hi) / 2];
        int i = lo, j = hi;
        while (i <= j) {
            while (a[i] < pivot)
                i++;
            while (a[j] > pivot)
                j--;
            if (i <= j) {
                int t = a[i];
                a[i++] = a[j];
                a[j--] = t;
            }
        }
        if (j - lo < hi - i) {
            quicksort(a, lo, j);
            lo = i;
        } else {
            quicksort(a, i, hi);
            hi = j;
        }
    }
}

int main(void)
{
    unsigned seed = 12345;
    for (int i = 0; i < N; i++) {
        seed = seed * 1103515245u + 12345u;
        values[i] = (int)(seed >> 16) % 1000 - 500;
    }
    quicksort(values, 0, N - 1);
    int ok = 1;
    for (int i = 0; i < N; i++) {
        put_int(values[i]);
        put_char(i % 16 == 15 ? '\n' : ' ');
        if (i > 0 && values[i - 1] > values[i])
            ok = 0;
    }
    put_str(ok ? "sorted\n" : "NOT SORTED\n");
    return 0;
}
