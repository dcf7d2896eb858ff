/* The environment, as the kernel (and qemu-mipsel) passes it. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv, char **envp) {
    int n = 0;
    for (char **e = envp; *e; e++) n++;
    printf("%d variable(s); GREETING=%s; MISSING=%s\n", n, getenv("GREETING"),
           getenv("MISSING") ? "set" : "(unset)");
    return argc;
}
