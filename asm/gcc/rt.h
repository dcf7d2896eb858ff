/* A freestanding runtime for the GCC samples: output through the Linux o32
 * write and exit calls (4004, 4001), which myvmm and qemu-mipsel both serve,
 * so the same assembly runs under either. */
#ifndef RT_H
#define RT_H

static inline long sys_call3(long n, long a, long b, long c)
{
    register long v0 __asm__("$2") = n;
    register long a0 __asm__("$4") = a;
    register long a1 __asm__("$5") = b;
    register long a2 __asm__("$6") = c;
    register long a3 __asm__("$7");
    __asm__ volatile("syscall"
                     : "+r"(v0), "=r"(a3)
                     : "r"(a0), "r"(a1), "r"(a2)
                     : "$1", "$3", "$8", "$9", "$10", "$11", "$12", "$13", "$14", "$15",
                       "$24", "$25", "hi", "lo", "memory");
    return a3 ? -v0 : v0;
}

static void put_bytes(const char *s, long n) { sys_call3(4004, 1, (long)s, n); }

static void put_str(const char *s)
{
    long n = 0;
    while (s[n])
        n++;
    put_bytes(s, n);
}

static void put_int(int value)
{
    char buf[12];
    int i = sizeof buf;
    unsigned u = value < 0 ? 0u - (unsigned)value : (unsigned)value;
    do {
        buf[--i] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (value < 0)
        buf[--i] = '-';
    put_bytes(buf + i, (long)sizeof buf - i);
}

static void put_char(char c) { put_bytes(&c, 1); }

/* myvmm starts a program at `main` with MARS's $sp, 0x7fffeffc: word
 * aligned, as MARS has it. Code that keeps doubles on the stack (sdc1/ldc1)
 * needs the o32 ABI's 8-byte alignment: such a program names its main
 * function in FP_MAIN(fn), and this `main` aligns $sp before going there. */
#define FP_MAIN(fn)                                                         \
    __asm__(".text\n.globl main\nmain:\n\tli $8, -8\n\tand $29, $29, $8\n" \
            "\tj " #fn "\n");                                              \
    int fn(void)

#endif
