// Java's own Double.toString / Float.toString, as "hex_bits string" lines, for
// checking myvmm's src/vm/java_float.rs (MARS prints floats and doubles with
// these). Run with a Java 17 (the pre-JDK 19 algorithm MARS 4.5 uses here) as
// a single-file program:
//
//   java scripts/JavaFloatGolden.java golden double|float
//       the fixed edge values and seeded random patterns committed under
//       tests/golden/java_float/ (see scripts/gen-java-float-golden.sh)
//   java scripts/JavaFloatGolden.java random double|float uniform|mixed COUNT SEED
//       COUNT seeded random bit patterns: uniform over all bit patterns, or
//       mixed (values near 1, integers, short decimals and their neighbours,
//       where the fast paths and rounding quirks live)
//   java scripts/JavaFloatGolden.java format double|float
//       reads hex bit patterns, one a line, from stdin
//   java scripts/JavaFloatGolden.java hash float FIRST LAST
//       for each chunk FIRST..=LAST (0..=255) of 2^24 float bit patterns
//       (chunk = bits >>> 24), "chunk fnv1a64" of all its strings: every
//       float, compared without printing billions of lines

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SplittableRandom;

public class JavaFloatGolden {
    static PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out), 1 << 16));

    public static void main(String[] args) throws Exception {
        if (!System.getProperty("java.specification.version").equals("17")) {
            System.err.println("warning: Java " + System.getProperty("java.version")
                    + "; MARS 4.5's strings are Java 17's (JDK 19 changed the algorithm)");
        }
        if (args.length < 2) {
            usage();
        }
        boolean dbl = switch (args[1]) {
            case "double" -> true;
            case "float" -> false;
            default -> { usage(); yield false; }
        };
        switch (args[0]) {
            case "golden" -> {
                if (dbl) goldenDouble(); else goldenFloat();
            }
            case "random" -> {
                if (args.length != 5) usage();
                boolean mixed = args[2].equals("mixed");
                long count = Long.parseLong(args[3]);
                SplittableRandom r = new SplittableRandom(Long.parseLong(args[4]));
                for (long i = 0; i < count; i++) {
                    if (dbl) {
                        printD(mixed ? mixedDouble(r) : Double.longBitsToDouble(r.nextLong()));
                    } else {
                        printF(mixed ? mixedFloat(r) : Float.intBitsToFloat(r.nextInt()));
                    }
                }
            }
            case "hash" -> { // float only: every pattern of chunks FIRST..=LAST
                if (dbl || args.length != 4) usage();
                int last = Integer.parseInt(args[3]);
                for (int chunk = Integer.parseInt(args[2]); chunk <= last; chunk++) {
                    long h = FNV_OFFSET;
                    for (int low = 0; low < CHUNK; low++) {
                        h = fnv(h, Float.toString(Float.intBitsToFloat((chunk << 24) | low)));
                    }
                    out.println(chunk + " " + Long.toHexString(h));
                    out.flush();
                }
            }
            case "format" -> {
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
                for (String line; (line = in.readLine()) != null; ) {
                    line = line.trim();
                    if (line.isEmpty()) continue;
                    if (dbl) printD(Double.longBitsToDouble(Long.parseUnsignedLong(line, 16)));
                    else printF(Float.intBitsToFloat(Integer.parseUnsignedInt(line, 16)));
                }
            }
            default -> usage();
        }
        out.flush();
    }

    // Float patterns per hash chunk: 2^24, so 256 chunks cover them all.
    static final int CHUNK = 1 << 24;
    static final long FNV_OFFSET = 0xcbf29ce484222325L;

    // 64-bit FNV-1a over the string's (ASCII) chars and a newline; the Rust
    // side (examples/java_float_check.rs) hashes the same way.
    static long fnv(long h, String s) {
        for (int i = 0; i < s.length(); i++) {
            h = (h ^ s.charAt(i)) * 0x100000001b3L;
        }
        return (h ^ '\n') * 0x100000001b3L;
    }

    static void usage() {
        System.err.println("usage: JavaFloatGolden golden double|float"
                + " | random double|float uniform|mixed COUNT SEED | format double|float"
                + " | hash float FIRST LAST");
        System.exit(2);
    }

    // Raw bits: NaN payloads are kept, and Java prints "NaN" for every one.
    static void printD(double d) {
        hex(Double.doubleToRawLongBits(d), 16);
        out.println(Double.toString(d));
    }

    // The low `digits` hex digits of bits, zero-padded, and a space
    // (String.format is too slow for millions of lines).
    static void hex(long bits, int digits) {
        char[] c = new char[digits + 1];
        for (int i = digits - 1; i >= 0; i--, bits >>>= 4) c[i] = Character.forDigit((int) (bits & 15), 16);
        c[digits] = ' ';
        out.print(c);
    }

    static void printF(float f) {
        hex(Float.floatToRawIntBits(f) & 0xffffffffL, 8);
        out.println(Float.toString(f));
    }

    // 1 to max random decimal digits, the first not zero.
    static String digits(SplittableRandom r, int max) {
        StringBuilder b = new StringBuilder().append((char) ('1' + r.nextInt(9)));
        for (int n = r.nextInt(max); n > 0; n--) b.append((char) ('0' + r.nextInt(10)));
        return b.toString();
    }

    // A value near a short decimal, near 1, an integer, or a power of two,
    // or any bit pattern: the paths uniform bits rarely reach.
    static double mixedDouble(SplittableRandom r) {
        double d;
        switch (r.nextInt(6)) {
            case 0 -> d = Double.longBitsToDouble(r.nextLong());
            case 1 -> { // binary exponent within +-80: the int and long paths
                long e = 1023 - 80 + r.nextInt(161);
                d = Double.longBitsToDouble((e << 52) | (r.nextLong() & ((1L << 52) - 1)));
            }
            case 2 -> { // few significant bits: integers and easy fractions
                long mant = r.nextLong() >>> (11 + r.nextInt(53));
                d = Math.scalb((double) mant, r.nextInt(140) - 70);
            }
            case 3, 4 -> { // a short decimal, any exponent
                d = Double.parseDouble(digits(r, 17) + "e" + (r.nextInt(640) - 330));
            }
            default -> { // a short decimal of modest size
                d = Double.parseDouble(digits(r, 17) + "e" + (r.nextInt(40) - 25));
            }
        }
        switch (r.nextInt(4)) {
            case 0 -> d = Math.nextUp(d);
            case 1 -> d = Math.nextDown(d);
            default -> { }
        }
        return r.nextBoolean() ? -d : d;
    }

    static float mixedFloat(SplittableRandom r) {
        float f;
        switch (r.nextInt(5)) {
            case 0 -> f = Float.intBitsToFloat(r.nextInt());
            case 1 -> { // few significant bits
                long mant = r.nextLong() >>> (40 + r.nextInt(24));
                f = Math.scalb((float) mant, r.nextInt(100) - 50);
            }
            case 2, 3 -> { // a short decimal, any exponent
                f = Float.parseFloat(digits(r, 9) + "e" + (r.nextInt(100) - 55));
            }
            default -> { // a short decimal of modest size
                f = Float.parseFloat(digits(r, 9) + "e" + (r.nextInt(30) - 18));
            }
        }
        switch (r.nextInt(4)) {
            case 0 -> f = Math.nextUp(f);
            case 1 -> f = Math.nextDown(f);
            default -> { }
        }
        return r.nextBoolean() ? -f : f;
    }

    static void addWithNeighbours(LinkedHashSet<Long> s, double d) {
        s.add(Double.doubleToRawLongBits(Math.nextDown(d)));
        s.add(Double.doubleToRawLongBits(d));
        s.add(Double.doubleToRawLongBits(Math.nextUp(d)));
    }

    static void goldenDouble() {
        LinkedHashSet<Long> s = new LinkedHashSet<>();
        long[] raw = {
            0L, 0x8000000000000000L,                       // +-0
            0x7ff0000000000000L, 0xfff0000000000000L,      // +-Infinity
            0x7ff8000000000000L, 0xfff8000000000000L,      // quiet NaNs
            0x7ff0000000000001L, 0x7fffffffffffffffL,      // other NaNs
            1L, 2L, 3L, 0x000fffffffffffffL,               // subnormals: min, max
            0x0010000000000000L, 0x7fefffffffffffffL,      // min normal, max
        };
        for (long b : raw) s.add(b);
        for (long b = 1; b <= 64; b++) s.add(b);           // tiny subnormals
        s.add(0xcaL);               // roundup carries out of all nines: 1.0E-321
        s.add(0x0031fa182c40c60dL); // estimate one high, first digit 0 kept: 1.0E-307
        for (long b : raw) s.add(b | 0x8000000000000000L);
        // Powers of ten: neighbours near 1, the rest of the range alone.
        for (int k = -30; k <= 30; k++) addWithNeighbours(s, Double.parseDouble("1e" + k));
        for (int k = -324; k <= 308; k += 2) s.add(Double.doubleToRawLongBits(Double.parseDouble("1e" + k)));
        // Powers of two (the M2 hack), every third across the range.
        for (int k = -1074; k <= 1023; k += 3) s.add(Double.doubleToRawLongBits(Math.scalb(1.0, k)));
        for (int k = -30; k <= 70; k++) addWithNeighbours(s, Math.scalb(1.0, k));
        double[] named = {
            1e23, 0x1p53 - 1, 0x1p53, 0x1p53 + 2, 0.1, 0.2, 0.3, 0.1 + 0.2, 1.0 / 3, 2.0 / 3, 0.7, 1.1,
            0.001, 0.0009999999999999998, 1e7, 9999999.999999998, 1e-3 * 3, 123456789.0, 1234567.0,
            Math.PI, Math.E, 100.0, 1e16, 1e17, 1e21, 1e22, 5e-324, 2.2250738585072014E-308,
            Long.MAX_VALUE, (double) (1L << 62), 0x1p63, 0x1p64, 4.35, 2.675, 1.005, 5e-5, 9.5, 0.5,
        };
        for (double d : named) addWithNeighbours(s, d);
        for (int i = 1; i <= 120; i++) s.add(Double.doubleToRawLongBits(i));
        for (int i = 1; i <= 40; i++) s.add(Double.doubleToRawLongBits(i / 10.0));
        List<Long> bits = new ArrayList<>(s);
        SplittableRandom r = new SplittableRandom(20240917L);
        for (int i = 0; i < 700; i++) bits.add(r.nextLong());
        for (int i = 0; i < 500; i++) bits.add(Double.doubleToRawLongBits(mixedDouble(r)));
        for (long b : bits) printD(Double.longBitsToDouble(b));
    }

    static void addWithNeighbours(LinkedHashSet<Integer> s, float f) {
        s.add(Float.floatToRawIntBits(Math.nextDown(f)));
        s.add(Float.floatToRawIntBits(f));
        s.add(Float.floatToRawIntBits(Math.nextUp(f)));
    }

    static void goldenFloat() {
        LinkedHashSet<Integer> s = new LinkedHashSet<>();
        int[] raw = {
            0, 0x80000000,                                 // +-0
            0x7f800000, 0xff800000,                        // +-Infinity
            0x7fc00000, 0xffc00000, 0x7f800001, 0x7fffffff, // NaNs
            1, 2, 3, 0x007fffff,                           // subnormals: min, max
            0x00800000, 0x7f7fffff,                        // min normal, max
        };
        for (int b : raw) s.add(b);
        for (int b : raw) s.add(b | 0x80000000);
        // Tiny subnormals: few digits, where roundup carries out (1e-44f).
        for (int b = 1; b <= 300; b++) s.add(b);
        for (int k = -30; k <= 30; k++) addWithNeighbours(s, Float.parseFloat("1e" + k));
        for (int k = -45; k <= 38; k++) addWithNeighbours(s, Float.parseFloat("1e" + k));
        for (int k = -149; k <= 127; k++) s.add(Float.floatToRawIntBits(Math.scalb(1.0f, k)));
        for (int k = -30; k <= 70; k++) addWithNeighbours(s, Math.scalb(1.0f, k));
        float[] named = {
            0.1f, 0.2f, 0.3f, 0.1f + 0.2f, 1.0f / 3, 2.0f / 3, 0.7f, 1.1f, 0.001f, 1e7f, 9999999f,
            1e10f, 3.4028235e38f, 1.4e-45f, 1e-44f, 16777216f, 16777215f, 16777217f, (float) Math.PI,
            (float) Math.E, 100f, 123456789f, 1234567f, 4.35f, 2.675f, 1.005f, 5e-5f, 9.5f, 0.5f,
            (float) 1e23, (float) Long.MAX_VALUE,
        };
        for (float f : named) addWithNeighbours(s, f);
        for (int i = 1; i <= 120; i++) s.add(Float.floatToRawIntBits(i));
        for (int i = 1; i <= 40; i++) s.add(Float.floatToRawIntBits(i / 10.0f));
        List<Integer> bits = new ArrayList<>(s);
        SplittableRandom r = new SplittableRandom(20240918L);
        for (int i = 0; i < 700; i++) bits.add(r.nextInt());
        for (int i = 0; i < 500; i++) bits.add(Float.floatToRawIntBits(mixedFloat(r)));
        for (int b : bits) printF(Float.intBitsToFloat(b));
    }
}
