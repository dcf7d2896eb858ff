/* Reads into memory the program may not write fail with EFAULT (and take
   nothing from the input), as on Linux. */
#include <stdio.h>
#include <errno.h>
#include <unistd.h>
#include <fcntl.h>

int main(void) {
    void *nowhere = (void *)(long)16;
    errno = 0;
    long r = read(0, nowhere, 10);
    printf("stdin into nothing: %ld errno %d\n", r, errno);
    char buf[8];
    printf("then: %ld\n", (long)read(0, buf, 3));
    int fd = open("scratch.txt", O_RDWR | O_CREAT | O_TRUNC, 0644);
    write(fd, "hello", 5);
    lseek(fd, 0, SEEK_SET);
    errno = 0;
    r = read(fd, nowhere, 5);
    printf("file into nothing: %ld errno %d\n", r, errno);
    printf("file after: %ld\n", (long)read(fd, buf, 5));
    close(fd);
    unlink("scratch.txt");
    return 0;
}
