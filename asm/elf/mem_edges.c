/* Memory calls at their edges (each once crashed myvmm, not the guest):
   moving a read-only or inaccessible mapping with mremap, shrinking the
   break onto a page the program made read-only, and mremap of nothing. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>

int main(void) {
    /* A read-only page with data in it, right below another mapping, moved. */
    char *high = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *low = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    strcpy(low, "kept across the move");
    mprotect(low, 4096, PROT_READ);
    char *moved = mremap(low, 4096, 8192, MREMAP_MAYMOVE);
    printf("read-only move: %s, %s\n", moved == MAP_FAILED ? "failed" : "moved", moved == MAP_FAILED ? "" : moved);
    /* The same with an inaccessible page. */
    char *none = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    strcpy(none, "hidden");
    mprotect(none, 4096, PROT_NONE);
    char *back = mremap(none, 4096, 3 * 4096, MREMAP_MAYMOVE);
    if (back != MAP_FAILED && mprotect(back, 4096, PROT_READ) == 0)
        printf("inaccessible move: %s\n", back);
    /* Shrinking the break onto a page made read-only. */
    char *brk0 = (char *)syscall(SYS_brk, 0);
    syscall(SYS_brk, brk0 + 0x2000);
    brk0[0x1000] = 'x';
    mprotect(brk0 + 0x1000, 0x1000, PROT_READ);
    long shrunk = syscall(SYS_brk, brk0 + 0x1800);
    printf("brk shrink: %s, byte %c\n", shrunk == (long)(brk0 + 0x1800) ? "ok" : "refused", brk0[0x1000]);
    /* mremap of nothing fails. */
    void *nothing = mremap((void *)0x40000000, 0, 64 << 20, 0);
    printf("mremap of nothing: %s\n", nothing == MAP_FAILED ? "failed" : "succeeded");
    munmap(high, 4096);
    return 0;
}
