/* The assembler's built-in memcpy, memset, memmove and memcmp (linked in
 * because this program calls them without defining them), checked against
 * byte-at-a-time references: every length 0..64, every alignment of source
 * and destination, and memmove over overlaps both ways. */
#include "rt.h"

typedef unsigned int size_t;
void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);

#define SIZE 160
static unsigned char buf[SIZE], ref[SIZE], tmp[SIZE];
static unsigned seed = 12345;
static int checks, failures;

static unsigned char rnd(void)
{
    seed = seed * 1103515245u + 12345u;
    return (unsigned char)(seed >> 16);
}

static void fill(void)
{
    for (int i = 0; i < SIZE; i++)
        buf[i] = ref[i] = rnd();
}

static void check(int ok, const char *what, int n, int d, int s)
{
    checks++;
    if (ok)
        return;
    failures++;
    if (failures > 10)
        return;
    put_str(what);
    put_str(" failed: n=");
    put_int(n);
    put_str(" dst=");
    put_int(d);
    put_str(" src=");
    put_int(s);
    put_char('\n');
}

static int same(void)
{
    for (int i = 0; i < SIZE; i++)
        if (buf[i] != ref[i])
            return 0;
    return 1;
}

static int sign(int v) { return v > 0 ? 1 : v < 0 ? -1 : 0; }

int main(void)
{
    for (int n = 0; n <= 64; n++) {
        for (int d = 0; d < 4; d++) {
            for (int s = 0; s < 4; s++) {
                fill();
                void *r = memcpy(buf + 8 + d, buf + 84 + s, n);
                for (int i = 0; i < n; i++)
                    ref[8 + d + i] = ref[84 + s + i];
                check(same() && r == buf + 8 + d, "memcpy", n, d, s);

                fill();
                r = memset(buf + 8 + d, 0x1a5 + s, n);
                for (int i = 0; i < n; i++)
                    ref[8 + d + i] = (unsigned char)(0xa5 + s);
                check(same() && r == buf + 8 + d, "memset", n, d, s);
            }
        }
        /* Overlaps both ways: dst = src + shift, every alignment of src. */
        for (int s = 0; s < 4; s++) {
            for (int shift = -9; shift <= 9; shift++) {
                int src = 40 + s, dst = 40 + s + shift;
                fill();
                for (int i = 0; i < n; i++)
                    tmp[i] = ref[src + i];
                for (int i = 0; i < n; i++)
                    ref[dst + i] = tmp[i];
                void *r = memmove(buf + dst, buf + src, n);
                check(same() && r == buf + dst, "memmove", n, dst, src);
            }
        }
        /* memcmp: equal, then one byte different at the start, middle, end. */
        fill();
        for (int d = 0; d < 4; d++) {
            for (int s = 0; s < 4; s++) {
                unsigned char *a = buf + 8 + d, *b = buf + 84 + s;
                for (int i = 0; i < n; i++)
                    b[i] = a[i];
                check(memcmp(a, b, n) == 0, "memcmp equal", n, d, s);
                if (n == 0)
                    continue;
                int at[3] = {0, n / 2, n - 1};
                for (int k = 0; k < 3; k++) {
                    int p = at[k];
                    unsigned char saved = b[p];
                    b[p] = (unsigned char)(a[p] + 1 + k * 100);
                    int want = (int)a[p] - (int)b[p];
                    check(memcmp(a, b, n) == want && sign(memcmp(b, a, n)) == -sign(want),
                          "memcmp differ", n, d, s);
                    b[p] = saved;
                }
            }
        }
    }
    put_int(checks);
    put_str(" checks, ");
    put_int(failures);
    put_str(" failures\n");
    return failures != 0;
}
