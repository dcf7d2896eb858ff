/* Under myvmm, files exist only inside --allow-files: every way out fails.
 * The folder is the root: "/inside.txt" and "/tmp/inside.txt" are in it. */
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>

static void try(const char *path) {
    int fd = open(path, O_RDONLY);
    printf("%-16s %s\n", path, fd < 0 ? "refused" : "OPENED");
    if (fd >= 0) close(fd);
}

int main(void) {
    try("/etc/passwd");
    try("../escape.c");
    try("inside.txt");
    try("/inside.txt");
    try("/tmp/inside.txt");
    try("/../escape.c");
    return 0;
}
