/* Arguments and the exit status, as qemu-mipsel passes and reports them. */
#include <stdio.h>

int main(int argc, char **argv) {
    printf("hello from %d argument(s)\n", argc);
    for (int i = 1; i < argc; i++)
        printf("argv[%d] = %s\n", i, argv[i]);
    return argc + 1;
}
