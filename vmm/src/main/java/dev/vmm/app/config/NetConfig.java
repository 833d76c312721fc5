package dev.vmm.app.config;

import java.nio.file.Path;
import java.util.regex.Pattern;

/** A virtio-net interface: a host TAP device, or a Unix datagram socket (userspace backend), and its MAC. */
public record NetConfig(String tap, Path socket, String mac) {
    private static final Pattern MAC = Pattern.compile("\\p{XDigit}{2}(:\\p{XDigit}{2}){5}");

    void validate(String field) {
        if ((tap == null) == (socket == null)) {
            throw new ConfigException(field, "needs one of {" + field + ".tap} and {" + field + ".socket}");
        }
        if (mac != null && !MAC.matcher(mac).matches()) {
            throw new ConfigException(field + ".mac", "'" + mac + "' is not a MAC address (xx:xx:xx:xx:xx:xx)");
        }
    }
}
