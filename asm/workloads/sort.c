/* Workload: data-dependent branches. Shell sort and insertion sort of
 * pseudo-random numbers, checked. */
#include "../gcc/rt.h"

#define N 200000
static int values[N];

static void shell_sort(int *v, int n)
{
    static const int gaps[] = {68491, 22861, 7621, 2537, 841, 281, 93, 31, 10, 4, 1};
    for (unsigned g = 0; g < sizeof gaps / sizeof gaps[0]; g++) {
        int gap = gaps[g];
        for (int i = gap; i < n; i++) {
            int x = v[i], j = i;
            while (j >= gap && v[j - gap] > x) {
                v[j] = v[j - gap];
                j -= gap;
            }
            v[j] = x;
        }
    }
}

int main(void)
{
    unsigned seed = 2024;
    long long sum = 0;
    for (int round = 0; round < 10; round++) {
        for (int i = 0; i < N; i++) {
            seed = seed * 1103515245u + 12345u;
            values[i] = (int)(seed >> 8) % 100000;
        }
        shell_sort(values, N);
        for (int i = 1; i < N; i++)
            if (values[i - 1] > values[i]) {
                put_str("NOT SORTED\n");
                return 1;
            }
        sum += values[N / 2];
    }
    put_str("sorted; medians sum to ");
    put_int((int)sum);
    put_char('\n');
    return 0;
}
