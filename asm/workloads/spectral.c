/* Workload: spectral norm of the Computer Language Benchmarks Game
 * (n = 400, ten power iterations), in double precision. Prints the norm in
 * units of 1e-9. */
#include "../gcc/rt.h"

#define N 400

static double u[N], v[N], t[N];

static double a(int i, int j) { return 1.0 / ((i + j) * (i + j + 1) / 2 + i + 1); }

static void mul_av(const double *x, double *y)
{
    for (int i = 0; i < N; i++) {
        double s = 0;
        for (int j = 0; j < N; j++)
            s += a(i, j) * x[j];
        y[i] = s;
    }
}

static void mul_atv(const double *x, double *y)
{
    for (int i = 0; i < N; i++) {
        double s = 0;
        for (int j = 0; j < N; j++)
            s += a(j, i) * x[j];
        y[i] = s;
    }
}

static void mul_atav(const double *x, double *y)
{
    mul_av(x, t);
    mul_atv(t, y);
}

FP_MAIN(fp_main)
{
    for (int i = 0; i < N; i++)
        u[i] = 1;
    for (int i = 0; i < 10; i++) {
        mul_atav(u, v);
        mul_atav(v, u);
    }
    double vbv = 0, vv = 0;
    for (int i = 0; i < N; i++) {
        vbv += u[i] * v[i];
        vv += v[i] * v[i];
    }
    put_int((int)(__builtin_sqrt(vbv / vv) * 1e9));
    put_char('\n');
    return 0;
}
