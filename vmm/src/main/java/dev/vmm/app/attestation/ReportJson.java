package dev.vmm.app.attestation;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vmm.sev.attest.AttestationReport;
import dev.vmm.sev.attest.GuestPolicy;
import dev.vmm.sev.attest.PlatformInfo;
import dev.vmm.sev.tcb.TcbVersion;
import java.util.HexFormat;

/**
 * Every field of a report as JSON, in report order. Byte strings are lowercase hex; flag words give
 * their raw value as a hex string and each named bit as a boolean; fields a version lacks are null.
 */
public final class ReportJson {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final HexFormat HEX = HexFormat.of();

    private ReportJson() {}

    public static ObjectNode of(AttestationReport r) {
        ObjectNode o = F.objectNode();
        o.put("source", r.source());
        o.put("version", r.version());
        o.put("guestSvn", r.guestSvn());
        o.set("policy", policy(r.policy()));
        o.put("familyId", HEX.formatHex(r.familyId()));
        o.put("imageId", HEX.formatHex(r.imageId()));
        o.put("vmpl", r.vmpl());
        o.put("signatureAlgo", r.signatureAlgo());
        o.set("currentTcb", tcb(r.currentTcb()));
        o.set("platformInfo", platformInfo(r.platformInfo()));
        ObjectNode key = o.putObject("keyInfo");
        key.put("raw", hex(r.keyInfo().raw()));
        key.put("authorKeyEn", r.keyInfo().authorKeyEn());
        key.put("maskChipKey", r.keyInfo().maskChipKey());
        key.put("signingKey", r.keyInfo().signingKey().map(Enum::name).orElse("reserved (" + r.keyInfo().signingKeyCode() + ")"));
        key.put("reservedBits", hex(r.keyInfo().reservedBits()));
        o.put("reportData", HEX.formatHex(r.reportData()));
        o.put("measurement", HEX.formatHex(r.measurement()));
        o.put("hostData", HEX.formatHex(r.hostData()));
        o.put("idKeyDigest", HEX.formatHex(r.idKeyDigest()));
        o.put("authorKeyDigest", HEX.formatHex(r.authorKeyDigest()));
        o.put("reportId", HEX.formatHex(r.reportId()));
        o.put("reportIdMa", HEX.formatHex(r.reportIdMa()));
        o.set("reportedTcb", tcb(r.reportedTcb()));
        if (r.cpuid().isPresent()) {
            ObjectNode c = o.putObject("cpuid");
            c.put("family", hex(r.cpuid().get().family()));
            c.put("model", hex(r.cpuid().get().model()));
            c.put("stepping", r.cpuid().get().stepping());
        } else {
            o.putNull("cpuid");
        }
        o.put("chipId", HEX.formatHex(r.chipId()));
        o.set("committedTcb", tcb(r.committedTcb()));
        o.put("currentVersion", r.currentVersion().toString());
        o.put("committedVersion", r.committedVersion().toString());
        o.set("launchTcb", tcb(r.launchTcb()));
        putOptional(o, "launchMitVector", r.launchMitVector());
        putOptional(o, "currentMitVector", r.currentMitVector());
        ObjectNode sig = o.putObject("signature");
        sig.put("r", String.format("%096x", r.signature().r()));
        sig.put("s", String.format("%096x", r.signature().s()));
        o.put("product", r.product().map(Object::toString).orElse(null));
        o.put("tcbLayout", r.tcbLayout().label());
        return o;
    }

    private static void putOptional(ObjectNode o, String name, java.util.OptionalLong v) {
        if (v.isPresent()) {
            o.put(name, hex(v.getAsLong()));
        } else {
            o.putNull(name);
        }
    }

    private static ObjectNode policy(GuestPolicy p) {
        ObjectNode o = F.objectNode();
        o.put("raw", hex(p.raw()));
        o.put("abiMajor", p.abiMajor());
        o.put("abiMinor", p.abiMinor());
        for (GuestPolicy.Bit b : GuestPolicy.Bit.values()) {
            o.put(b.name(), p.has(b));
        }
        o.put("reservedBit17", p.reservedBit17());
        o.put("unknownBits", hex(p.unknownBits()));
        return o;
    }

    private static ObjectNode platformInfo(PlatformInfo p) {
        ObjectNode o = F.objectNode();
        o.put("raw", hex(p.raw()));
        for (PlatformInfo.Bit b : PlatformInfo.Bit.values()) {
            o.put(b.name(), p.has(b));
        }
        o.put("unknownBits", hex(p.unknownBits()));
        return o;
    }

    private static ObjectNode tcb(TcbVersion t) {
        ObjectNode o = F.objectNode();
        o.put("raw", String.format("0x%016x", t.raw()));
        if (t.fmc().isPresent()) {
            o.put("fmc", t.fmc().getAsInt());
        } else {
            o.putNull("fmc");
        }
        o.put("bootLoader", t.bootLoader());
        o.put("tee", t.tee());
        o.put("snp", t.snp());
        o.put("microcode", t.microcode());
        return o;
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
