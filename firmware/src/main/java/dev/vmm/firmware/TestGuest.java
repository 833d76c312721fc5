package dev.vmm.firmware;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The embedded test guest (source in {@code src/main/guest}): a 64 KiB ROM that boots to long mode,
 * prints a banner and one line per vCPU on COM1 and exits through the debug-exit port (0x501). The
 * fw_cfg file {@value #SCENARIO_FILE} selects what it does after booting (see {@code main.c}).
 */
public final class TestGuest {
    public static final String NAME = "embedded test guest";
    public static final String SCENARIO_FILE = "opt/vmm/scenario";
    /** Guest exit statuses, as {@code main.c} defines them. */
    public static final int EXIT_APS_MISSING = 0x10;
    public static final int EXIT_APIC_MISMATCH = 0x11;
    public static final int EXIT_BAD_SCENARIO = 0x12;
    public static final int EXIT_FWAIT_RAN = 0x13;
    public static final int EXIT_VIRTIO_FAILED = 0x14;
    private static final String RESOURCE = "test-guest.bin";

    private TestGuest() {}

    public static byte[] image() {
        try (InputStream in = TestGuest.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the firmware jar (built by make)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
