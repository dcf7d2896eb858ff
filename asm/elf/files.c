/* Files inside the allowed folder, and standard input. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <fcntl.h>

int main(void) {
    FILE *f = fopen("out.txt", "w");
    if (!f) { puts("fopen for writing failed"); return 1; }
    for (int i = 0; i < 1000; i++) fprintf(f, "line %d\n", i);
    fclose(f);
    struct stat st;
    if (stat("out.txt", &st) == 0) printf("size %lld regular %d\n", (long long)st.st_size, S_ISREG(st.st_mode));
    f = fopen("out.txt", "r");
    fseek(f, -9, SEEK_END);
    char buf[64];
    fgets(buf, sizeof buf, f);
    printf("last: %s", buf);
    rewind(f);
    int lines = 0;
    while (fgets(buf, sizeof buf, f)) lines++;
    printf("lines %d\n", lines);
    fclose(f);
    int fd = open("out.txt", O_RDONLY);
    printf("lseek %ld\n", (long)lseek(fd, 0, SEEK_END));
    close(fd);
    printf("missing: %p\n", (void *)fopen("no-such-file", "r"));
    /* Update in place, rename, remove. */
    f = fopen("out.txt", "r+");
    fseek(f, 5, SEEK_SET);
    fputs("ONE", f);
    fclose(f);
    f = fopen("out.txt", "r");
    fgets(buf, sizeof buf, f);
    printf("patched: %s", buf);
    fclose(f);
    printf("rename %d access %d\n", rename("out.txt", "moved.txt"), access("moved.txt", R_OK));
    printf("old gone %d\n", access("out.txt", R_OK) != 0);
    printf("remove %d then %d\n", remove("moved.txt"), access("moved.txt", R_OK) != 0);
    fd = open("excl.txt", O_WRONLY | O_CREAT | O_EXCL, 0644);
    printf("exclusive create %d, again %d\n", fd >= 0, open("excl.txt", O_WRONLY | O_CREAT | O_EXCL, 0644) < 0);
    close(fd);
    remove("excl.txt");
    char word[32];
    int n, total = 0;
    while (scanf("%31s %d", word, &n) == 2) { printf("%s=%d\n", word, n); total += n; }
    printf("total %d\n", total);
    return 0;
}
