/* String handling: reverse, upper-case, word count, and a switch table. */
#include "rt.h"

static char text[] = "the quick brown fox jumps over the lazy dog";

static int length(const char *s)
{
    int n = 0;
    while (s[n])
        n++;
    return n;
}

static void reverse(char *s, int n)
{
    for (int i = 0, j = n - 1; i < j; i++, j--) {
        char t = s[i];
        s[i] = s[j];
        s[j] = t;
    }
}

static const char *kind(char c)
{
    switch (c) {
    case 'a': case 'e': case 'i': case 'o': case 'u':
        return "vowel";
    case ' ':
        return "space";
    case 'y':
        return "sometimes";
    case 'q': case 'x': case 'z':
        return "rare";
    default:
        return "consonant";
    }
}

int main(void)
{
    int n = length(text);
    put_str(text);
    put_char('\n');
    int words = 0, vowels = 0;
    for (int i = 0; i < n; i++) {
        if (text[i] != ' ' && (i == 0 || text[i - 1] == ' '))
            words++;
        if (kind(text[i])[0] == 'v')
            vowels++;
    }
    put_str("length ");
    put_int(n);
    put_str(", words ");
    put_int(words);
    put_str(", vowels ");
    put_int(vowels);
    put_char('\n');
    reverse(text, n);
    put_str(text);
    put_char('\n');
    for (int i = 0; i < n; i++)
        if (text[i] >= 'a' && text[i] <= 'z')
            text[i] = (char)(text[i] - 'a' + 'A');
    put_str(text);
    put_char('\n');
    put_str(kind('q'));
    put_char(' ');
    put_str(kind('y'));
    put_char('\n');
    return 0;
}
