package dev.vmm.app.config;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/** A virtio-net interface: a host TAP device, or a Unix datagram socket (userspace backend), and its MAC. */
public record NetConfig(String tap, Path socket, String mac) {
    private static final Pattern MAC = Pattern.compile("\\p{XDigit}{2}(:\\p{XDigit}{2}){5}");

    /** Cloud Hypervisor's form: {@code tap=NAME[,mac=MAC]} or {@code socket=PATH[,mac=MAC]}. */
    public static NetConfig parse(String spec) {
        var v = OptionList.parse("nets", spec, List.of("tap", "socket", "mac"), "tap=NAME or socket=PATH, then mac=MAC", 0);
        return new NetConfig(v.get("tap"), v.containsKey("socket") ? Path.of(v.get("socket")) : null, v.get("mac"));
    }

    /** The MAC address, or QEMU's default range 52:54:00:12:34:56 counting up with {@code index}. */
    public byte[] macBytes(int index) {
        byte[] b = new byte[6];
        if (mac == null) {
            byte[] base = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
            System.arraycopy(base, 0, b, 0, 6);
            b[5] = (byte) (0x56 + index);
            return b;
        }
        String[] parts = mac.split(":");
        for (int i = 0; i < 6; i++) {
            b[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return b;
    }

    void validate(String field) {
        if ((tap == null) == (socket == null)) {
            throw new ConfigException(field, "needs one of {" + field + ".tap} and {" + field + ".socket}");
        }
        if (mac != null && !MAC.matcher(mac).matches()) {
            throw new ConfigException(field + ".mac", "'" + mac + "' is not a MAC address (xx:xx:xx:xx:xx:xx)");
        }
    }
}
