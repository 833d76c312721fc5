package dev.vmm.app.confidential;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vmm.app.config.ConfigException;
import dev.vmm.sev.launch.ConfidentialBoot;
import dev.vmm.sev.measure.LaunchLog;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;

/**
 * {@code --launch-log FILE}: every measured range of a launch in order, with the digest after it,
 * as JSON for audits and research. {@code run} and {@code measure} write the same format.
 */
public final class LaunchLogFile {
    /** The file's top level. Numbers that are addresses or bit masks are hex strings. */
    public record Document(String mode, String psp, String firmware, int vcpus, String cpuModel, String cpuSignature,
                           String guestFeatures, String policy, String digest, String measurement,
                           List<Range> ranges) {}

    public record Range(String gpa, String pageType, long length, String digestAfter, String what) {}

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private LaunchLogFile() {}

    public static Document document(String mode, String psp, String firmware, int vcpus, String cpuModel,
                                    int cpuSignature, long guestFeatures, Long policy, byte[] digest,
                                    byte[] measurement, LaunchLog log) {
        List<Range> ranges = log.entries().stream().map(e -> new Range("0x" + Long.toHexString(e.gpa()),
                e.pageType(), e.length(), e.digestAfter(), e.note())).toList();
        return new Document(mode, psp, firmware, vcpus, cpuModel, String.format("0x%x", cpuSignature),
                String.format("0x%x", guestFeatures), policy == null ? null : String.format("0x%x", policy),
                HexFormat.of().formatHex(digest), measurement == null ? null : HexFormat.of().formatHex(measurement),
                ranges);
    }

    public static void write(Path file, Document document) {
        try {
            JSON.writeValue(file.toFile(), document);
        } catch (IOException e) {
            throw new ConfigException("confidential.launch_log", "cannot write " + file + ": " + e.getMessage());
        }
    }

    public static Document read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), Document.class);
    }

    public static void write(Path file, ConfidentialBoot.Launched l) {
        write(file, document(l));
    }

    /** The launch as the file and the API's {@code GET /vm/measurement} give it. */
    public static Document document(ConfidentialBoot.Launched l) {
        var plan = l.plan();
        var result = l.result();
        return document(l.settings().mode().runName(), result.psp(), l.firmware(), plan.vcpus(),
                l.settings().cpu().name(), plan.cpuSignature(), plan.sevFeatures(), l.settings().options().policy(),
                result.digest(), result.measurement(), result.log());
    }
}
