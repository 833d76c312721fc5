package dev.vmm.core.assist;

import java.math.BigInteger;

/**
 * An x87 register value in the 80-bit double-extended format (sign and 15-bit biased exponent, then a
 * 64-bit significand with an explicit integer bit), with exact conversions to and from the memory
 * formats and IEEE 754 rounding to a given precision. Finite values are handled exactly as
 * {@code magnitude * 2^exponent2}, so results match hardware bit for bit.
 *
 * @param signExponent bit 15 the sign, bits 0-14 the biased exponent
 * @param significand bit 63 the explicit integer bit (J)
 */
record Float80(int signExponent, long significand) {
    static final int BIAS = 16383;
    static final int MAX_EXPONENT = 0x7fff;
    static final Float80 ZERO = new Float80(0, 0);
    static final Float80 ONE = new Float80(BIAS, 1L << 63);
    /** The QNaN floating-point indefinite that masked invalid operations deliver. */
    static final Float80 INDEFINITE = new Float80(0xffff, 0xc000000000000000L);

    /** Rounding control, FCW bits 10-11. */
    enum Rounding { NEAREST, DOWN, UP, TOWARD_ZERO;
        static Rounding of(int fcw) {
            return values()[fcw >> 10 & 3];
        }
    }

    /** A format a result is rounded to: significand bits and the unbiased exponent range of normals. */
    record Format(int precision, int minExponent, int maxExponent) {
        static final Format SINGLE = new Format(24, -126, 127);
        static final Format DOUBLE = new Format(53, -1022, 1023);
        static final Format EXTENDED = new Format(64, -16382, 16383);

        /** Precision control, FCW bits 8-9 (01 is reserved). */
        static Format ofPrecisionControl(int fcw) throws AssistException {
            return switch (fcw >> 8 & 3) {
                case 0 -> new Format(24, EXTENDED.minExponent, EXTENDED.maxExponent);
                case 2 -> new Format(53, EXTENDED.minExponent, EXTENDED.maxExponent);
                case 3 -> EXTENDED;
                default -> throw new AssistException("x87 precision control 01 is reserved");
            };
        }
    }

    /**
     * A rounded result {@code significand * 2^lsbExponent}, with at most the format's precision in bits
     * and, below the normal range, fewer (gradual underflow).
     *
     * @param tiny the exact value was below the format's normal range
     */
    record Rounded(boolean negative, BigInteger significand, int lsbExponent, boolean tiny, boolean inexact,
                   boolean roundedUp) {
        /** The exponent of the leading bit. */
        int exponent() {
            return lsbExponent + significand.bitLength() - 1;
        }
    }

    boolean negative() {
        return (signExponent & 0x8000) != 0;
    }

    int exponent() {
        return signExponent & MAX_EXPONENT;
    }

    boolean isZero() {
        return exponent() == 0 && significand == 0;
    }

    boolean isNaN() {
        return exponent() == MAX_EXPONENT && (significand << 1) != 0;
    }

    boolean isSignalingNaN() {
        return isNaN() && (significand & 1L << 62) == 0;
    }

    boolean isInfinity() {
        return exponent() == MAX_EXPONENT && (significand << 1) == 0;
    }

    /** Zero or a normal number: the operands arithmetic here computes on exactly. */
    boolean isFiniteNormalOrZero() {
        return isZero() || exponent() != 0 && exponent() != MAX_EXPONENT && significand < 0;
    }

    /** |value| = magnitude * 2^exponent2 for finite values. */
    BigInteger magnitude() {
        return new BigInteger(Long.toUnsignedString(significand));
    }

    int exponent2() {
        return Math.max(exponent(), 1) - BIAS - 63;
    }

    Float80 negate() {
        return new Float80(signExponent ^ 0x8000, significand);
    }

    Float80 abs() {
        return new Float80(signExponent & MAX_EXPONENT, significand);
    }

    static Float80 zero(boolean negative) {
        return new Float80(negative ? 0x8000 : 0, 0);
    }

    static Float80 infinity(boolean negative) {
        return new Float80((negative ? 0x8000 : 0) | MAX_EXPONENT, 1L << 63);
    }

    // --- memory formats ---

    static Float80 fromBytes(byte[] b) {
        return new Float80((int) le(b, 8, 2), le(b, 0, 8));
    }

    byte[] toBytes() {
        byte[] b = new byte[10];
        put(b, 0, significand, 8);
        put(b, 8, signExponent, 2);
        return b;
    }

    /** FLD m32/m64: exact. Denormals become normals (the wider exponent holds them); flagged for DE. */
    static Float80 fromBinary(long bits, Format f) {
        int expBits = f == Format.SINGLE ? 8 : 11;
        int fracBits = f.precision() - 1;
        boolean negative = (bits >>> (expBits + fracBits) & 1) != 0;
        int e = (int) (bits >>> fracBits & ((1 << expBits) - 1));
        long frac = bits & ((1L << fracBits) - 1);
        int sign = negative ? 0x8000 : 0;
        if (e == (1 << expBits) - 1) {
            // Infinity or NaN: the fraction moves to the top, an SNaN stays signalling (FLD then raises IE).
            return new Float80(sign | MAX_EXPONENT, 1L << 63 | frac << (63 - fracBits));
        }
        if (e == 0) {
            return frac == 0 ? zero(negative) : exact(negative, BigInteger.valueOf(frac), f.minExponent() - fracBits);
        }
        return new Float80(sign | (e - (f.maxExponent()) + BIAS), 1L << 63 | frac << (63 - fracBits));
    }

    static boolean isDenormalBinary(long bits, Format f) {
        int expBits = f == Format.SINGLE ? 8 : 11;
        int fracBits = f.precision() - 1;
        return (bits >>> fracBits & ((1 << expBits) - 1)) == 0 && (bits & ((1L << fracBits) - 1)) != 0;
    }

    /** FILD: any 64-bit integer fits the 64-bit significand exactly. */
    static Float80 fromLong(long v) {
        if (v == 0) {
            return ZERO;
        }
        boolean negative = v < 0;
        return exact(negative, new BigInteger(Long.toUnsignedString(negative ? -v : v)), 0);
    }

    /** A value that fits the extended format without rounding. */
    private static Float80 exact(boolean negative, BigInteger magnitude, int exponent2) {
        return pack(round(negative, magnitude, exponent2, Format.EXTENDED, Rounding.NEAREST), Format.EXTENDED);
    }

    /**
     * Rounds {@code (-1)^negative * magnitude * 2^exponent2} (magnitude > 0) to the format's precision,
     * or, for a value below its normal range, to its denormal grid. Overflow is the caller's to judge.
     */
    static Rounded round(boolean negative, BigInteger magnitude, int exponent2, Format f, Rounding rc) {
        int p = f.precision();
        int exponent = exponent2 + magnitude.bitLength() - 1;
        boolean tiny = exponent < f.minExponent();
        // The lowest kept bit: p bits below the leading one, but never below the smallest denormal's.
        int lsb = Math.max(exponent - p + 1, f.minExponent() - (p - 1));
        int shift = lsb - exponent2;
        BigInteger sig;
        boolean inexact = false;
        boolean up = false;
        if (shift <= 0) {
            sig = magnitude.shiftLeft(-shift);
        } else {
            sig = magnitude.shiftRight(shift);
            boolean half = magnitude.testBit(shift - 1);
            boolean sticky = magnitude.getLowestSetBit() < shift - 1;
            inexact = half || sticky;
            up = switch (rc) {
                case NEAREST -> half && (sticky || sig.testBit(0));
                case DOWN -> inexact && negative;
                case UP -> inexact && !negative;
                case TOWARD_ZERO -> false;
            };
            if (up) {
                sig = sig.add(BigInteger.ONE);
                if (sig.bitLength() > p) {
                    sig = sig.shiftRight(1);     // 2^p: no bits lost
                    lsb++;
                }
            }
        }
        return new Rounded(negative, sig, lsb, tiny, inexact, up);
    }

    /** Whether an overflowing result becomes infinity (else the largest finite value), per rounding mode. */
    static boolean overflowsToInfinity(boolean negative, Rounding rc) {
        return rc == Rounding.NEAREST || rc == Rounding.UP && !negative || rc == Rounding.DOWN && negative;
    }

    /** Packs a rounded result within the extended exponent range (normal or denormal). */
    static Float80 pack(Rounded r, Format f) {
        int sign = r.negative() ? 0x8000 : 0;
        if (r.significand().signum() == 0) {
            return new Float80(sign, 0);
        }
        int e = r.exponent();
        if (e < Format.EXTENDED.minExponent()) {
            return new Float80(sign, r.significand().shiftLeft(r.lsbExponent() - (Format.EXTENDED.minExponent() - 63))
                    .longValue());
        }
        return new Float80(sign | (e + BIAS), r.significand().shiftLeft(63 - (r.significand().bitLength() - 1)).longValue());
    }

    /** The largest finite value of a format, as an extended value rounded to its precision. */
    static Float80 maxFinite(boolean negative, Format f) {
        long sig = -1L << (64 - f.precision());
        return new Float80((negative ? 0x8000 : 0) | (f.maxExponent() + BIAS), sig);
    }

    /** FST m32/m64: the binary encoding of a rounded result within the format's exponent range. */
    static long toBinary(Rounded r, Format f) {
        int expBits = f == Format.SINGLE ? 8 : 11;
        int fracBits = f.precision() - 1;
        long sign = (r.negative() ? 1L : 0L) << (expBits + fracBits);
        if (r.significand().signum() == 0) {
            return sign;
        }
        int e = r.exponent();
        if (e < f.minExponent()) {
            return sign | r.significand().shiftLeft(r.lsbExponent() - (f.minExponent() - fracBits)).longValue();
        }
        long frac = r.significand().shiftLeft(fracBits - (r.significand().bitLength() - 1)).longValue() & ((1L << fracBits) - 1);
        return sign | (long) (e + f.maxExponent()) << fracBits | frac;
    }

    /** The binary encoding of the largest finite value or infinity. */
    static long binaryLimit(boolean negative, boolean infinity, Format f) {
        int expBits = f == Format.SINGLE ? 8 : 11;
        int fracBits = f.precision() - 1;
        long sign = (negative ? 1L : 0L) << (expBits + fracBits);
        long maxExp = (1L << expBits) - 1;
        return infinity ? sign | maxExp << fracBits : sign | (maxExp - 1) << fracBits | ((1L << fracBits) - 1);
    }

    /** FST m32/m64 of a zero, an infinity or a NaN (quietened): no rounding involved. */
    long specialToBinary(Format f) {
        int expBits = f == Format.SINGLE ? 8 : 11;
        int fracBits = f.precision() - 1;
        long sign = (negative() ? 1L : 0L) << (expBits + fracBits);
        if (isZero()) {
            return sign;
        }
        long allOnes = ((1L << expBits) - 1) << fracBits;
        long frac = isNaN() ? (significand | 1L << 62) << 1 >>> (64 - fracBits) : 0;
        return sign | allOnes | frac;
    }

    /** Exact comparison of two non-NaN values: -1, 0 or 1. */
    static int compare(Float80 a, Float80 b) {
        if (a.isZero() && b.isZero()) {
            return 0;
        }
        if (a.negative() != b.negative()) {
            return a.negative() ? -1 : 1;
        }
        int m;
        if (a.isInfinity() || b.isInfinity()) {
            m = a.isInfinity() == b.isInfinity() ? 0 : a.isInfinity() ? 1 : -1;
        } else {
            m = scaled(a).compareTo(scaled(b));
        }
        return a.negative() ? -m : m;
    }

    /** The magnitude at the common scale 2^(minimum exponent), for exact comparison. */
    private static BigInteger scaled(Float80 v) {
        return v.isZero() ? BigInteger.ZERO : v.magnitude().shiftLeft(v.exponent2() - Format.EXTENDED.minExponent() + 63);
    }

    private static long le(byte[] b, int at, int n) {
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = v << 8 | (b[at + i] & 0xff);
        }
        return v;
    }

    private static void put(byte[] b, int at, long v, int n) {
        for (int i = 0; i < n; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }
}
