/* A store through a null pointer: the process dies of SIGSEGV (139). */
#include <stdio.h>

int main(int argc, char **argv) {
    printf("before the fault\n");
    fflush(stdout);
    volatile int *p = (volatile int *)(argc - 1);
    *p = 42;
    return 0;
}
