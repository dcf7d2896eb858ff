/* Descriptors as a C library uses them: dup, dup2, dup3 (freopen),
 * fcntl's status flags and F_DUPFD (fdopen), and the errno of a failed
 * open (mkstemp retries only on EEXIST). Compared with qemu-mipsel. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void show(const char *what, long r) {
    printf("%-28s %ld errno %d\n", what, r, r < 0 ? errno : 0);
    errno = 0;
}

int main(void) {
    int fd = open("d.txt", O_CREAT | O_RDWR | O_TRUNC, 0644);
    show("open rw", fd >= 0);
    show("F_GETFL rw", fcntl(fd, F_GETFL) & (O_ACCMODE | O_APPEND));
    int ro = open("d.txt", O_RDONLY);
    show("F_GETFL ro", fcntl(ro, F_GETFL) & (O_ACCMODE | O_APPEND));
    int ap = open("d.txt", O_WRONLY | O_APPEND);
    show("F_GETFL append", fcntl(ap, F_GETFL) & (O_ACCMODE | O_APPEND));
    show("F_GETFL bad fd", fcntl(99, F_GETFL));
    show("O_EXCL existing", open("d.txt", O_CREAT | O_EXCL | O_WRONLY, 0644));
    show("missing", open("no/such/file", O_RDONLY));
    show("a directory for writing", open(".", O_WRONLY));

    /* A duplicate shares the offset. */
    write(fd, "hello world\n", 12);
    int copy = dup(fd);
    show("dup", copy > fd);
    lseek(copy, 6, SEEK_SET);
    char buf[16] = {0};
    read(fd, buf, 5);
    printf("read through the original: %s\n", buf);
    show("dup2 onto itself", dup2(copy, copy) == copy);
    show("dup3 onto itself", dup3(copy, copy, 0));
    show("dup of a closed fd", dup(77));
    show("F_DUPFD >= 20", fcntl(fd, F_DUPFD, 20));

    /* fdopen checks the mode against F_GETFL. */
    FILE *f = fdopen(dup(fd), "w+");
    show("fdopen w+", f != NULL);
    if (f) fclose(f);

    /* freopen onto an open stream (dup3 underneath). */
    FILE *a = fopen("a.txt", "w");
    fputs("first\n", a);
    FILE *b = freopen("b.txt", "w", a);
    show("freopen", b != NULL);
    if (b) { fputs("second\n", b); fclose(b); }
    FILE *r = fopen("b.txt", "r");
    if (r && fgets(buf, sizeof buf, r)) printf("b.txt: %s", buf);
    if (r) fclose(r);

    /* A temporary file with a relative template. */
    char name[] = "tmpXXXXXX";
    int t = mkstemp(name);
    show("mkstemp", t >= 0);
    show("mkstemp F_GETFL", fcntl(t, F_GETFL) & O_ACCMODE);
    close(t);
    unlink(name);

    /* Where C libraries put temporary files: /tmp (under myvmm, the
     * allowed folder) and unnamed files (O_TMPFILE). */
    char abs[] = "/tmp/myvmm-testXXXXXX";
    t = mkstemp(abs);
    show("mkstemp in /tmp", t >= 0);
    show("write", write(t, "x", 1));
    close(t);
    show("unlink", unlink(abs));
    FILE *tf = tmpfile();
    show("tmpfile", tf != NULL);
    if (tf) {
        fputs("unnamed\n", tf);
        rewind(tf);
        if (fgets(buf, sizeof buf, tf)) printf("tmpfile: %s", buf);
        fclose(tf);
    }
    return 0;
}
