package dev.vmm.sev.attest;

import dev.vmm.sev.crypto.AmdEcdsaSignature;
import dev.vmm.sev.tcb.TcbLayout;
import dev.vmm.sev.tcb.TcbVersion;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A parsed SEV-SNP ATTESTATION_REPORT (1184 bytes; versions 2, 3, 4 and 5). Every field of the AMD
 * SEV-SNP firmware ABI is here under its AMD name; fields a version lacks are empty. The raw bytes are
 * kept because the signature is checked over them, never over a re-serialisation.
 *
 * <p>Byte arrays are the parser's own copies; callers must not modify them.
 *
 * @param product the CPU generation: from CPUID (v3+), else the hint given to the parser, else a
 *     Turin-shaped CHIP_ID; empty when a v2 report cannot tell Milan from Genoa
 * @param tcbLayout the TCB_VERSION layout the four TCB fields were decoded with
 */
public record AttestationReport(
        String source,
        byte[] raw,
        int version,
        long guestSvn,
        GuestPolicy policy,
        byte[] familyId,
        byte[] imageId,
        long vmpl,
        long signatureAlgo,
        TcbVersion currentTcb,
        PlatformInfo platformInfo,
        KeyInfo keyInfo,
        byte[] reportData,
        byte[] measurement,
        byte[] hostData,
        byte[] idKeyDigest,
        byte[] authorKeyDigest,
        byte[] reportId,
        byte[] reportIdMa,
        TcbVersion reportedTcb,
        Optional<ReportCpuid> cpuid,
        byte[] chipId,
        TcbVersion committedTcb,
        FirmwareVersion currentVersion,
        FirmwareVersion committedVersion,
        TcbVersion launchTcb,
        OptionalLong launchMitVector,
        OptionalLong currentMitVector,
        AmdEcdsaSignature signature,
        Optional<Product> product,
        TcbLayout tcbLayout) {

    public static final int SIZE = ReportLayout.SIZE;
    /** The signature covers bytes 0x000..0x29F. */
    public static final int SIGNED_LENGTH = ReportLayout.SIGNED_LENGTH;

    /** Parses a report whose CPU generation comes from the report itself. */
    public static AttestationReport parse(String source, byte[] bytes) {
        return ReportParser.parse(source, bytes, Optional.empty());
    }

    /**
     * Parses a report; {@code productHint} decides the TCB layout and product of a version-2 report,
     * which has no CPUID fields. Reports of version 3 and later carry their own CPUID, which wins.
     */
    public static AttestationReport parse(String source, byte[] bytes, Optional<Product> productHint) {
        return ReportParser.parse(source, bytes, productHint);
    }

    /** Whether CHIP_ID is all zero, as the firmware writes it when MASK_CHIP_ID is set. */
    public boolean chipIdMasked() {
        return ChipIds.allZero(chipId, 0, chipId.length);
    }
}
