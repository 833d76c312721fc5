package dev.vmm.app.attestation;

import dev.vmm.sev.attest.AttestationReport;
import dev.vmm.sev.attest.GuestPolicy;
import dev.vmm.sev.attest.PlatformInfo;
import dev.vmm.sev.crypto.AmdEcdsaSignature;
import java.util.HexFormat;
import java.util.OptionalLong;

/**
 * Every field of a report, one per line under its AMD name, with flag words broken into named bits
 * and TCBs into SPLs. Byte strings are hex in report order; the signature's r and s are big-endian.
 */
public final class ReportText {
    private static final HexFormat HEX = HexFormat.of();
    private static final String FORMAT = "%-27s %s%n";

    private ReportText() {}

    public static String of(AttestationReport r) {
        StringBuilder b = new StringBuilder();
        b.append("ATTESTATION_REPORT ").append(r.source()).append(" (").append(r.raw().length).append(" bytes)\n");
        line(b, "VERSION", r.version());
        line(b, "GUEST_SVN", r.guestSvn());
        policy(b, r.policy());
        line(b, "FAMILY_ID", HEX.formatHex(r.familyId()));
        line(b, "IMAGE_ID", HEX.formatHex(r.imageId()));
        line(b, "VMPL", r.vmpl());
        line(b, "SIGNATURE_ALGO", r.signatureAlgo() + (r.signatureAlgo() == AmdEcdsaSignature.SNP_ECDSA_P384_SHA384
                ? " (ECDSA P-384 with SHA-384)" : " (unknown)"));
        line(b, "CURRENT_TCB", r.currentTcb().describe());
        platformInfo(b, r.platformInfo());
        line(b, "KEY_INFO", "0x" + Long.toHexString(r.keyInfo().raw()));
        line(b, "  AUTHOR_KEY_EN", bit(r.keyInfo().authorKeyEn()));
        line(b, "  MASK_CHIP_KEY", bit(r.keyInfo().maskChipKey()));
        line(b, "  SIGNING_KEY", r.keyInfo().signingKeyCode() + " ("
                + r.keyInfo().signingKey().map(Enum::name).orElse("reserved") + ")");
        if (r.keyInfo().reservedBits() != 0) {
            line(b, "  reserved bits", "0x" + Long.toHexString(r.keyInfo().reservedBits()));
        }
        line(b, "REPORT_DATA", HEX.formatHex(r.reportData()));
        line(b, "MEASUREMENT", HEX.formatHex(r.measurement()));
        line(b, "HOST_DATA", HEX.formatHex(r.hostData()));
        line(b, "ID_KEY_DIGEST", HEX.formatHex(r.idKeyDigest()));
        line(b, "AUTHOR_KEY_DIGEST", HEX.formatHex(r.authorKeyDigest()));
        line(b, "REPORT_ID", HEX.formatHex(r.reportId()));
        line(b, "REPORT_ID_MA", HEX.formatHex(r.reportIdMa()));
        line(b, "REPORTED_TCB", r.reportedTcb().describe());
        String none = "(not in version " + r.version() + ")";
        line(b, "CPUID_FAM_ID", r.cpuid().map(c -> "0x" + Integer.toHexString(c.family())).orElse(none));
        line(b, "CPUID_MOD_ID", r.cpuid().map(c -> "0x" + Integer.toHexString(c.model())).orElse(none));
        line(b, "CPUID_STEP", r.cpuid().map(c -> "0x" + Integer.toHexString(c.stepping())).orElse(none));
        line(b, "CHIP_ID", HEX.formatHex(r.chipId()) + (r.chipIdMasked() ? " (zero: MASK_CHIP_ID)" : ""));
        line(b, "COMMITTED_TCB", r.committedTcb().describe());
        line(b, "CURRENT", r.currentVersion() + " (CURRENT_MAJOR.CURRENT_MINOR.CURRENT_BUILD)");
        line(b, "COMMITTED", r.committedVersion() + " (COMMITTED_MAJOR.COMMITTED_MINOR.COMMITTED_BUILD)");
        line(b, "LAUNCH_TCB", r.launchTcb().describe());
        line(b, "LAUNCH_MIT_VECTOR", mit(r.launchMitVector(), none));
        line(b, "CURRENT_MIT_VECTOR", mit(r.currentMitVector(), none));
        line(b, "SIGNATURE.R", String.format("%096x", r.signature().r()));
        line(b, "SIGNATURE.S", String.format("%096x", r.signature().s()));
        line(b, "product", r.product().map(p -> p + (r.cpuid().isPresent() ? " (from CPUID)" : "")).orElse(
                r.cpuid().isPresent() ? "unknown CPUID model" : "Milan or Genoa (a version 2 report has no CPUID; give --product)"));
        return b.toString();
    }

    private static void policy(StringBuilder b, GuestPolicy p) {
        line(b, "POLICY", "0x" + Long.toHexString(p.raw()));
        line(b, "  ABI (minimum)", p.abiMajor() + "." + p.abiMinor() + " (ABI_MAJOR.ABI_MINOR)");
        for (GuestPolicy.Bit bit : GuestPolicy.Bit.values()) {
            line(b, "  " + bit.name(), bit(p.has(bit)));
        }
        line(b, "  bit 17", bit(p.reservedBit17()) + " (reserved, must be 1)");
        if (p.unknownBits() != 0) {
            line(b, "  reserved bits", "0x" + Long.toHexString(p.unknownBits()) + " (must be 0)");
        }
    }

    private static void platformInfo(StringBuilder b, PlatformInfo p) {
        line(b, "PLATFORM_INFO", "0x" + Long.toHexString(p.raw()));
        for (PlatformInfo.Bit bit : PlatformInfo.Bit.values()) {
            line(b, "  " + bit.name(), bit(p.has(bit)));
        }
        if (p.unknownBits() != 0) {
            line(b, "  unknown bits", "0x" + Long.toHexString(p.unknownBits()));
        }
    }

    private static String mit(OptionalLong v, String none) {
        return v.isPresent() ? "0x" + Long.toHexString(v.getAsLong()) : none;
    }

    private static String bit(boolean set) {
        return set ? "1" : "0";
    }

    private static void line(StringBuilder b, String name, Object value) {
        b.append(String.format(FORMAT, name, value));
    }
}
