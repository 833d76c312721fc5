package dev.vmm.sev.attest;

import dev.vmm.sev.tcb.TcbVersion;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalInt;

/**
 * What ties a fetched endorsement key to a report: the key was derived for REPORTED_TCB (not
 * CURRENT_TCB, which may be newer), and a VCEK belongs to the chip whose CHIP_ID the report carries.
 */
public final class BindingChecks {
    private BindingChecks() {}

    /**
     * Compares a report TCB with the key's SPL extensions component by component; Turin-layout TCBs
     * also compare the FMC SPL.
     *
     * @param field the report field compared, for the message (normally REPORTED_TCB)
     */
    public static Check tcb(String field, TcbVersion tcb, VekCertificate vek, String vekRole) {
        VekExtensions x = vek.extensions();
        List<String> bad = new ArrayList<>();
        compare(bad, "boot loader", tcb.bootLoader(), x.blSpl(), "blSPL", vekRole);
        compare(bad, "TEE", tcb.tee(), x.teeSpl(), "teeSPL", vekRole);
        compare(bad, "SNP", tcb.snp(), x.snpSpl(), "snpSPL", vekRole);
        compare(bad, "microcode", tcb.microcode(), x.ucodeSpl(), "ucodeSPL", vekRole);
        if (tcb.fmc().isPresent()) {
            compare(bad, "FMC", tcb.fmc().getAsInt(), x.fmcSpl(), "fmcSPL", vekRole);
        } else if (x.fmcSpl().isPresent()) {
            bad.add(vekRole + " has fmcSPL " + x.fmcSpl().getAsInt() + " (a Turin-layout key) but the report's TCB has the "
                    + tcb.layout().label() + " layout");
        }
        String what = field + " (" + tcb + ") against the " + vekRole + "'s SPL extensions";
        return bad.isEmpty() ? Check.pass("reported-tcb", what + ": equal") : Check.fail("reported-tcb", what + ": " + String.join("; ", bad));
    }

    private static void compare(List<String> bad, String component, int reported, OptionalInt spl, String ext, String vekRole) {
        if (spl.isEmpty()) {
            bad.add(vekRole + " has no " + ext + " extension");
        } else if (spl.getAsInt() != reported) {
            bad.add(component + " SPL is " + reported + " in the report but " + ext + " is " + spl.getAsInt());
        }
    }

    /**
     * CHIP_ID against the VCEK's hwID: all 64 bytes, or for an 8-byte (Turin) hwID the first 8 bytes with
     * the rest zero. A VLEK is not tied to a chip, and its report's CHIP_ID may be zeroed (MASK_CHIP_ID).
     */
    public static Check chipId(AttestationReport report, VekCertificate vek, SigningKey kind) {
        HexFormat hex = HexFormat.of();
        byte[] chip = report.chipId();
        if (vek.extensions().hwId().isEmpty()) {
            if (kind == SigningKey.VLEK) {
                return Check.pass("chip-id", "a VLEK has no hwID and is not bound to a chip; CHIP_ID is "
                        + (report.chipIdMasked() ? "zero (MASK_CHIP_ID)" : hex.formatHex(chip)));
            }
            return Check.fail("chip-id", "the VCEK has no hwID extension to compare CHIP_ID with");
        }
        byte[] hwId = vek.extensions().hwId().get();
        if (report.chipIdMasked()) {
            return Check.fail("chip-id", "CHIP_ID is zero (MASK_CHIP_ID), so it cannot be matched with hwID " + hex.formatHex(hwId));
        }
        boolean equal = Arrays.equals(chip, 0, hwId.length, hwId, 0, hwId.length)
                && ChipIds.allZero(chip, hwId.length, chip.length);
        String what = "CHIP_ID " + hex.formatHex(chip, 0, hwId.length == chip.length ? chip.length : hwId.length)
                + (hwId.length < chip.length ? " (then " + (chip.length - hwId.length) + " bytes that must be zero)" : "");
        return equal ? Check.pass("chip-id", what + " = " + kindName(kind) + " hwID")
                : Check.fail("chip-id", what + " differs from " + kindName(kind) + " hwID " + hex.formatHex(hwId)
                        + (hwId.length < chip.length && !ChipIds.allZero(chip, hwId.length, chip.length)
                                ? "; CHIP_ID bytes " + hwId.length + ".." + (chip.length - 1) + " are not zero" : ""));
    }

    private static String kindName(SigningKey kind) {
        return kind == SigningKey.VLEK ? "VLEK" : "VCEK";
    }
}
