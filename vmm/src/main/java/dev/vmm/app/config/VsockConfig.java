package dev.vmm.app.config;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A virtio-vsock device with the guest's CID and the Unix socket of its host side (Firecracker's
 * hybrid vsock): host programs connect to {@code socket}; guest connections to host port P go to
 * {@code socket_P}.
 */
public record VsockConfig(long cid, Path socket) {
    /** Guest CIDs start at 3 (0, 1, 2: hypervisor, local, host) and are 32 bits, 0xFFFFFFFF being "any". */
    static final long FIRST_CID = 3;
    static final long LAST_CID = 0xFFFF_FFFEL;
    /** sun_path holds 107 bytes, and PATH_P adds "_" and up to 10 digits. */
    static final int MAX_PATH = 107 - 11;

    /** Cloud Hypervisor's form: {@code cid=N,socket=PATH}. */
    public static VsockConfig parse(String spec) {
        var v = OptionList.parse("vsock", spec, List.of("cid", "socket"), "cid=N,socket=PATH", 0);
        if (!v.containsKey("cid") || !v.containsKey("socket") || v.get("socket").isEmpty()) {
            throw new ConfigException("vsock", "'" + spec + "' needs cid=N and socket=PATH");
        }
        long cid;
        try {
            cid = Long.parseLong(v.get("cid"));
        } catch (NumberFormatException e) {
            throw new ConfigException("vsock", "cid='" + v.get("cid") + "' in '" + spec + "' is not a number");
        }
        return new VsockConfig(cid, Path.of(v.get("socket")));
    }

    void validate(String field) {
        if (cid < FIRST_CID || cid > LAST_CID) {
            throw new ConfigException(field + ".cid", cid + " is not a guest CID (" + FIRST_CID + " to " + LAST_CID
                    + "; 0, 1 and 2 are the hypervisor, the local host and the host)");
        }
        if (socket == null) {
            throw new ConfigException(field + ".socket", "is required");
        }
        if (socket.toString().getBytes(StandardCharsets.UTF_8).length > MAX_PATH) {
            throw new ConfigException(field + ".socket", socket + ": longer than " + MAX_PATH
                    + " bytes (a unix socket path holds 107, and guest connections add _PORT)");
        }
        ConfigFiles.requireDirectory(field + ".socket", socket);
        if (Files.exists(socket, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new ConfigException(field + ".socket", socket + ": exists (another VMM's socket? remove it if none uses it)");
        }
    }
}
