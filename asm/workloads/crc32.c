/* Workload: table lookups. Table-driven CRC-32 over a buffer, many times. */
#include "../gcc/rt.h"

static unsigned table[256];
static unsigned char data[65536];

int main(void)
{
    for (unsigned i = 0; i < 256; i++) {
        unsigned c = i;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
        table[i] = c;
    }
    for (unsigned i = 0; i < sizeof data; i++)
        data[i] = (unsigned char)(i * 131u + (i >> 7));
    unsigned crc = 0;
    for (int round = 0; round < 2000; round++) {
        crc = ~crc;
        for (unsigned i = 0; i < sizeof data; i++)
            crc = table[(crc ^ data[i]) & 0xff] ^ (crc >> 8);
        crc = ~crc;
    }
    put_str("crc32: ");
    put_int((int)crc);
    put_char('\n');
    return 0;
}
