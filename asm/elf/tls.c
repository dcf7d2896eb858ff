/* Thread-local storage (set_thread_area + rdhwr), errno, and a longjmp
   out of nested calls. */
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static __thread int counter = 5;
static __thread char name[16] = "tls";

static int bump(int by) { counter += by; return counter; }

int main(void) {
    for (int i = 0; i < 10; i++) bump(i);
    strcat(name, "-ok");
    printf("counter %d name %s\n", counter, name);
    errno = 0;
    strtol("99999999999999999999", NULL, 10);
    printf("errno ERANGE: %d\n", errno == ERANGE);
    return 0;
}
