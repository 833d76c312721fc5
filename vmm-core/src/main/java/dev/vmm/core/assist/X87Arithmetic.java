package dev.vmm.core.assist;

import dev.vmm.core.assist.Float80.Format;
import dev.vmm.core.assist.Float80.Rounding;
import java.math.BigInteger;

/**
 * FADD, FSUB, FMUL and FDIV as the x87 computes them (Intel SDM vol. 1 §8.5 and the instructions'
 * tables in vol. 2): exact result rounded once to the precision control's significand, NaN
 * propagation, invalid operations delivering the indefinite. Each result carries the exception flags
 * it raised; whether they are masked is the caller's business.
 */
final class X87Arithmetic {
    static final int IE = 0x01, DE = 0x02, ZE = 0x04, OE = 0x08, UE = 0x10, PE = 0x20;

    /** @param roundedUp the magnitude was rounded up (the SDM's C1 after an inexact result) */
    record Result(Float80 value, int flags, boolean roundedUp) {
        static Result exact(Float80 v, int flags) {
            return new Result(v, flags, false);
        }
    }

    enum Op { ADD, SUB, MUL, DIV }

    /** A comparison: 1 greater, 0 equal, -1 less, 2 unordered. */
    record Comparison(int order, int flags) {}

    /** A value converted for memory: the bits, flags raised, and C1. */
    record Stored(long bits, int flags, boolean roundedUp) {}

    private X87Arithmetic() {}

    static Result apply(Op op, Float80 a, Float80 b, Format f, Rounding rc) throws AssistException {
        int flags = 0;
        if (a.isNaN() || b.isNaN()) {
            return propagateNaN(a, b);
        }
        if (unsupported(a) || unsupported(b)) {
            return Result.exact(Float80.INDEFINITE, IE);
        }
        // A zero divisor takes precedence over a denormal dividend (measured: ZE alone).
        if ((denormal(a) || denormal(b)) && !(op == Op.DIV && b.isZero())) {
            flags |= DE;
        }
        return switch (op) {
            case ADD -> add(a, b, f, rc, flags);
            case SUB -> add(a, b.negate(), f, rc, flags);
            case MUL -> mul(a, b, f, rc, flags);
            case DIV -> div(a, b, f, rc, flags);
        };
    }

    /** An unnormal or pseudo-NaN/infinity: the 8087's encodings the x87 now rejects as invalid. */
    private static boolean unsupported(Float80 v) {
        int e = v.exponent();
        return e != 0 && v.significand() >= 0;
    }

    static boolean denormal(Float80 v) {
        return v.exponent() == 0 && v.significand() != 0;
    }

    /** SDM vol. 1 table 4-7: an SNaN raises IE; a QNaN beats an SNaN; of two alike the larger significand wins. */
    static Result propagateNaN(Float80 a, Float80 b) {
        int flags = a.isSignalingNaN() || b.isSignalingNaN() ? IE : 0;
        Float80 pick;
        if (a.isNaN() && b.isNaN() && a.isSignalingNaN() != b.isSignalingNaN()) {
            pick = a.isSignalingNaN() ? b : a;          // an SNaN and a QNaN: the QNaN
        } else if (a.isNaN() && b.isNaN()) {
            long ma = a.significand() | 1L << 62;
            long mb = b.significand() | 1L << 62;
            pick = Long.compareUnsigned(ma, mb) > 0 ? a : Long.compareUnsigned(ma, mb) < 0 ? b
                    : a.negative() ? b : a;
        } else {
            pick = a.isNaN() ? a : b;
        }
        return Result.exact(new Float80(pick.signExponent(), pick.significand() | 1L << 62), flags);
    }

    private static Result add(Float80 a, Float80 b, Format f, Rounding rc, int flags) throws AssistException {
        if (a.isInfinity() || b.isInfinity()) {
            if (a.isInfinity() && b.isInfinity() && a.negative() != b.negative()) {
                return Result.exact(Float80.INDEFINITE, flags | IE);
            }
            return Result.exact(a.isInfinity() ? a : b, flags);
        }
        if (a.isZero() && b.isZero()) {
            boolean negative = a.negative() == b.negative() ? a.negative() : rc == Rounding.DOWN;
            return Result.exact(Float80.zero(negative), flags);
        }
        int e = Math.min(a.exponent2(), b.exponent2());
        BigInteger x = signed(a).shiftLeft(a.exponent2() - e);
        BigInteger y = signed(b).shiftLeft(b.exponent2() - e);
        BigInteger sum = x.add(y);
        if (sum.signum() == 0) {
            return Result.exact(Float80.zero(rc == Rounding.DOWN), flags);
        }
        return rounded(sum.signum() < 0, sum.abs(), e, f, rc, flags);
    }

    private static Result mul(Float80 a, Float80 b, Format f, Rounding rc, int flags) throws AssistException {
        boolean negative = a.negative() != b.negative();
        if (a.isInfinity() || b.isInfinity()) {
            if (a.isZero() || b.isZero()) {
                return Result.exact(Float80.INDEFINITE, flags | IE);
            }
            return Result.exact(Float80.infinity(negative), flags);
        }
        if (a.isZero() || b.isZero()) {
            return Result.exact(Float80.zero(negative), flags);
        }
        return rounded(negative, a.magnitude().multiply(b.magnitude()), a.exponent2() + b.exponent2(), f, rc, flags);
    }

    private static Result div(Float80 a, Float80 b, Format f, Rounding rc, int flags) throws AssistException {
        boolean negative = a.negative() != b.negative();
        if (a.isInfinity()) {
            return b.isInfinity() ? Result.exact(Float80.INDEFINITE, flags | IE)
                    : Result.exact(Float80.infinity(negative), flags);
        }
        if (b.isInfinity()) {
            return Result.exact(Float80.zero(negative), flags);
        }
        if (b.isZero()) {
            return a.isZero() ? Result.exact(Float80.INDEFINITE, flags | IE)
                    : Result.exact(Float80.infinity(negative), flags | ZE);
        }
        if (a.isZero()) {
            return Result.exact(Float80.zero(negative), flags);
        }
        // Enough quotient bits that the rounding bit is exact, plus a sticky bit for the remainder.
        int k = f.precision() + 3 + b.magnitude().bitLength();
        BigInteger[] qr = a.magnitude().shiftLeft(k).divideAndRemainder(b.magnitude());
        BigInteger q = qr[0].shiftLeft(1).or(qr[1].signum() == 0 ? BigInteger.ZERO : BigInteger.ONE);
        return rounded(negative, q, a.exponent2() - b.exponent2() - k - 1, f, rc, flags);
    }

    /**
     * Rounds an exact result into a register. Masked overflow gives infinity or the largest finite
     * value per rounding mode (OE, PE); a tiny inexact result is denormalized (UE, PE).
     */
    private static Result rounded(boolean negative, BigInteger magnitude, int exponent2, Format f, Rounding rc, int flags) {
        Float80.Rounded r = Float80.round(negative, magnitude, exponent2, f, rc);
        if (r.exponent() > f.maxExponent()) {
            boolean infinity = Float80.overflowsToInfinity(negative, rc);
            return new Result(infinity ? Float80.infinity(negative) : Float80.maxFinite(negative, f), flags | OE | PE, infinity);
        }
        int underflow = r.tiny() && r.inexact() ? UE : 0;
        return new Result(Float80.pack(r, f), flags | underflow | (r.inexact() ? PE : 0), r.roundedUp());
    }

    private static BigInteger signed(Float80 v) {
        return v.negative() ? v.magnitude().negate() : v.magnitude();
    }

    /** FCOM raises IE on any NaN, FUCOM only on an SNaN. */
    static Comparison compare(Float80 a, Float80 b, boolean unordered) {
        if (a.isNaN() || b.isNaN()) {
            boolean invalid = !unordered || a.isSignalingNaN() || b.isSignalingNaN();
            return new Comparison(2, invalid ? IE : 0);     // no DE beside a NaN
        }
        return new Comparison(Float80.compare(a, b), denormal(a) || denormal(b) ? DE : 0);
    }

    /** FST m32fp/m64fp: rounded with the rounding control (precision control does not apply). */
    static Stored toBinary(Float80 v, Format f, Rounding rc) {
        if (v.isZero() || v.isInfinity() || v.isNaN()) {
            return new Stored(v.specialToBinary(f), v.isSignalingNaN() ? IE : 0, false);
        }
        int flags = 0;     // a denormal register value stores without DE (measured: the host FPU does not raise it)
        Float80.Rounded r = Float80.round(v.negative(), v.magnitude(), v.exponent2(), f, rc);
        if (r.exponent() > f.maxExponent()) {
            boolean infinity = Float80.overflowsToInfinity(v.negative(), rc);
            return new Stored(Float80.binaryLimit(v.negative(), infinity, f), flags | OE | PE, infinity);
        }
        int underflow = r.tiny() && r.inexact() ? UE : 0;
        return new Stored(Float80.toBinary(r, f), flags | underflow | (r.inexact() ? PE : 0), r.roundedUp());
    }

    /**
     * FIST/FISTTP to a {@code size}-byte integer: NaN, infinity or out of range stores the integer
     * indefinite (the most negative value) with IE.
     */
    static Stored toInteger(Float80 v, int size, Rounding rc) {
        long indefinite = Long.MIN_VALUE >> (64 - 8 * size);
        if (v.isNaN() || v.isInfinity()) {
            return new Stored(indefinite, IE, false);
        }
        if (v.isZero()) {
            return new Stored(0, 0, false);
        }
        BigInteger magnitude = v.magnitude();
        int e = v.exponent2();
        BigInteger n;
        boolean inexact = false;
        boolean up = false;
        if (e >= 0) {
            n = magnitude.bitLength() + e > 64 ? null : magnitude.shiftLeft(e);
        } else {
            int shift = -e;
            n = magnitude.shiftRight(shift);
            boolean half = magnitude.testBit(shift - 1);
            boolean sticky = magnitude.getLowestSetBit() < shift - 1;
            inexact = half || sticky;
            up = switch (rc) {
                case NEAREST -> half && (sticky || n.testBit(0));
                case DOWN -> inexact && v.negative();
                case UP -> inexact && !v.negative();
                case TOWARD_ZERO -> false;
            };
            if (up) {
                n = n.add(BigInteger.ONE);
            }
        }
        BigInteger signed = n == null ? null : v.negative() ? n.negate() : n;
        BigInteger limit = BigInteger.ONE.shiftLeft(8 * size - 1);
        if (signed == null || signed.compareTo(limit.negate()) < 0 || signed.compareTo(limit) >= 0) {
            return new Stored(indefinite, IE, false);
        }
        return new Stored(signed.longValue(), inexact ? PE : 0, up);     // no DE, as for FST
    }
}
