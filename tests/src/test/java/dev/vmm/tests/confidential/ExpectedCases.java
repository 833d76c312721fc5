package dev.vmm.tests.confidential;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The cases of {@code testdata/measurements/expected.json} (digests computed by sev-snp-measure 0.0.13),
 * with their inputs materialised as files in a directory.
 */
record ExpectedCases(List<Case> cases) {
    static final Path DEBIAN_OVMF = Path.of("/usr/share/ovmf/OVMF.fd");

    /** @param unavailable why this host cannot have the case's firmware, or null */
    record Case(String mode, String firmwareName, Path firmware, int vcpus, String cpu, long guestFeatures,
                Path kernel, Path initrd, String append, String digest, String unavailable) {
        /** Skips the calling test where the firmware the digest was computed for is not on this host. */
        void assumeFirmware() {
            assumeTrue(unavailable == null, unavailable);
        }

        @Override
        public String toString() {
            return mode + " " + firmwareName + " vcpus=" + vcpus + " " + cpu + (kernel == null ? "" : " kernel")
                    + (initrd == null ? "" : "+initrd") + (append == null ? "" : "+append");
        }
    }

    static ExpectedCases load(Path dir) throws Exception {
        JsonNode root;
        try (InputStream in = resource("measurements/expected.json")) {
            root = new ObjectMapper().readTree(in);
        }
        String debianSha = root.at("/firmware/debian-ovmf/sha256").asText();
        if (!Files.exists(DEBIAN_OVMF)) {
            throw new IllegalStateException(DEBIAN_OVMF + " is missing: install Debian's ovmf package (.ci/setup does)");
        }
        String actualSha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(DEBIAN_OVMF)));
        // A Debian update of the ovmf package changes the image and so its digests; only the verifier can
        // give the new ones, so those cases wait for it while the synthetic-firmware cases still run.
        String debianUnavailable = actualSha.equals(debianSha) ? null : DEBIAN_OVMF + " is not the image expected.json "
                + "was computed for (sha256 " + actualSha + ", expected " + debianSha + ", "
                + root.at("/firmware/debian-ovmf/package").asText() + "): recompute its digests with sev-snp-measure";
        Path amdsev = dir.resolve("amdsev-synthetic-2m.fd");
        byte[] image = new byte[2 * 1024 * 1024];
        byte[] suffix;
        try (InputStream in = resource("ovmf/amdsev-suffix-4k.bin")) {
            suffix = in.readAllBytes();
        }
        System.arraycopy(suffix, 0, image, image.length - suffix.length, suffix.length);
        Files.write(amdsev, image);
        Path kernel = dir.resolve("kernel-64k");
        Path initrd = dir.resolve("initrd-32k");
        byte[] k = new byte[65536];
        byte[] i = new byte[32768];
        for (int n = 0; n < k.length; n++) {
            k[n] = (byte) (n % 251);
        }
        for (int n = 0; n < i.length; n++) {
            i[n] = (byte) (n * 7 % 256);
        }
        Files.write(kernel, k);
        Files.write(initrd, i);

        List<Case> cases = new ArrayList<>();
        for (JsonNode c : root.get("cases")) {
            String fw = c.get("firmware").asText();
            cases.add(new Case(c.get("mode").asText(), fw, fw.equals("debian-ovmf") ? DEBIAN_OVMF : amdsev,
                    c.path("vcpus").asInt(1), c.path("cpu").asText(null),
                    Long.decode(c.path("guest_features").asText("0x1")),
                    c.has("kernel") ? kernel : null, c.has("initrd") ? initrd : null, c.path("append").asText(null),
                    c.get("digest").asText(), fw.equals("debian-ovmf") ? debianUnavailable : null));
        }
        return new ExpectedCases(cases);
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = ExpectedCases.class.getResourceAsStream("/testdata/" + name);
        if (in == null) {
            throw new IOException("test resource testdata/" + name + " missing");
        }
        return in;
    }
}
