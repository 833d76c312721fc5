package dev.vmm.sev.measure;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;

/** Every measured range of a launch, in order, with the digest after it: for audits and research. */
public final class LaunchLog {
    /** One measured range; {@code pageType} is the SNP type, or "data"/"vmsa" for SEV and SEV-ES. */
    public record Entry(long gpa, String pageType, long length, String digestAfter, String note) {}

    private final List<Entry> entries = new ArrayList<>();

    public void add(long gpa, String pageType, long length, byte[] digestAfter, String note) {
        entries.add(new Entry(gpa, pageType, length, HexFormat.of().formatHex(digestAfter), note));
    }

    public List<Entry> entries() {
        return Collections.unmodifiableList(entries);
    }
}
