/* Workload: the Mandelbrot set on a 600 x 400 grid, up to 200 iterations
 * per point, in single precision (float). Prints the number of points in
 * the set and a checksum of the iteration counts. */
#include "../gcc/rt.h"

FP_MAIN(fp_main)
{
    int inside = 0;
    unsigned sum = 0;
    for (int py = 0; py < 400; py++) {
        float ci = -1.2f + py * (2.4f / 400);
        for (int px = 0; px < 600; px++) {
            float cr = -2.1f + px * (3.0f / 600);
            float zr = 0, zi = 0;
            int n = 0;
            while (n < 200 && zr * zr + zi * zi <= 4.0f) {
                float t = zr * zr - zi * zi + cr;
                zi = 2.0f * zr * zi + ci;
                zr = t;
                n++;
            }
            inside += n == 200;
            sum = sum * 31 + n;
        }
    }
    put_int(inside);
    put_char(' ');
    put_int((int)sum);
    put_char('\n');
    return 0;
}
