package dev.vmm.app.config;

import java.util.HexFormat;

/** Hex values on the command line: {@code 0x30000} or {@code 30000}; byte strings as hex digits. */
public final class Hex {
    private Hex() {}

    public static long parseLong(String option, String text) {
        String t = text.startsWith("0x") || text.startsWith("0X") ? text.substring(2) : text;
        try {
            return Long.parseUnsignedLong(t, 16);
        } catch (NumberFormatException e) {
            throw new ConfigException(option + ": '" + text + "' is not a hex number");
        }
    }

    public static byte[] parseBytes(String option, String text) {
        try {
            return HexFormat.of().parseHex(text.startsWith("0x") ? text.substring(2) : text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(option + ": '" + text + "' is not a string of hex digits");
        }
    }
}
