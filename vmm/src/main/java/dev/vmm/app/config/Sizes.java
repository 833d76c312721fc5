package dev.vmm.app.config;

/** Parses memory sizes as QEMU's {@code -m} does: a number with an optional K, M, G or T suffix (binary units). */
public final class Sizes {
    private Sizes() {}

    /** A bare number means MiB, as for {@code -m 512}. */
    public static long parseMemory(String option, String text) {
        String t = text.trim();
        if (t.isEmpty()) {
            throw new ConfigException(option + ": empty size");
        }
        char last = Character.toUpperCase(t.charAt(t.length() - 1));
        int shift = switch (last) {
            case 'B' -> 0;
            case 'K' -> 10;
            case 'M' -> 20;
            case 'G' -> 30;
            case 'T' -> 40;
            default -> Character.isDigit(last) ? 20 : -1;
        };
        if (shift < 0) {
            throw new ConfigException(option + ": '" + text + "' is not a size (examples: 512M, 2G)");
        }
        String digits = Character.isDigit(last) ? t : t.substring(0, t.length() - 1);
        try {
            long n = Long.parseLong(digits);
            if (n <= 0 || n > Long.MAX_VALUE >> shift) {
                throw new ConfigException(option + ": '" + text + "' is out of range");
            }
            return n << shift;
        } catch (NumberFormatException e) {
            throw new ConfigException(option + ": '" + text + "' is not a size (examples: 512M, 2G)");
        }
    }

    public static String format(long bytes) {
        if (bytes % (1L << 40) == 0) {
            return (bytes >> 40) + " TiB";
        }
        if (bytes % (1L << 30) == 0) {
            return (bytes >> 30) + " GiB";
        }
        if (bytes % (1L << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        return bytes % 1024 == 0 ? (bytes >> 10) + " KiB" : bytes + " bytes";
    }
}
