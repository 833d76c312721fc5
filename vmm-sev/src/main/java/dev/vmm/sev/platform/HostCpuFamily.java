package dev.vmm.sev.platform;

import dev.vmm.sev.tcb.TcbLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The host CPU's family from the "cpu family" line of /proc/cpuinfo (decimal; the kernel's
 * {@code x86}, the combined family of CPUID Fn0000_0001 EAX). It picks the TCB_VERSION layout of the
 * host's SEV firmware: 0x19 (25) Milan/Genoa, 0x1A (26) Turin.
 */
public final class HostCpuFamily {
    public static final Path PROC_CPUINFO = Path.of("/proc/cpuinfo");
    private static final String KEY = "cpu family";

    private HostCpuFamily() {}

    /** The family of the first processor listed; a PlatformException naming the file when there is none. */
    public static int read(Path cpuinfo) {
        List<String> lines;
        try {
            lines = Files.readAllLines(cpuinfo);
        } catch (IOException | RuntimeException e) {
            throw new PlatformException(cpuinfo + ": cannot read the CPU family: " + e.getMessage(), e);
        }
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals(KEY)) {
                String value = line.substring(colon + 1).trim();
                try {
                    return Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    throw new PlatformException(cpuinfo + ": '" + KEY + "' is '" + value + "', not a decimal number");
                }
            }
        }
        throw new PlatformException(cpuinfo + ": no '" + KEY + "' line");
    }

    /** The TCB layout the host's SEV firmware reads and writes; a PlatformException for a family without SEV-SNP. */
    public static TcbLayout tcbLayout(Path cpuinfo) {
        int family = read(cpuinfo);
        return TcbLayout.forCpuFamily(family).orElseThrow(() -> new PlatformException(String.format(
                "%s: cpu family %d (0x%x) has no SEV-SNP, so no TCB layout (0x19 Milan/Genoa, 0x1a Turin)",
                cpuinfo, family, family)));
    }
}
