package dev.vmm.sev.attest;

import static dev.vmm.sev.attest.ReportLayout.*;

import dev.vmm.sev.crypto.AmdEcdsaSignature;
import dev.vmm.sev.crypto.EcCurve;
import dev.vmm.sev.tcb.TcbLayout;
import dev.vmm.sev.tcb.TcbVersion;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads ATTESTATION_REPORT bytes. Strict where the ABI is: the length, the version, the CPUID family
 * of v3+ reports, every reserved byte range (inside and outside the signed region) and the padding of
 * the signature components must be as the spec says. Flag words (policy, platform info, key info)
 * keep unknown bits, because later firmware gives them meanings.
 */
final class ReportParser {
    private ReportParser() {}

    static AttestationReport parse(String source, byte[] bytes, Optional<Product> hint) {
        ReportBytes r = new ReportBytes(source, bytes);
        if (bytes.length != SIZE) {
            throw new ReportFormatException(source, Math.min(bytes.length, SIZE), "ATTESTATION_REPORT",
                    bytes.length + " bytes; a report is exactly " + SIZE + " (0x4a0) bytes");
        }
        long version = r.u32(VERSION);
        if (version < 2 || version > 5) {
            throw r.error(VERSION, "VERSION", version + " is not a known report version (2, 3, 4 or 5)");
        }
        int v = (int) version;
        Optional<ReportCpuid> cpuid = v >= 3
                ? Optional.of(new ReportCpuid(r.u8(CPUID_FAM_ID), r.u8(CPUID_MOD_ID), r.u8(CPUID_STEP)))
                : Optional.empty();
        Optional<Product> product;
        TcbLayout layout;
        if (cpuid.isPresent()) {
            product = cpuid.get().product();
            layout = TcbLayout.forCpuFamily(cpuid.get().family()).orElseThrow(() -> r.error(CPUID_FAM_ID, "CPUID_FAM_ID",
                    String.format("family 0x%x is not an SEV-SNP processor family (0x19 or 0x1a)", cpuid.get().family())));
        } else {
            product = hint.isPresent() ? hint : ChipIds.turinShaped(r.slice(CHIP_ID, CHIP_ID_SIZE)) ? Optional.of(Product.TURIN)
                    : Optional.empty();
            layout = product.map(Product::tcbLayout).orElse(TcbLayout.MILAN_GENOA);
        }

        TcbVersion currentTcb = tcb(r, CURRENT_TCB, "CURRENT_TCB", layout);
        r.requireZero(RESERVED_04C, 4, "reserved 0x04c..0x04f");
        TcbVersion reportedTcb = tcb(r, REPORTED_TCB, "REPORTED_TCB", layout);
        if (v >= 3) {
            r.requireZero(CPUID_STEP + 1, CHIP_ID - CPUID_STEP - 1, "reserved 0x18b..0x19f");
        } else {
            r.requireZero(CPUID_FAM_ID, CHIP_ID - CPUID_FAM_ID, "reserved 0x188..0x19f (version 2)");
        }
        TcbVersion committedTcb = tcb(r, COMMITTED_TCB, "COMMITTED_TCB", layout);
        r.requireZero(RESERVED_1EB, 1, "reserved 0x1eb");
        r.requireZero(RESERVED_1EF, 1, "reserved 0x1ef");
        TcbVersion launchTcb = tcb(r, LAUNCH_TCB, "LAUNCH_TCB", layout);
        OptionalLong launchMit = OptionalLong.empty();
        OptionalLong currentMit = OptionalLong.empty();
        if (v >= 5) {
            launchMit = OptionalLong.of(r.u64(LAUNCH_MIT_VECTOR));
            currentMit = OptionalLong.of(r.u64(CURRENT_MIT_VECTOR));
            r.requireZero(RESERVED_V5_TAIL, SIGNATURE_R - RESERVED_V5_TAIL, "reserved 0x208..0x29f");
        } else {
            r.requireZero(LAUNCH_MIT_VECTOR, SIGNATURE_R - LAUNCH_MIT_VECTOR, "reserved 0x1f8..0x29f (version " + v + ")");
        }
        AmdEcdsaSignature signature = signature(r, bytes);
        // Not signed, so a tampered tail would still verify: reject it instead of carrying it along.
        r.requireZero(SIGNATURE_RESERVED, SIZE - SIGNATURE_RESERVED, "SIGNATURE reserved 0x330..0x49f");

        return new AttestationReport(source, bytes.clone(), v, r.u32(GUEST_SVN), new GuestPolicy(r.u64(POLICY)),
                r.slice(FAMILY_ID, FAMILY_ID_SIZE), r.slice(IMAGE_ID, FAMILY_ID_SIZE), r.u32(VMPL), r.u32(SIGNATURE_ALGO),
                currentTcb, new PlatformInfo(r.u64(PLATFORM_INFO)), new KeyInfo(r.u32(KEY_INFO)),
                r.slice(REPORT_DATA, REPORT_DATA_SIZE), r.slice(MEASUREMENT, MEASUREMENT_SIZE), r.slice(HOST_DATA, HOST_DATA_SIZE),
                r.slice(ID_KEY_DIGEST, KEY_DIGEST_SIZE), r.slice(AUTHOR_KEY_DIGEST, KEY_DIGEST_SIZE),
                r.slice(REPORT_ID, REPORT_ID_SIZE), r.slice(REPORT_ID_MA, REPORT_ID_SIZE), reportedTcb, cpuid,
                r.slice(CHIP_ID, CHIP_ID_SIZE), committedTcb,
                new FirmwareVersion(r.u8(CURRENT_MAJOR), r.u8(CURRENT_MINOR), r.u8(CURRENT_BUILD)),
                new FirmwareVersion(r.u8(COMMITTED_MAJOR), r.u8(COMMITTED_MINOR), r.u8(COMMITTED_BUILD)),
                launchTcb, launchMit, currentMit, signature, product, layout);
    }

    /** A TCB_VERSION whose reserved bytes (AMD SEV-SNP ABI, TCB_VERSION) must be zero. */
    private static TcbVersion tcb(ReportBytes r, int offset, String field, TcbLayout layout) {
        for (int i = 0; i < 8; i++) {
            if (layout.isReserved(i) && r.u8(offset + i) != 0) {
                throw r.error(offset + i, field, String.format("byte %d of a %s TCB_VERSION is reserved and must be 0, not 0x%02x",
                        i, layout.label(), r.u8(offset + i)));
            }
        }
        return TcbVersion.of(r.u64(offset), layout);
    }

    /** SIGNATURE, whose P-384 R and S fill only the low 48 bytes of their 72-byte fields: the rest must be zero. */
    private static AmdEcdsaSignature signature(ReportBytes r, byte[] bytes) {
        requireP384Padding(r, SIGNATURE_R, "SIGNATURE.R");
        requireP384Padding(r, SIGNATURE_S, "SIGNATURE.S");
        return AmdEcdsaSignature.parse(bytes, SIGNATURE_R);
    }

    private static void requireP384Padding(ReportBytes r, int component, String field) {
        for (int i = component + EcCurve.P384.size(); i < component + AmdEcdsaSignature.COMPONENT_SIZE; i++) {
            if (r.u8(i) != 0) {
                throw r.error(i, field, String.format(
                        "bytes 48..71 of a P-384 signature component must be zero, but byte 0x%x is 0x%02x", i, r.u8(i)));
            }
        }
    }
}
