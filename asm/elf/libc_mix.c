#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <math.h>
static jmp_buf jb;
static int cmp(const void *a, const void *b) { return *(const int*)a - *(const int*)b; }
int main(void) {
    int n = 200000; int *a = malloc(n * sizeof *a);
    unsigned s = 12345; for (int i = 0; i < n; i++) { s = s * 1103515245 + 12345; a[i] = s >> 8; }
    qsort(a, n, sizeof *a, cmp);
    long long sum = 0; for (int i = 0; i < n; i += 1000) sum += a[i];
    printf("sum %lld\n", sum);
    double d = 0; for (int i = 1; i < 1000; i++) d += sqrt((double)i) / i;
    printf("d=%.10f %g %e\n", d, d * 1e10, 1.0/3);
    if (setjmp(jb) == 0) { longjmp(jb, 7); } else printf("longjmp ok\n");
    char buf[64]; snprintf(buf, sizeof buf, "%08x|%-5s|%5.2f", 0xbeef, "ab", 2.5); puts(buf);
    void *big = malloc(50 << 20); memset(big, 3, 50 << 20); printf("big %d\n", ((char*)big)[12345]); free(big);
    char *p = realloc(NULL, 10); for (int i = 0; i < 20; i++) p = realloc(p, 1000 << i); printf("realloc ok\n");
    fprintf(stderr, "to stderr\n");
    return 0;
}
