/* zlib (the sources bundled by the libz-sys crate) driven through its API:
   deflate/inflate at several levels, gzip streams to a file and back, and
   checksums. Deterministic: same output under qemu-mipsel and myvmm. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "zlib.h"

static unsigned char *make_data(size_t n) {
    static const char *words[] = {"mips", "delay", "slot", "branch", "likely", "kernel", "zlib",
                                  "the", "a", "of", "virtual", "machine", "\n", "0x1f", "rdhwr"};
    unsigned char *p = malloc(n);
    unsigned s = 2463534242u;
    size_t i = 0;
    while (i < n) {
        s ^= s << 13; s ^= s >> 17; s ^= s << 5;
        const char *w = words[s % 15];
        for (size_t k = 0; w[k] && i < n; k++) p[i++] = (unsigned char)w[k];
        if (i < n) p[i++] = (s >> 8) % 7 ? ' ' : (unsigned char)(s >> 16);
    }
    return p;
}

int main(void) {
    size_t n = 1 << 20;
    unsigned char *data = make_data(n);
    printf("zlib %s, %lu bytes, crc32 %08lx adler32 %08lx\n", zlibVersion(), (unsigned long)n,
           crc32(0, data, n), adler32(1, data, n));
    for (int level = 0; level <= 9; level += 3) {
        uLongf clen = compressBound(n);
        unsigned char *c = malloc(clen);
        if (compress2(c, &clen, data, n, level) != Z_OK) { puts("compress2 failed"); return 1; }
        uLongf dlen = n;
        unsigned char *d = malloc(n);
        int r = uncompress(d, &dlen, c, clen);
        printf("level %d: %lu bytes, crc32 %08lx, round trip %s\n", level, (unsigned long)clen,
               crc32(0, c, clen), r == Z_OK && dlen == n && memcmp(d, data, n) == 0 ? "ok" : "FAILED");
        free(c);
        free(d);
    }
    gzFile out = gzopen("data.gz", "wb9");
    if (!out) { puts("gzopen for writing failed"); return 1; }
    for (size_t off = 0; off < n; off += 4096) gzwrite(out, data + off, 4096);
    gzclose(out);
    gzFile in = gzopen("data.gz", "rb");
    unsigned char buf[8192];
    unsigned long total = 0, crc = 0;
    int got;
    while ((got = gzread(in, buf, sizeof buf)) > 0) { crc = crc32(crc, buf, got); total += got; }
    gzclose(in);
    FILE *f = fopen("data.gz", "rb");
    fseek(f, 0, SEEK_END);
    printf("gzip file: %ld bytes, read back %lu bytes, crc32 %08lx\n", ftell(f), total, crc);
    fclose(f);
    return 0;
}
