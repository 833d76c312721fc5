package dev.vmm.devices.acpi;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * AML names (ACPI 6.0 §20.2.2). A NameSeg is four characters, a leading letter or '_' then letters,
 * digits or '_', padded with '_' as ASL does ({@code _S5} is {@code _S5_}). A NameString is an
 * optional root '\' or parent '^' prefixes, then one segment, a DualNamePrefix pair, a
 * MultiNamePrefix list, or the NullName.
 */
final class AmlName {
    private static final byte DUAL_NAME_PREFIX = 0x2e;
    private static final byte MULTI_NAME_PREFIX = 0x2f;
    private static final byte NULL_NAME = 0x00;
    private static final Pattern SEGMENT = Pattern.compile("[A-Z_][A-Z0-9_]{0,3}");

    private AmlName() {}

    /** One NameSeg: {@code "COM1"}, {@code "_S5"}. */
    static byte[] segment(String name) {
        if (!SEGMENT.matcher(name).matches()) {
            throw new IllegalArgumentException("not an AML name segment: \"" + name + "\"");
        }
        return (name + "___".substring(name.length() - 1)).getBytes(StandardCharsets.US_ASCII);
    }

    /** A NameString such as {@code "\\_SB.PCI0"}, {@code "^COM1"}, {@code "_HID"} or {@code "\\"}. */
    static byte[] path(String path) {
        int prefix = 0;
        if (path.startsWith("\\")) {
            prefix = 1;
        } else {
            while (prefix < path.length() && path.charAt(prefix) == '^') {
                prefix++;
            }
        }
        byte[] head = path.substring(0, prefix).getBytes(StandardCharsets.US_ASCII);
        String rest = path.substring(prefix);
        if (rest.isEmpty()) {
            if (prefix == 0) {
                throw new IllegalArgumentException("empty AML name");
            }
            return Bytes.concat(head, new byte[] {NULL_NAME});
        }
        String[] names = rest.split("\\.", -1);
        byte[][] segments = new byte[names.length][];
        for (int i = 0; i < names.length; i++) {
            segments[i] = segment(names[i]);
        }
        return switch (names.length) {
            case 1 -> Bytes.concat(head, segments[0]);
            case 2 -> Bytes.concat(head, new byte[] {DUAL_NAME_PREFIX}, segments[0], segments[1]);
            default -> {
                if (names.length > 255) {
                    throw new IllegalArgumentException("more than 255 segments in AML name " + path);
                }
                yield Bytes.concat(Bytes.concat(head, new byte[] {MULTI_NAME_PREFIX, (byte) names.length}), segments);
            }
        };
    }
}
